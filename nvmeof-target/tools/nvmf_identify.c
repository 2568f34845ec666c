/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nvmf-identify: discover subsystems and identify controllers/namespaces
 * over NVMe/TCP with the userspace initiator.
 *
 *   nvmf-identify -a ADDR -p PORT                 discovery log
 *   nvmf-identify -a ADDR -p PORT -n SUBNQN       controller + namespaces
 *   options: --hostnqn NQN --hdgst --ddgst
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmf_initiator.h"

static void print_fixed(const char *label, const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == 0))
		n--;
	printf("%-22s %.*s\n", label, (int)n, s);
}

static int discover(struct nvmfi_ctrlr *c)
{
	struct nvmf_disc_log_hdr hdr;
	struct nvme_cqe cqe;
	uint8_t *buf;
	uint32_t len;
	int rc;

	rc = nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 0, &hdr, sizeof(hdr), false, &cqe);
	if (rc || (cqe.status >> 1)) {
		fprintf(stderr, "nvmf-identify: discovery log header: %s\n",
			rc ? strerror(-rc) : nvmfi_status_str(nvme_status_code(cqe.status)));
		return 1;
	}
	printf("Discovery Log: genctr %llu, %llu record(s)\n", (unsigned long long)hdr.genctr,
	       (unsigned long long)hdr.numrec);
	if (!hdr.numrec)
		return 0;
	if (hdr.numrec > 64)
		hdr.numrec = 64;
	len = (uint32_t)hdr.numrec * 1024;
	buf = malloc(len);
	if (!buf)
		return 1;
	rc = nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 1024, buf, len, false, &cqe);
	if (rc || (cqe.status >> 1)) {
		fprintf(stderr, "nvmf-identify: discovery log entries failed\n");
		free(buf);
		return 1;
	}
	for (uint64_t i = 0; i < hdr.numrec; i++) {
		struct nvmf_disc_log_entry *e = (void *)(buf + i * 1024);

		printf("=====Discovery Log Entry %llu======\n", (unsigned long long)i);
		printf("trtype:  %s\nadrfam:  %s\nsubtype: %s\nportid:  %u\ntrsvcid: %.32s\n"
		       "subnqn:  %.256s\ntraddr:  %.256s\n",
		       e->trtype == NVMF_TRTYPE_TCP ? "tcp" : "?",
		       e->adrfam == NVMF_ADRFAM_IPV6 ? "ipv6" : "ipv4",
		       e->subtype == NVMF_SUBTYPE_NVME ? "nvme subsystem" : "discovery subsystem",
		       e->portid, e->trsvcid, e->subnqn, e->traddr);
	}
	free(buf);
	return 0;
}

static int identify(struct nvmfi_ctrlr *c)
{
	const struct nvme_id_ctrlr *id = &c->id;
	static uint32_t list[1024];
	struct nvme_cqe cqe;
	int rc;

	print_fixed("Serial Number:", id->sn, sizeof(id->sn));
	print_fixed("Model Number:", id->mn, sizeof(id->mn));
	print_fixed("Firmware Version:", id->fr, sizeof(id->fr));
	printf("%-22s %u\n%-22s %u.%u\n%-22s %u (%u KiB)\n%-22s %u\n%-22s %u bytes\n",
	       "Controller ID:", id->cntlid, "Version:", id->ver >> 16, (id->ver >> 8) & 0xff,
	       "MDTS:", id->mdts, 4u << id->mdts, "Namespaces (max):", id->nn,
	       "In-capsule data:", id->ioccsz * 16 - 64);
	printf("%-22s %.256s\n", "Subsystem NQN:", id->subnqn);
	rc = nvmfi_identify(c->admin, NVME_ID_CNS_NS_ACTIVE_LIST, 0, list, &cqe);
	if (rc || (cqe.status >> 1))
		return 1;
	for (int i = 0; i < 1024 && list[i]; i++) {
		static struct nvme_id_ns ns;
		static uint8_t desc[4096];
		const uint8_t *p = desc;

		if (nvmfi_identify(c->admin, NVME_ID_CNS_NS, list[i], &ns, &cqe) || (cqe.status >> 1))
			return 1;
		printf("Namespace %u: %llu blocks of %u bytes (%.1f MiB)\n", list[i],
		       (unsigned long long)ns.nsze, 1u << ns.lbaf[0].lbads,
		       (double)(ns.nsze << ns.lbaf[0].lbads) / (1 << 20));
		if (nvmfi_identify(c->admin, NVME_ID_CNS_NS_DESC_LIST, list[i], desc, &cqe) ||
		    (cqe.status >> 1))
			continue;
		while (p < desc + 4096 && p[0]) {
			if (p[0] == NVME_NIDT_UUID) {
				printf("  UUID: ");
				for (int k = 0; k < 16; k++)
					printf("%02x%s", p[4 + k],
					       k == 3 || k == 5 || k == 7 || k == 9 ? "-" : "");
				printf("\n");
			} else if (p[0] == NVME_NIDT_NGUID) {
				printf("  NGUID: ");
				for (int k = 0; k < 16; k++)
					printf("%02x", p[4 + k]);
				printf("\n");
			}
			p += 4 + p[1];
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "traddr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "nqn", required_argument, NULL, 'n' },
		{ "hostnqn", required_argument, NULL, 'H' },
		{ "hdgst", no_argument, NULL, 'g' },
		{ "ddgst", no_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	int opt, rc;

	nvmfi_opts_default(&o);
	while ((opt = getopt_long(argc, argv, "a:p:n:H:gGh", lo, NULL)) != -1) {
		switch (opt) {
		case 'a': snprintf(o.traddr, sizeof(o.traddr), "%s", optarg); break;
		case 'p': o.port = (uint16_t)atoi(optarg); break;
		case 'n': snprintf(o.subnqn, sizeof(o.subnqn), "%s", optarg); break;
		case 'H': snprintf(o.hostnqn, sizeof(o.hostnqn), "%s", optarg); break;
		case 'g': o.hdgst = true; break;
		case 'G': o.ddgst = true; break;
		default:
			fprintf(stderr, "usage: nvmf-identify -a ADDR -p PORT [-n SUBNQN] "
				"[--hostnqn NQN] [--hdgst] [--ddgst]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	rc = nvmfi_ctrlr_connect(&o, &c);
	if (rc) {
		fprintf(stderr, "nvmf-identify: connect %s:%u %s: %s\n", o.traddr, o.port, o.subnqn,
			strerror(-rc));
		return 1;
	}
	rc = c->discovery ? discover(c) : identify(c);
	nvmfi_ctrlr_close(c);
	return rc;
}
