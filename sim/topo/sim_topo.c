/* SPDX-License-Identifier: BSD-3-Clause */
/* Topology files: JSON via json-c, validated field by field. */
#include "sim_topo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* snprintf whose truncation is fine (names were length-checked before). */
__attribute__((format(printf, 3, 4)))
static void fmt(char *dst, size_t cap, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(dst, cap, f, ap);
	va_end(ap);
}

struct ctx {
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s: ", path);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Names that become netdev/namespace/file names: no shell or path tricks. */
static bool name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.'))
			return false;
	}
	return true;
}

static int get_str(struct ctx *c, json_object *o, const char *key, const char *path,
		   char *dst, size_t cap, size_t max_name, bool required)
{
	json_object *v;
	const char *s;
	char p[160];

	fmt(p, sizeof(p), "%s.%s", path, key);
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (required)
			return fail(c, p, "missing");
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return fail(c, p, "expected a string");
	s = json_object_get_string(v);
	if (strlen(s) >= cap)
		return fail(c, p, "'%s' is longer than %zu characters", s, cap - 1);
	if (max_name && !name_ok(s, max_name))
		return fail(c, p, "'%s' is not a name (1-%zu of [A-Za-z0-9_.-])", s, max_name);
	fmt(dst, cap, "%s", s);
	return 0;
}

static int get_uint(struct ctx *c, json_object *o, const char *key, const char *path,
		    uint32_t max, uint32_t *dst)
{
	json_object *v;
	char p[160];
	int64_t x;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	fmt(p, sizeof(p), "%s.%s", path, key);
	if (!json_object_is_type(v, json_type_int))
		return fail(c, p, "expected an integer");
	x = json_object_get_int64(v);
	if (x < 0 || x > (int64_t)max)
		return fail(c, p, "%lld is outside 0..%u", (long long)x, max);
	*dst = (uint32_t)x;
	return 0;
}

static int get_bool(struct ctx *c, json_object *o, const char *key, const char *path, bool *dst)
{
	json_object *v;
	char p[160];

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	fmt(p, sizeof(p), "%s.%s", path, key);
	if (!json_object_is_type(v, json_type_boolean))
		return fail(c, p, "expected true or false");
	*dst = json_object_get_boolean(v);
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return (mac[0] & 1) ? -1 : 0;	/* a port address is unicast */
}

static bool ip_ok(const char *s)
{
	char a[48], *slash;
	unsigned char buf[16];
	long plen;
	int v6;

	fmt(a, sizeof(a), "%s", s);
	slash = strchr(a, '/');
	if (slash == NULL)
		return false;
	*slash = 0;
	v6 = strchr(a, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, a, buf) != 1)
		return false;
	plen = strtol(slash + 1, &slash, 10);
	return *slash == 0 && plen >= 0 && plen <= (v6 ? 128 : 32);
}

static int parse_port(struct ctx *c, json_object *o, const char *path,
		      struct sim_topo_port *p)
{
	json_object *v;
	char mac[32] = "", p2[160];
	uint32_t mtu = 0;
	int rc;

