/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nvmf-integrity: deterministic random-offset, random-size write/verify.
 *
 *   nvmf_integrity write  -a ADDR -p PORT -n NQN [--nsid N] [--seed S] [--ops N]
 *   nvmf_integrity verify -a ADDR -p PORT -n NQN [--nsid N] [--seed S] [--ops N]
 *   (both also take --hostnqn NQN: who to connect as)
 *
 * "write" issues --ops writes (1..32 blocks at random LBAs, QD 1 so the
 * final image is a pure function of the seed), reads a sample back, then
 * Flushes and prints FLUSHED. "verify" replays the sequence in memory and
 * compares every touched block with what the target returns; run it after
 * a kill -9 + restart to prove flushed data survived.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmf_initiator.h"

static uint64_t rng;

static uint64_t xr(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void pattern(uint8_t *b, uint32_t bs, uint64_t lba, uint32_t gen)
{
	uint64_t *w = (uint64_t *)b;

	for (uint32_t i = 0; i < bs / 8; i++)
		w[i] = (lba * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)gen << 32) ^ i;
}

static int io(struct nvmfi_qpair *q, uint8_t opc, uint32_t nsid, uint64_t lba, uint32_t nlb,
	      void *buf, uint32_t len)
{
	struct nvme_sqe c = { .opc = opc, .nsid = nsid };
	struct nvme_cqe cqe;
	int rc;

	c.cdw10 = (uint32_t)lba;
	c.cdw11 = (uint32_t)(lba >> 32);
	c.cdw12 = nlb - 1;
	rc = nvmfi_cmd_sync(q, &c, buf, len,
			    opc == NVME_IO_WRITE ? NVMFI_H2C : opc == NVME_IO_READ ? NVMFI_C2H : NVMFI_NONE,
			    &cqe);
	if (rc)
		return rc;
	if (cqe.status >> 1) {
		fprintf(stderr, "nvmf_integrity: opc %u lba %llu: %s\n", opc, (unsigned long long)lba,
			nvmfi_status_str(nvme_status_code(cqe.status)));
		return -EIO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "traddr", required_argument, NULL, 'a' }, { "port", required_argument, NULL, 'p' },
		{ "nqn", required_argument, NULL, 'n' },    { "nsid", required_argument, NULL, 'N' },
		{ "seed", required_argument, NULL, 's' },   { "ops", required_argument, NULL, 'o' },
		{ "hostnqn", required_argument, NULL, 'H' },
		{ 0 },
	};
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvmfi_qpair *q;
	static struct nvme_id_ns ns;
	struct nvme_cqe cqe;
	uint32_t nsid = 1, ops = 2000, bs, *gen;
	uint64_t seed = 12345, nblocks, bad = 0, checked = 0;
	uint8_t *buf, *exp;
	bool verify;
	int opt, rc;

	if (argc < 2 || (strcmp(argv[1], "write") && strcmp(argv[1], "verify"))) {
		fprintf(stderr, "usage: nvmf_integrity write|verify -a ADDR -p PORT -n NQN ...\n");
		return 2;
	}
	verify = !strcmp(argv[1], "verify");
	nvmfi_opts_default(&o);
	optind = 2;
	while ((opt = getopt_long(argc, argv, "a:p:n:N:s:o:H:", lo, NULL)) != -1) {
		switch (opt) {
		case 'a': snprintf(o.traddr, sizeof(o.traddr), "%s", optarg); break;
		case 'p': o.port = (uint16_t)atoi(optarg); break;
		case 'n': snprintf(o.subnqn, sizeof(o.subnqn), "%s", optarg); break;
		case 'N': nsid = (uint32_t)atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'o': ops = (uint32_t)atoi(optarg); break;
		case 'H': snprintf(o.hostnqn, sizeof(o.hostnqn), "%s", optarg); break;
		default: return 2;
		}
	}
	rc = nvmfi_ctrlr_connect(&o, &c);
	if (rc) {
		fprintf(stderr, "nvmf_integrity: connect: %s\n", strerror(-rc));
		return 1;
	}
	if (nvmfi_identify(c->admin, NVME_ID_CNS_NS, nsid, &ns, &cqe) || !ns.nsze ||
	    nvmfi_ctrlr_io_qpair(c, 1, 8, &q)) {
		fprintf(stderr, "nvmf_integrity: namespace %u / I/O queue unavailable\n", nsid);
		return 1;
	}
	bs = 1u << ns.lbaf[0].lbads;
	nblocks = ns.nsze;
	gen = calloc(nblocks, sizeof(*gen));
	buf = aligned_alloc(4096, 32 * (size_t)bs);
	exp = aligned_alloc(4096, 32 * (size_t)bs);
	if (!gen || !buf || !exp)
		return 1;
	rng = seed | 1;
	for (uint32_t i = 1; i <= ops; i++) {
		uint32_t nlb = (uint32_t)(xr() % 32) + 1;
		uint64_t lba = xr() % (nblocks - nlb + 1);

		for (uint32_t b = 0; b < nlb; b++) {
			gen[lba + b] = i;
			pattern(buf + (size_t)b * bs, bs, lba + b, i);
		}
		if (!verify && io(q, NVME_IO_WRITE, nsid, lba, nlb, buf, nlb * bs))
			return 1;
		/* read back a sample of writes right away */
		if (!verify && i % 16 == 0) {
			if (io(q, NVME_IO_READ, nsid, lba, nlb, exp, nlb * bs))
				return 1;
			if (memcmp(exp, buf, (size_t)nlb * bs)) {
				fprintf(stderr, "nvmf_integrity: immediate read-back mismatch at %llu\n",
					(unsigned long long)lba);
				return 1;
			}
		}
	}
	if (!verify) {
		if (io(q, NVME_IO_FLUSH, nsid, 0, 1, NULL, 0))
			return 1;
		printf("FLUSHED %u writes\n", ops);
		fflush(stdout);
	} else {
		for (uint64_t lba = 0; lba < nblocks; lba++) {
			if (!gen[lba])
				continue;
			if (io(q, NVME_IO_READ, nsid, lba, 1, buf, bs))
				return 1;
			pattern(exp, bs, lba, gen[lba]);
			checked++;
			if (memcmp(exp, buf, bs) && bad++ < 10)
				fprintf(stderr, "nvmf_integrity: block %llu lost (generation %u)\n",
					(unsigned long long)lba, gen[lba]);
		}
		printf("VERIFIED %llu blocks, %llu bad\n", (unsigned long long)checked,
		       (unsigned long long)bad);
	}
	nvmfi_qpair_close(q);
	nvmfi_ctrlr_close(c);
	free(gen);
	free(buf);
	free(exp);
	return bad ? 1 : 0;
}
