/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `dpuctl nvmf`: configure the card's NVMe-oF/TCP target over the ABI
 * (subsystems, namespaces, allowed hosts, listeners).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpuctl.h"

static int usage_nvmf(void)
{
	fprintf(stderr,
		"usage: dpuctl nvmf subsystem add NQN [--serial S] [--model M] [--allow-any-host]\n"
		"       dpuctl nvmf subsystem del NQN\n"
		"       dpuctl nvmf subsystem list\n"
		"       dpuctl nvmf ns add NQN NSID --ram SIZE|--null SIZE|--file PATH [--block-size B]\n"
		"       dpuctl nvmf ns del NQN NSID\n"
		"       dpuctl nvmf ns list NQN\n"
		"       dpuctl nvmf host add|del NQN HOSTNQN\n"
		"       dpuctl nvmf host list NQN\n"
		"       dpuctl nvmf listener add|del NQN ADDR PORT\n"
		"       dpuctl nvmf listener list NQN\n"
		"SIZE takes K, M and G suffixes (powers of 2).\n");
	return DPUCTL_EXIT_USAGE;
}

static int copy_str(char *dst, size_t cap, const char *src, const char *what)
{
	if (strlen(src) >= cap) {
		fprintf(stderr, "dpuctl: %s: at most %zu characters\n", what, cap - 1);
		return -1;
	}
	/* The ABI wants the rest of a string field zero, not old bytes. */
	memset(dst, 0, cap);
	memcpy(dst, src, strlen(src));
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	int shift = 0;

	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	else if (*end == 'G' || *end == 'g')
		shift = 30, end++;
	if (end == s || *end || v == 0 || v > (UINT64_MAX >> shift)) {
		fprintf(stderr, "dpuctl: size '%s' is not a positive number [KMG]\n", s);
		return -1;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_u32(const char *s, const char *what, uint32_t lo, uint32_t hi,
		     uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v < lo || v > hi) {
		fprintf(stderr, "dpuctl: %s '%s' is not in %u..%u\n", what, s, lo, hi);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int call(struct dpu_host_card *card, uint16_t op, const void *body, size_t len,
		const struct dpu_abi_hdr **resp, const char *what)
{
	static uint8_t buf[4096];
	int n = dpu_abi_encode(buf, sizeof(buf), op, 0, 0, body, len);

	if (n < 0) {
		fprintf(stderr, "dpuctl: %s: %s\n", what, dpu_abi_status_name((uint16_t)-n));
		return DPUCTL_EXIT_FAIL;
	}
	if (dpu_host_card_call(card, buf, (size_t)n, resp) != DPU_ABI_OK)
		return dpuctl_fail(card, what);
	return 0;
}

static int list(struct dpu_host_card *card, uint16_t op, const char *nqn)
{
	struct dpu_abi_nvmf_subsys_ref ref = { 0 };
	struct dpu_abi_list_req lq = { 0 };
	const struct dpu_abi_hdr *resp;
	const struct dpu_abi_list_resp *l;
	struct json_object *arr = dpuctl_json ? json_object_new_array() : NULL;
	int rc;

	if (op == DPU_ABI_OP_NVMF_SUBSYS_LIST) {
		rc = call(card, op, &lq, sizeof(lq), &resp, "nvmf subsystem list");
	} else {
		if (copy_str(ref.nqn, sizeof(ref.nqn), nqn, "NQN"))
			return DPUCTL_EXIT_USAGE;
		rc = call(card, op, &ref, sizeof(ref), &resp, "nvmf list");
	}
	if (rc) {
		json_object_put(arr);
		return rc;
	}
	l = dpu_abi_body(resp);
	for (uint32_t i = 0; i < l->count; i++) {
		struct json_object *o = arr ? json_object_new_object() : NULL;
		const uint8_t *e = (const uint8_t *)(l + 1);

		if (op == DPU_ABI_OP_NVMF_SUBSYS_LIST) {
			const struct dpu_abi_nvmf_subsys *s = (const void *)(e + i * sizeof(*s));

			if (o) {
				json_object_object_add(o, "nqn", json_object_new_string(s->nqn));
				json_object_object_add(o, "serial", json_object_new_string(s->serial));
				json_object_object_add(o, "allow_any_host",
						       json_object_new_boolean(s->flags & DPU_ABI_NVMF_ALLOW_ANY_HOST));
				json_object_object_add(o, "namespaces", json_object_new_int(s->n_namespaces));
				json_object_object_add(o, "hosts", json_object_new_int(s->n_hosts));
				json_object_object_add(o, "listeners", json_object_new_int(s->n_listeners));
			} else {
				printf("%s  serial %s  %u ns, %u hosts%s, %u listeners\n", s->nqn,
				       s->serial, s->n_namespaces, s->n_hosts,
				       s->flags & DPU_ABI_NVMF_ALLOW_ANY_HOST ? " (any allowed)" : "",
				       s->n_listeners);
			}
		} else if (op == DPU_ABI_OP_NVMF_NS_LIST) {
			static const char *kind[] = { "ram", "null", "file" };
			const struct dpu_abi_nvmf_ns *s = (const void *)(e + i * sizeof(*s));
			const char *k = s->backend < 3 ? kind[s->backend] : "?";

			if (o) {
				json_object_object_add(o, "nsid", json_object_new_int64(s->nsid));
				json_object_object_add(o, "backend", json_object_new_string(k));
				json_object_object_add(o, "size_bytes", json_object_new_int64((int64_t)s->size_bytes));
				json_object_object_add(o, "block_size", json_object_new_int(1 << s->block_shift));
				json_object_object_add(o, "path", json_object_new_string(s->path));
			} else {
				printf("nsid %u  %s  %llu bytes  %u-byte blocks%s%s\n", s->nsid, k,
				       (unsigned long long)s->size_bytes, 1u << s->block_shift,
				       s->path[0] ? "  " : "", s->path);
			}
		} else if (op == DPU_ABI_OP_NVMF_HOST_LIST) {
			const struct dpu_abi_nvmf_host *s = (const void *)(e + i * sizeof(*s));

			if (o)
				json_object_object_add(o, "host_nqn", json_object_new_string(s->host_nqn));
			else
				printf("%s\n", s->host_nqn);
		} else {
			const struct dpu_abi_nvmf_listener *s = (const void *)(e + i * sizeof(*s));

			if (o) {
				json_object_object_add(o, "traddr", json_object_new_string(s->traddr));
				json_object_object_add(o, "port", json_object_new_int(s->port));
			} else {
				printf("tcp %s:%u\n", s->traddr, s->port);
			}
		}
		if (o)
			json_object_array_add(arr, o);
	}
	if (arr)
		dpuctl_print_json(arr);
	return 0;
}

int dpuctl_nvmf(struct dpu_host_card *card, int argc, char **argv)
{
	const struct dpu_abi_hdr *resp;
	const char *obj = argc > 0 ? argv[0] : "", *verb = argc > 1 ? argv[1] : "";
	int add = !strcmp(verb, "add");

	if (argc < 2)
		return usage_nvmf();
	if (!strcmp(obj, "subsystem")) {
		if (!strcmp(verb, "list"))
			return list(card, DPU_ABI_OP_NVMF_SUBSYS_LIST, NULL);
		if (argc < 3)
			return usage_nvmf();
		if (add) {
			struct dpu_abi_nvmf_subsys s = { 0 };

			if (copy_str(s.nqn, sizeof(s.nqn), argv[2], "NQN"))
				return DPUCTL_EXIT_USAGE;
			copy_str(s.serial, sizeof(s.serial), "OPENDPU0001", "serial");
			copy_str(s.model, sizeof(s.model), "opendpu NVMe-oF", "model");
			for (int i = 3; i < argc; i++) {
				if (!strcmp(argv[i], "--allow-any-host"))
					s.flags |= DPU_ABI_NVMF_ALLOW_ANY_HOST;
				else if (!strcmp(argv[i], "--serial") && i + 1 < argc) {
					if (copy_str(s.serial, sizeof(s.serial), argv[++i], "--serial"))
						return DPUCTL_EXIT_USAGE;
				} else if (!strcmp(argv[i], "--model") && i + 1 < argc) {
					if (copy_str(s.model, sizeof(s.model), argv[++i], "--model"))
						return DPUCTL_EXIT_USAGE;
				} else
					return usage_nvmf();
			}
			return call(card, DPU_ABI_OP_NVMF_SUBSYS_ADD, &s, sizeof(s), &resp,
				    "nvmf subsystem add");
		}
		if (!strcmp(verb, "del")) {
			struct dpu_abi_nvmf_subsys_ref r = { 0 };

			if (copy_str(r.nqn, sizeof(r.nqn), argv[2], "NQN"))
				return DPUCTL_EXIT_USAGE;
			return call(card, DPU_ABI_OP_NVMF_SUBSYS_DEL, &r, sizeof(r), &resp,
				    "nvmf subsystem del");
		}
		return usage_nvmf();
	}
	if (argc < 3)
		return usage_nvmf();
	if (!strcmp(obj, "ns")) {
		if (!strcmp(verb, "list"))
			return list(card, DPU_ABI_OP_NVMF_NS_LIST, argv[2]);
		if (argc < 4)
			return usage_nvmf();
		if (add) {
			struct dpu_abi_nvmf_ns s = { .block_shift = 12 };
			uint32_t bs = 0;
			int have = 0;

			if (copy_str(s.nqn, sizeof(s.nqn), argv[2], "NQN") ||
			    parse_u32(argv[3], "NSID", 1, 0xfffffffe, &s.nsid))
				return DPUCTL_EXIT_USAGE;
			for (int i = 4; i + 1 < argc; i += 2) {
				if (!strcmp(argv[i], "--ram") || !strcmp(argv[i], "--null")) {
					s.backend = argv[i][2] == 'r' ? DPU_ABI_NVMF_BDEV_RAM
								      : DPU_ABI_NVMF_BDEV_NULL;
					if (parse_size(argv[i + 1], &s.size_bytes))
						return DPUCTL_EXIT_USAGE;
					have = 1;
				} else if (!strcmp(argv[i], "--file")) {
					s.backend = DPU_ABI_NVMF_BDEV_FILE;
					if (copy_str(s.path, sizeof(s.path), argv[i + 1], "--file"))
						return DPUCTL_EXIT_USAGE;
					have = 1;
				} else if (!strcmp(argv[i], "--block-size")) {
					if (parse_u32(argv[i + 1], "--block-size", 512, 4096, &bs) ||
					    (bs & (bs - 1)))
						return DPUCTL_EXIT_USAGE;
					s.block_shift = (uint8_t)__builtin_ctz(bs);
				} else {
					return usage_nvmf();
				}
			}
			if (!have)
				return usage_nvmf();
			return call(card, DPU_ABI_OP_NVMF_NS_ADD, &s, sizeof(s), &resp,
				    "nvmf ns add");
		}
		if (!strcmp(verb, "del")) {
			struct dpu_abi_nvmf_ns_ref r = { 0 };

			if (copy_str(r.nqn, sizeof(r.nqn), argv[2], "NQN") ||
			    parse_u32(argv[3], "NSID", 1, 0xfffffffe, &r.nsid))
				return DPUCTL_EXIT_USAGE;
			return call(card, DPU_ABI_OP_NVMF_NS_DEL, &r, sizeof(r), &resp,
				    "nvmf ns del");
		}
		return usage_nvmf();
	}
	if (!strcmp(obj, "host")) {
		struct dpu_abi_nvmf_host h = { 0 };

		if (!strcmp(verb, "list"))
			return list(card, DPU_ABI_OP_NVMF_HOST_LIST, argv[2]);
		if (argc < 4 || (!add && strcmp(verb, "del")))
			return usage_nvmf();
		if (copy_str(h.nqn, sizeof(h.nqn), argv[2], "NQN") ||
		    copy_str(h.host_nqn, sizeof(h.host_nqn), argv[3], "HOSTNQN"))
			return DPUCTL_EXIT_USAGE;
		return call(card, add ? DPU_ABI_OP_NVMF_HOST_ADD : DPU_ABI_OP_NVMF_HOST_DEL,
			    &h, sizeof(h), &resp, "nvmf host");
	}
	if (!strcmp(obj, "listener")) {
		struct dpu_abi_nvmf_listener l = { 0 };
		uint32_t port;
		unsigned char a[16];

		if (!strcmp(verb, "list"))
			return list(card, DPU_ABI_OP_NVMF_LISTENER_LIST, argv[2]);
		if (argc < 5 || (!add && strcmp(verb, "del")))
			return usage_nvmf();
		if (copy_str(l.nqn, sizeof(l.nqn), argv[2], "NQN") ||
		    copy_str(l.traddr, sizeof(l.traddr), argv[3], "ADDR") ||
		    parse_u32(argv[4], "PORT", 1, 65535, &port))
			return DPUCTL_EXIT_USAGE;
		if (inet_pton(AF_INET, l.traddr, a) == 1)
			l.adrfam = DPU_ABI_NVMF_ADRFAM_IPV4;
		else if (inet_pton(AF_INET6, l.traddr, a) == 1)
			l.adrfam = DPU_ABI_NVMF_ADRFAM_IPV6;
		else {
			fprintf(stderr, "dpuctl: ADDR '%s' is not a numeric IPv4/IPv6 address\n",
				l.traddr);
			return DPUCTL_EXIT_USAGE;
		}
		l.port = (uint16_t)port;
		return call(card, add ? DPU_ABI_OP_NVMF_LISTENER_ADD
				      : DPU_ABI_OP_NVMF_LISTENER_DEL,
			    &l, sizeof(l), &resp, "nvmf listener");
	}
	return usage_nvmf();
}