	if (!json_object_is_type(o, json_type_object))
		return fail(c, path, "expected an object");
	fmt(p->driver, sizeof(p->driver), "vtap");
	if ((rc = get_str(c, o, "driver", path, p->driver, sizeof(p->driver), 31, false)) ||
	    (rc = get_str(c, o, "devargs", path, p->devargs, sizeof(p->devargs), 0, false)) ||
	    (rc = get_str(c, o, "netns", path, p->netns, sizeof(p->netns), 31, false)) ||
	    (rc = get_str(c, o, "ifname", path, p->ifname, sizeof(p->ifname), 15, false)) ||
	    (rc = get_str(c, o, "wire", path, p->wire, sizeof(p->wire), 31, false)) ||
	    (rc = get_str(c, o, "mac", path, mac, sizeof(mac), 0, false)) ||
	    (rc = get_uint(c, o, "mtu", path, 65000, &mtu)))
		return rc;
	if (strcmp(p->driver, "vtap") && strncmp(p->driver, "net_", 4)) {
		fmt(p2, sizeof(p2), "%s.driver", path);
		return fail(c, p2, "'%s' is not vtap or a DPDK net_* vdev", p->driver);
	}
	if (mtu && mtu < 68) {
		fmt(p2, sizeof(p2), "%s.mtu", path);
		return fail(c, p2, "%u is below 68", mtu);
	}
	p->mtu = (uint16_t)mtu;
	if (mac[0]) {
		if (parse_mac(mac, p->mac) < 0) {
			fmt(p2, sizeof(p2), "%s.mac", path);
			return fail(c, p2, "'%s' is not a unicast MAC (aa:bb:cc:dd:ee:ff)", mac);
		}
		p->has_mac = true;
	}
	if (json_object_object_get_ex(o, "ip", &v)) {
		bool arr = json_object_is_type(v, json_type_array);
		size_t n = arr ? json_object_array_length(v) : 1;

		fmt(p2, sizeof(p2), "%s.ip", path);
		if (n > SIM_TOPO_MAX_IPS)
			return fail(c, p2, "at most %d addresses", SIM_TOPO_MAX_IPS);
		for (size_t i = 0; i < n; i++) {
			json_object *e = arr ? json_object_array_get_idx(v, i) : v;
			const char *s;

			if (!json_object_is_type(e, json_type_string))
				return fail(c, p2, "expected \"address/prefix\" strings");
			s = json_object_get_string(e);
			if (strlen(s) >= sizeof(p->ips[0]) || !ip_ok(s))
				return fail(c, p2, "'%s' is not an address/prefix", s);
			fmt(p->ips[p->n_ips++], sizeof(p->ips[0]), "%s", s);
		}
	}
	return 0;
}

static int add_port(struct ctx *c, struct sim_topo_card *card, json_object *o,
		    const char *path, enum sim_topo_port_kind kind, const char *name)
{
	struct sim_topo_port *p;
	int rc;

	if (card->n_ports == SIM_TOPO_MAX_PORTS)
		return fail(c, path, "more than %d ports", SIM_TOPO_MAX_PORTS);
	p = &card->ports[card->n_ports];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	fmt(p->name, sizeof(p->name), "%s", name);
	if (o != NULL && (rc = parse_port(c, o, path, p)) < 0)
		return rc;
	if (o == NULL)
		fmt(p->driver, sizeof(p->driver), "vtap");
	if (kind == SIM_TOPO_UPLINK && p->wire[0] == 0)
		return fail(c, path, "an uplink needs \"wire\"");
	if (kind != SIM_TOPO_UPLINK && p->wire[0])
		return fail(c, path, "only uplinks plug into a wire");
	fmt(p->host_ifname, sizeof(p->host_ifname), "%s_%s", card->name, name);
	/* Unique per card; in a namespace any name will do. */
	if (p->ifname[0] == 0)
		fmt(p->ifname, sizeof(p->ifname), "%s_%s", card->name, name);
	if (strlen(card->rep_prefix) + strlen(name) > 15)
		return fail(c, path, "representor name '%s%s' exceeds 15 characters",
			    card->rep_prefix, name);
	fmt(p->rep_ifname, sizeof(p->rep_ifname), "%s%s", card->rep_prefix, name);
	card->n_ports++;
	return 0;
}

static int parse_card(struct ctx *c, json_object *o, const char *path, struct sim_topo *t,
		      struct sim_topo_card *card)
{
	json_object *v;
	char p[160], name[16];
	int rc;

