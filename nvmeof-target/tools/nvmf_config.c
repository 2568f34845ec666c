/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu-nvmf JSON configuration: target options plus subsystems with their
 * namespaces, hosts and listeners, applied through the public config API
 * (the same calls dpu-fw makes for ABI requests).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "nvmf_config.h"
#include "nvmf_yaml.h"

static struct json_object *load(const char *path)
{
	size_t n = strlen(path);
	struct json_object *j;

	if ((n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml")))
		return nvmf_yaml_load(path);
	j = json_object_from_file(path);

	if (!j)
		fprintf(stderr, "dpu-nvmf: %s: %s\n", path, json_util_get_last_err());
	return j;
}

static int get_u64(struct json_object *o, const char *key, uint64_t *v, const char *ctx)
{
	struct json_object *x;
	const char *s;
	char *end;
	double mult = 1;

	if (!json_object_object_get_ex(o, key, &x))
		return 0;
	if (json_object_is_type(x, json_type_int)) {
		if (json_object_get_int64(x) < 0)
			goto bad;
		*v = (uint64_t)json_object_get_int64(x);
		return 1;
	}
	if (!json_object_is_type(x, json_type_string))
		goto bad;
	s = json_object_get_string(x);
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s)
		goto bad;
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = 1024.0; end++; break;
	case 'M': mult = 1024.0 * 1024; end++; break;
	case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
	case 'T': mult = 1024.0 * 1024 * 1024 * 1024; end++; break;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end)
		goto bad;
	*v = (uint64_t)((double)*v * mult);
	return 1;
bad:
	fprintf(stderr, "dpu-nvmf: %s: \"%s\" must be a non-negative number or size string\n",
		ctx, key);
	return -EINVAL;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_string))
		return NULL;
	return json_object_get_string(x);
}

static int get_bool(struct json_object *o, const char *key, bool dflt)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, key, &x))
		return dflt;
	return json_object_get_boolean(x);
}

static int copy_str(char *dst, size_t cap, const char *src, const char *ctx, const char *key)
{
	if (!src)
		return 0;
	if (strlen(src) >= cap) {
		fprintf(stderr, "dpu-nvmf: %s: \"%s\" longer than %zu bytes\n", ctx, key, cap - 1);
		return -EINVAL;
	}
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

static int parse_uuid(const char *s, uint8_t out[16])
{
	int n = 0;

	for (; *s && n < 32; s++) {
		if (*s == '-')
			continue;
		if (!isxdigit((unsigned char)*s))
			return -EINVAL;
		int v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);

		out[n / 2] = (uint8_t)(n % 2 ? out[n / 2] | v : v << 4);
		n++;
	}
	return n == 32 && !*s ? 0 : -EINVAL;
}

int nvmf_config_load_opts(const char *path, struct nvmf_tgt_opts *o)
{
	struct json_object *j = load(path), *t;
	uint64_t v;
	int rc = 0;
	const char *lvl;

	if (!j)
		return -EINVAL;
	if (!json_object_object_get_ex(j, "target", &t)) {
		json_object_put(j);
		return 0;
	}
#define U(key, field, max)                                                          \
	do {                                                                        \
		int r_ = get_u64(t, key, &v, "target");                             \
		if (r_ < 0 || (r_ && v > (max))) {                                  \
			fprintf(stderr, "dpu-nvmf: target: \"%s\" out of range\n", key); \
			rc = -EINVAL;                                               \
		} else if (r_) {                                                    \
			o->field = (__typeof__(o->field))v;                         \
		}                                                                   \
	} while (0)
	U("reactors", n_reactors, 64);
	U("max_io_size", max_io_size, 8u << 20);
	U("in_capsule_data_size", in_capsule_data_size, 65536);
	U("maxh2cdata", maxh2cdata, 1u << 30);
	U("max_queue_depth", max_queue_depth, 4096);
	U("max_io_queues", max_io_queues, 1024);
	U("kato_default_ms", kato_default_ms, 3600000);
#undef U
	{
		struct json_object *x;

		if (json_object_object_get_ex(t, "first_cpu", &x))
			o->first_cpu = json_object_get_int(x);
	}
	o->busy_poll = get_bool(t, "busy_poll", o->busy_poll);
	o->c2h_success = get_bool(t, "c2h_success", o->c2h_success);
	lvl = get_str(t, "log_level");
	if (lvl) {
		if (!strcmp(lvl, "error"))
			o->log_level = NVMF_LOG_ERR;
		else if (!strcmp(lvl, "warn"))
			o->log_level = NVMF_LOG_WARN;
		else if (!strcmp(lvl, "info"))
			o->log_level = NVMF_LOG_INFO;
		else if (!strcmp(lvl, "debug"))
			o->log_level = NVMF_LOG_DEBUG;
		else {
			fprintf(stderr, "dpu-nvmf: target: log_level \"%s\" unknown\n", lvl);
			rc = -EINVAL;
		}
	}
	json_object_put(j);
	return rc;
}