	if (!json_object_is_type(o, json_type_object))
		return fail(c, path, "expected an object");
	card->hot_spin_us = SIM_TOPO_HOT_SPIN_US;
	if ((rc = get_str(c, o, "name", path, card->name, sizeof(card->name), 6, true)) ||
	    (rc = get_str(c, o, "rep_prefix", path, card->rep_prefix, sizeof(card->rep_prefix),
			  0, false)) ||
	    (rc = get_uint(c, o, "max_flows", path, 1u << 26, &card->max_flows)) ||
	    (rc = get_uint(c, o, "spin_us", path, 1000000, &card->spin_us)) ||
	    (rc = get_uint(c, o, "hot_spin_us", path, 1000000, &card->hot_spin_us)) ||
	    (rc = get_bool(c, o, "busy_poll", path, &card->busy_poll)))
		return rc;
	if (card->rep_prefix[0] && !name_ok(card->rep_prefix, 7))
		return fail(c, path, "rep_prefix '%s' is not a name", card->rep_prefix);
	if (json_object_object_get_ex(o, "listen", &v)) {
		size_t n;

		fmt(p, sizeof(p), "%s.listen", path);
		if (!json_object_is_type(v, json_type_array))
			return fail(c, p, "expected an array of addresses");
		n = json_object_array_length(v);
		if (n > SIM_TOPO_MAX_LISTEN)
			return fail(c, p, "at most %d addresses", SIM_TOPO_MAX_LISTEN);
		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(v, i);

			if (!json_object_is_type(e, json_type_string) ||
			    strlen(json_object_get_string(e)) >= sizeof(card->listen[0]))
				return fail(c, p, "entry %zu: expected a short string", i);
			fmt(card->listen[card->n_listen++], sizeof(card->listen[0]), "%s",
				 json_object_get_string(e));
		}
	} else {
		fmt(card->listen[card->n_listen++], sizeof(card->listen[0]),
			 "unix:%s/%s.sock", t->run_dir, card->name);
		fmt(card->listen[card->n_listen++], sizeof(card->listen[0]),
			 "shm:%s/%s.shm", t->run_dir, card->name);
	}
	if (json_object_object_get_ex(o, "uplinks", &v)) {
		fmt(p, sizeof(p), "%s.uplinks", path);
		if (!json_object_is_type(v, json_type_array))
			return fail(c, p, "expected an array");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			fmt(p, sizeof(p), "%s.uplinks[%zu]", path, i);
			fmt(name, sizeof(name), "p%zu", i);
			rc = add_port(c, card, json_object_array_get_idx(v, i), p,
				      SIM_TOPO_UPLINK, name);
			if (rc < 0)
				return rc;
			if (!sim_topo_find_wire(t, card->ports[card->n_ports - 1].wire))
				return fail(c, p, "wire '%s' is not in \"wires\"",
					    card->ports[card->n_ports - 1].wire);
			card->n_uplinks++;
		}
	}
	fmt(p, sizeof(p), "%s.pf", path);
	json_object_object_get_ex(o, "pf", &v);
	if ((rc = add_port(c, card, v, p, SIM_TOPO_PF, "pf0")) < 0)
		return rc;
	if (json_object_object_get_ex(o, "vfs", &v)) {
		fmt(p, sizeof(p), "%s.vfs", path);
		if (!json_object_is_type(v, json_type_array))
			return fail(c, p, "expected an array");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			fmt(p, sizeof(p), "%s.vfs[%zu]", path, i);
			fmt(name, sizeof(name), "pf0vf%zu", i);
			rc = add_port(c, card, json_object_array_get_idx(v, i), p, SIM_TOPO_VF,
				      name);
			if (rc < 0)
				return rc;
			card->n_vfs++;
		}
	}
	return 0;
}

static int parse_root(struct ctx *c, json_object *root, struct sim_topo *t)
{
	json_object *v;
	char p[64];
	int rc;

	if (!json_object_is_type(root, json_type_object))
		return fail(c, "topology", "expected a JSON object");
	fmt(t->run_dir, sizeof(t->run_dir), "/run/opendpu");
	if ((rc = get_str(c, root, "name", "topology", t->name, sizeof(t->name), 63, false)) ||
	    (rc = get_str(c, root, "run_dir", "topology", t->run_dir, sizeof(t->run_dir), 0,
			  false)))
		return rc;
	if (t->run_dir[0] != '/')
		return fail(c, "topology.run_dir", "'%s' is not an absolute path", t->run_dir);
	if (json_object_object_get_ex(root, "wires", &v)) {
		if (!json_object_is_type(v, json_type_array))
			return fail(c, "wires", "expected an array");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *w = json_object_array_get_idx(v, i);
			struct sim_topo_wire *wr;
			uint32_t mtu = 0;

			fmt(p, sizeof(p), "wires[%zu]", i);
			if (t->n_wires == SIM_TOPO_MAX_WIRES)
				return fail(c, p, "at most %d wires", SIM_TOPO_MAX_WIRES);
			wr = &t->wires[t->n_wires];
			if (!json_object_is_type(w, json_type_object))
				return fail(c, p, "expected an object");
			if ((rc = get_str(c, w, "name", p, wr->name, sizeof(wr->name), 31, true)) ||
			    (rc = get_str(c, w, "netns", p, wr->netns, sizeof(wr->netns), 31,
					  false)) ||
			    (rc = get_str(c, w, "bridge", p, wr->bridge, sizeof(wr->bridge), 15,
					  false)) ||
			    (rc = get_uint(c, w, "mtu", p, 65000, &mtu)))
				return rc;
			if (sim_topo_find_wire(t, wr->name))
				return fail(c, p, "wire '%s' defined twice", wr->name);
			if (!wr->netns[0])
				fmt(wr->netns, sizeof(wr->netns), "%s", wr->name);
			if (!wr->bridge[0])
				fmt(wr->bridge, sizeof(wr->bridge), "br0");
			wr->mtu = (uint16_t)(mtu ? mtu : 9000);
			t->n_wires++;
		}
	}
	if (!json_object_object_get_ex(root, "cards", &v) ||
	    !json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
		return fail(c, "cards", "expected a non-empty array");
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		struct sim_topo_card *card;

		fmt(p, sizeof(p), "cards[%zu]", i);
		if (t->n_cards == SIM_TOPO_MAX_CARDS)
			return fail(c, p, "at most %d cards", SIM_TOPO_MAX_CARDS);
		card = &t->cards[t->n_cards];
		rc = parse_card(c, json_object_array_get_idx(v, i), p, t, card);
		if (rc < 0)
			return rc;
		for (int j = 0; j < t->n_cards; j++) {
			if (!strcmp(t->cards[j].name, card->name))
				return fail(c, p, "card '%s' defined twice", card->name);
			if (!strcmp(t->cards[j].rep_prefix, card->rep_prefix))
				return fail(c, p, "rep_prefix '%s' already used by card '%s'",
					    card->rep_prefix, t->cards[j].name);
		}
		t->n_cards++;
	}
	return 0;
}

int sim_topo_parse(const char *json, struct sim_topo *t, char *err, size_t errlen)
{
	struct ctx c = { err, errlen };
	enum json_tokener_error jerr;
	json_object *root;
	int rc;

	memset(t, 0, sizeof(*t));
	root = json_tokener_parse_verbose(json, &jerr);
	if (root == NULL)
		return fail(&c, "topology", "not JSON: %s", json_tokener_error_desc(jerr));
	rc = parse_root(&c, root, t);
	json_object_put(root);
	return rc;
}

int sim_topo_load(const char *path, struct sim_topo *t, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;
	int rc;

	if (f == NULL) {
		fmt(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || n > (1 << 20) ||
	    fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		fmt(err, errlen, "%s: unreadable or larger than 1 MiB", path);
		return -EINVAL;
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		fmt(err, errlen, "%s: short read", path);
		return -EIO;
	}
	buf[n] = 0;
	fclose(f);
	rc = sim_topo_parse(buf, t, err, errlen);
	free(buf);
	return rc;
}

const struct sim_topo_card *sim_topo_find_card(const struct sim_topo *t, const char *name)
{
	for (int i = 0; i < t->n_cards; i++)
		if (!strcmp(t->cards[i].name, name))
			return &t->cards[i];
	return NULL;
}

const struct sim_topo_wire *sim_topo_find_wire(const struct sim_topo *t, const char *name)
{
	for (int i = 0; i < t->n_wires; i++)
		if (!strcmp(t->wires[i].name, name))
			return &t->wires[i];
	return NULL;
}