static int add_listener(struct nvmf_tgt *tgt, const char *nqn, struct json_object *l, FILE *report)
{
	struct nvmf_listener_params lp = { 0 };
	struct json_object *adv;
	const char *fam = get_str(l, "adrfam");
	uint64_t port = NVMF_TCP_PORT_DEFAULT;
	int rc;

	snprintf(lp.nqn, sizeof(lp.nqn), "%s", nqn);
	if (copy_str(lp.traddr, sizeof(lp.traddr), get_str(l, "traddr") ? get_str(l, "traddr") :
		     "127.0.0.1", nqn, "traddr"))
		return -EINVAL;
	if (get_u64(l, "port", &port, "listener") < 0 || port > 65535)
		return -EINVAL;
	lp.port = (uint16_t)port;
	lp.adrfam = fam && !strcmp(fam, "ipv6") ? NVMF_ADRFAM_IPV6 :
		    (!fam && strchr(lp.traddr, ':')) ? NVMF_ADRFAM_IPV6 : NVMF_ADRFAM_IPV4;
	rc = nvmf_listener_add(tgt, &lp);
	if (rc) {
		fprintf(stderr, "dpu-nvmf: %s: listener %s:%u: %s\n", nqn, lp.traddr, lp.port,
			strerror(-rc));
		return rc;
	}
	if (json_object_object_get_ex(l, "advertise", &adv)) {
		/* what the discovery log tells hosts (NAT, port forwards) */
		struct nvmf_listener_params ap = { 0 };
		uint64_t aport = 0;

		fam = get_str(adv, "adrfam");
		if (!json_object_is_type(adv, json_type_object) || !get_str(adv, "traddr")) {
			fprintf(stderr, "dpu-nvmf: %s: listener advertise: needs \"traddr\"\n", nqn);
			return -EINVAL;
		}
		if (copy_str(ap.traddr, sizeof(ap.traddr), get_str(adv, "traddr"), nqn,
			     "advertise traddr"))
			return -EINVAL;
		if (get_u64(adv, "port", &aport, "listener advertise") < 0 || aport > 65535) {
			fprintf(stderr, "dpu-nvmf: %s: listener advertise: \"port\" out of range\n",
				nqn);
			return -EINVAL;
		}
		ap.port = (uint16_t)aport;
		ap.adrfam = fam && !strcmp(fam, "ipv6") ? NVMF_ADRFAM_IPV6 :
			    (!fam && strchr(ap.traddr, ':')) ? NVMF_ADRFAM_IPV6 : NVMF_ADRFAM_IPV4;
		rc = nvmf_listener_advertise(tgt, &lp, &ap);
		if (rc) {
			fprintf(stderr, "dpu-nvmf: %s: listener advertise traddr %s: %s\n", nqn,
				ap.traddr, strerror(-rc));
			return rc;
		}
	}
	if (report)
		fprintf(report, "{\"nqn\":\"%s\",\"traddr\":\"%s\",\"port\":%u}\n", nqn, lp.traddr,
			lp.port);
	return 0;
}

static int add_ns(struct nvmf_tgt *tgt, const char *nqn, struct json_object *n)
{
	struct nvmf_ns_params np = { 0 };
	const char *be = get_str(n, "backend"), *u;
	uint64_t v;
	int rc;

	snprintf(np.nqn, sizeof(np.nqn), "%s", nqn);
	if (get_u64(n, "nsid", &v, nqn) > 0) {
		if (v == 0 || v >= 0xffffffffull) {
			fprintf(stderr, "dpu-nvmf: %s: nsid %llu out of range\n", nqn,
				(unsigned long long)v);
			return -EINVAL;
		}
		np.nsid = (uint32_t)v;
	}
	if (!be || !strcmp(be, "ram"))
		np.backend = NVMF_BDEV_RAM;
	else if (!strcmp(be, "null"))
		np.backend = NVMF_BDEV_NULL;
	else if (!strcmp(be, "file"))
		np.backend = NVMF_BDEV_FILE;
	else {
		fprintf(stderr, "dpu-nvmf: %s: backend \"%s\" (ram, null, file)\n", nqn, be);
		return -EINVAL;
	}
	if (get_u64(n, "size", &v, nqn) > 0)
		np.size_bytes = v;
	if (get_u64(n, "block_size", &v, nqn) > 0) {
		if (v != 512 && v != 1024 && v != 2048 && v != 4096) {
			fprintf(stderr, "dpu-nvmf: %s: block_size %llu (512..4096, power of 2)\n",
				nqn, (unsigned long long)v);
			return -EINVAL;
		}
		np.block_shift = (uint8_t)__builtin_ctzll(v);
	}
	if (copy_str(np.path, sizeof(np.path), get_str(n, "path"), nqn, "path"))
		return -EINVAL;
	if ((u = get_str(n, "uuid")) && parse_uuid(u, np.uuid)) {
		fprintf(stderr, "dpu-nvmf: %s: uuid \"%s\" is not a UUID\n", nqn, u);
		return -EINVAL;
	}
	if ((u = get_str(n, "nguid")) && parse_uuid(u, np.nguid)) {
		fprintf(stderr, "dpu-nvmf: %s: nguid \"%s\" is not 32 hex digits\n", nqn, u);
		return -EINVAL;
	}
	rc = nvmf_ns_add(tgt, &np);
	if (rc)
		fprintf(stderr, "dpu-nvmf: %s: namespace: %s\n", nqn, strerror(-rc));
	return rc;
}

int nvmf_config_apply(struct nvmf_tgt *tgt, const char *path, FILE *report)
{
	struct json_object *j = load(path), *subs, *arr;
	int rc = 0;

	if (!j)
		return -EINVAL;
	if (json_object_object_get_ex(j, "discovery_listeners", &arr)) {
		for (size_t i = 0; i < json_object_array_length(arr) && !rc; i++)
			rc = add_listener(tgt, NVMF_DISCOVERY_NQN, json_object_array_get_idx(arr, i),
					  report);
	}
	if (!rc && json_object_object_get_ex(j, "subsystems", &subs)) {
		for (size_t i = 0; i < json_object_array_length(subs) && !rc; i++) {
			struct json_object *s = json_object_array_get_idx(subs, i);
			struct nvmf_subsys_params sp = { 0 };
			const char *nqn = get_str(s, "nqn");
			uint64_t v;

			if (!nqn) {
				fprintf(stderr, "dpu-nvmf: subsystems[%zu]: \"nqn\" missing\n", i);
				rc = -EINVAL;
				break;
			}
			if (copy_str(sp.nqn, sizeof(sp.nqn), nqn, "subsystem", "nqn")) {
				rc = -EINVAL;
				break;
			}
			/* SN/MN are fixed-width, not NUL-terminated when full */
			if (get_str(s, "serial"))
				memcpy(sp.serial, get_str(s, "serial"),
				       strnlen(get_str(s, "serial"), sizeof(sp.serial)));
			if (get_str(s, "model"))
				memcpy(sp.model, get_str(s, "model"),
				       strnlen(get_str(s, "model"), sizeof(sp.model)));
			sp.flags = get_bool(s, "allow_any_host", false) ? NVMF_SUBSYS_ALLOW_ANY_HOST : 0;
			if (get_u64(s, "max_namespaces", &v, nqn) > 0)
				sp.max_namespaces = (uint32_t)v;
			rc = nvmf_subsystem_add(tgt, &sp);
			if (rc) {
				fprintf(stderr, "dpu-nvmf: subsystem %s: %s\n", nqn, strerror(-rc));
				break;
			}
			if (json_object_object_get_ex(s, "hosts", &arr))
				for (size_t k = 0; k < json_object_array_length(arr) && !rc; k++) {
					struct nvmf_host_params hp = { 0 };
					const char *h = json_object_get_string(json_object_array_get_idx(arr, k));

					snprintf(hp.nqn, sizeof(hp.nqn), "%s", nqn);
					rc = copy_str(hp.host_nqn, sizeof(hp.host_nqn), h, nqn, "hosts");
					if (!rc)
						rc = nvmf_host_add(tgt, &hp);
				}
			if (!rc && json_object_object_get_ex(s, "namespaces", &arr))
				for (size_t k = 0; k < json_object_array_length(arr) && !rc; k++)
					rc = add_ns(tgt, nqn, json_object_array_get_idx(arr, k));
			if (!rc && json_object_object_get_ex(s, "listeners", &arr))
				for (size_t k = 0; k < json_object_array_length(arr) && !rc; k++)
					rc = add_listener(tgt, nqn, json_object_array_get_idx(arr, k), report);
		}
	}
	json_object_put(j);
	return rc;
}
