// SPDX-License-Identifier: BSD-3-Clause
/*
 * Storage desired state: the subsystems, namespaces, allowed hosts and
 * listeners the agent configured on the card's NVMe-oF/TCP target.
 *
 * A change goes to the card first (one ABI request) and is recorded only
 * when the card took it; a refusal comes back with the card's reason and
 * changes nothing. The record is written to the state file (atomically:
 * a temporary file renamed over it) after every change, and read back when
 * the agent starts, so the configuration survives restarts of the agent;
 * a restart of the card (new epoch) replays it: subsystems, then
 * namespaces, hosts and listeners, each kind in the order it was made.
 *
 * The agent owns what it made and nothing else: objects on the card it
 * does not know (made with `dpuctl -c`) are never touched by a resync,
 * and requests about them are refused before they reach the card.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "agent_log.h"
#include "dpu_abi_codec.h"

static const char *const list_keys[DPU_NVMF_KINDS] = { "subsystems", "namespaces", "hosts",
							 "listeners" };

void agent_nvmf_fini(struct agent *a)
{
	for (size_t i = 0; i < a->nvmf.n; i++)
		free(a->nvmf.v[i].reason);
	free(a->nvmf.v);
	memset(&a->nvmf, 0, sizeof(a->nvmf));
}

static struct agent_nvmf_obj *find(struct agent *a, int kind, const union dpu_nvmf_obj *o)
{
	for (size_t i = 0; i < a->nvmf.n; i++)
		if (a->nvmf.v[i].kind == kind && dpu_nvmf_same(kind, &a->nvmf.v[i].o, o))
			return &a->nvmf.v[i];
	return NULL;
}

static struct agent_nvmf_obj *find_subsys(struct agent *a, const char *nqn)
{
	union dpu_nvmf_obj k;

	memset(&k, 0, sizeof(k));
	memcpy(k.nqn, nqn, strnlen(nqn, DPU_ABI_NQN_LEN - 1));
	return find(a, DPU_NVMF_SUBSYS, &k);
}

static void set_reason(struct agent_nvmf_obj *e, const char *why)
{
	free(e->reason);
	e->reason = why && *why ? strdup(why) : NULL;
}

static int append(struct agent *a, int kind, const union dpu_nvmf_obj *o, uint8_t state)
{
	struct agent_nvmf_obj *e;

	if (a->nvmf.n == AGENT_NVMF_MAX)
		return -ENOSPC;
	if (a->nvmf.n == a->nvmf.cap) {
		size_t cap = a->nvmf.cap ? a->nvmf.cap * 2 : 16;
		struct agent_nvmf_obj *v = realloc(a->nvmf.v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		a->nvmf.v = v;
		a->nvmf.cap = cap;
	}
	e = &a->nvmf.v[a->nvmf.n++];
	memset(e, 0, sizeof(*e));
	e->kind = (uint8_t)kind;
	e->state = state;
	e->o = *o;
	return 0;
}

static void remove_at(struct agent *a, size_t i)
{
	free(a->nvmf.v[i].reason);
	memmove(&a->nvmf.v[i], &a->nvmf.v[i + 1], (a->nvmf.n - i - 1) * sizeof(a->nvmf.v[0]));
	a->nvmf.n--;
}

/* The card removes a subsystem's listeners, hosts and namespaces with it. */
static void remove_obj(struct agent *a, int kind, const union dpu_nvmf_obj *o)
{
	for (size_t i = a->nvmf.n; i-- > 0;) {
		struct agent_nvmf_obj *e = &a->nvmf.v[i];

		if (kind == DPU_NVMF_SUBSYS ? !strncmp(e->o.nqn, o->nqn, DPU_ABI_NQN_LEN)
					    : e->kind == kind && dpu_nvmf_same(kind, &e->o, o))
			remove_at(a, i);
	}
}

/*
 * One request to the card: 0, a refusal (DPU_ABI_E_*, why has the card's
 * reason) or -errno (the link; why says so).
 */
static int card_call(struct agent *a, int kind, int verb, const union dpu_nvmf_obj *o,
		     char *why, size_t n)
{
	uint8_t body[sizeof(union dpu_nvmf_obj)], buf[1024];
	size_t len = dpu_nvmf_body(kind, verb, o, body);
	uint16_t op = dpu_nvmf_opcode(kind, verb);
	const struct dpu_abi_hdr *resp;
	int st, m;

	a->nvmf_refusal[0] = 0;
	if (a->nvmf_call) {
		st = a->nvmf_call(a, op, body, len);
	} else if (!a->card) {
		snprintf(why, n, "the card (%s) is not connected", a->card_addr);
		return -ENOTCONN;
	} else {
		m = dpu_abi_encode(buf, sizeof(buf), op, 0, 0, body, len);
		if (m < 0) {
			snprintf(why, n, "cannot encode: %s", dpu_abi_status_name((uint16_t)-m));
			return -EINVAL;
		}
		st = dpu_host_card_call(a->card, buf, (size_t)m, &resp);
		if (st < 0) {
			snprintf(why, n, "card link: %s", a->card->err);
			return st;
		}
		/* The reason (EVT_ERROR) precedes the response: on shm it
		 * may still sit on the event ring. Take it, never wait. */
		if (st != DPU_ABI_OK)
			dpu_host_card_poll_events(a->card, 0);
	}
	if (st > 0)
		snprintf(why, n, "card: %s%s%s", dpu_abi_status_name((uint16_t)st),
			 a->nvmf_refusal[0] ? ": " : "", a->nvmf_refusal);
	else if (st < 0)
		snprintf(why, n, "card link: %s", strerror(-st));
	return st;
}

static const char *state_name(uint8_t s)
{
	switch (s) {
	case AGENT_NVMF_CARD: return "card";
	case AGENT_NVMF_PENDING: return "pending";
	case AGENT_NVMF_FAILED: return "refused";
	}
	return "?";
}

static struct json_object *list(struct agent *a, int kind, const char *nqn)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < a->nvmf.n; i++) {
		const struct agent_nvmf_obj *e = &a->nvmf.v[i];
		struct json_object *j;

		if (e->kind != kind || (nqn && strncmp(nqn, e->o.nqn, DPU_ABI_NQN_LEN)))
			continue;
		j = dpu_nvmf_to_json(kind, &e->o);
		if (kind == DPU_NVMF_SUBSYS) {
			int64_t cnt[DPU_NVMF_KINDS] = { 0 };

			for (size_t k = 0; k < a->nvmf.n; k++)
				if (!strncmp(a->nvmf.v[k].o.nqn, e->o.nqn, DPU_ABI_NQN_LEN))
					cnt[a->nvmf.v[k].kind]++;
			for (int k = 1; k < DPU_NVMF_KINDS; k++)
				json_object_object_add(j, list_keys[k], json_object_new_int64(cnt[k]));
		}
		json_object_object_add(j, "where", json_object_new_string(state_name(e->state)));
		if (e->reason)
			json_object_object_add(j, "reason", json_object_new_string(e->reason));
		json_object_array_add(arr, j);
	}
	return arr;
}

static struct json_object *error(const char *field, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static struct json_object *error(const char *field, const char *fmt, ...)
{
	struct json_object *o = json_object_new_object();
	char text[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "error", json_object_new_string(text));
	if (field)
		json_object_object_add(o, "field", json_object_new_string(field));
	return o;
}

/* What the store says about an add or del before the card is asked. */
static struct json_object *check(struct agent *a, int kind, int verb,
				 const union dpu_nvmf_obj *o)
{
	const struct agent_nvmf_obj *have = find(a, kind, o);
	static const char *const what[DPU_NVMF_KINDS] = { "subsystem", "namespace",
							  "allowed host", "listener" };
	static const char *const key[DPU_NVMF_KINDS] = { "nqn", "nsid", "host_nqn", "traddr" };
	char name[300];

	if (kind != DPU_NVMF_SUBSYS && !find_subsys(a, o->nqn))
		return error("nqn", "nqn: no subsystem '%.223s' in the agent's configuration "
			     "(dpuctl -a nvmf subsystem list; one made with dpuctl -c is not "
			     "the agent's)", o->nqn);
	switch (kind) {
	case DPU_NVMF_SUBSYS: snprintf(name, sizeof(name), "'%.223s'", o->nqn); break;
	case DPU_NVMF_NS: snprintf(name, sizeof(name), "%u of %.223s", o->ns.nsid, o->nqn); break;
	case DPU_NVMF_HOST: snprintf(name, sizeof(name), "'%.223s'", o->host.host_nqn); break;
	default:
		snprintf(name, sizeof(name), "%.47s port %u", o->listener.traddr, o->listener.port);
	}
	if (verb == DPU_NVMF_ADD && have)
		return error(key[kind], "%s: %s %s already exists", key[kind], what[kind], name);
	if (verb == DPU_NVMF_DEL && !have)
		return error(key[kind], "%s: no %s %s in the agent's configuration", key[kind],
			     what[kind], name);
	if (verb == DPU_NVMF_ADD && a->nvmf.n == AGENT_NVMF_MAX)
		return error(NULL, "the agent holds %u storage objects already", AGENT_NVMF_MAX);
	return NULL;
}

static struct json_object *change(struct agent *a, int kind, int verb, struct json_object *spec)
{
	union dpu_nvmf_obj o;
	struct json_object *r;
	const char *field;
	char why[300];
	int st;

	if (dpu_nvmf_from_json(kind, verb == DPU_NVMF_DEL, spec, &o, why, sizeof(why), &field))
		return error(field, "%s", why);
	r = check(a, kind, verb, &o);
	if (r)
		return r;
	st = card_call(a, kind, verb, &o, why, sizeof(why));
	/* Deleting what the card lost already (a replay it refused) is done. */
	if (st == DPU_ABI_E_NOT_FOUND && verb == DPU_NVMF_DEL &&
	    find(a, kind, &o)->state != AGENT_NVMF_CARD)
		st = 0;
	if (st) {
		agent_log(AGENT_LOG_INFO, "nvmf %s %s %.223s: %s; nothing changed",
			  dpu_nvmf_kind_name(kind), dpu_nvmf_verb_name(verb), o.nqn, why);
		return error(NULL, "%s; nothing changed", why);
	}
	if (verb == DPU_NVMF_ADD) {
		if (append(a, kind, &o, AGENT_NVMF_CARD)) {
			/* Undo on the card what the agent cannot hold. */
			card_call(a, kind, DPU_NVMF_DEL, &o, why, sizeof(why));
			return error(NULL, "out of memory; nothing changed");
		}
	} else {
		remove_obj(a, kind, &o);
	}
	a->st.nvmf_changes++;
	agent_log(AGENT_LOG_INFO, "nvmf %s %s %.223s", dpu_nvmf_kind_name(kind),
		  dpu_nvmf_verb_name(verb), o.nqn);
	r = json_object_new_object();
	json_object_object_add(r, "result", json_object_new_string("ok"));
	json_object_object_add(r, dpu_nvmf_kind_name(kind), dpu_nvmf_to_json(kind, &o));
	if (agent_nvmf_save(a))
		json_object_object_add(r, "warning", json_object_new_string(
			"the card has it, but the state file could not be written "
			"(see the agent's log): it would not survive a restart of the agent"));
	return r;
}

struct json_object *agent_nvmf_request(struct agent *a, struct json_object *req)
{
	struct json_object *k = NULL, *v = NULL, *spec = NULL;
	int kind, verb;

	json_object_object_foreach(req, key, val) {
		(void)val;
		if (strcmp(key, "nvmf") && strcmp(key, "verb") && strcmp(key, "spec"))
			return error(key, "%s: unknown field (nvmf, verb, spec)", key);
	}
	json_object_object_get_ex(req, "nvmf", &k);
	json_object_object_get_ex(req, "verb", &v);
	json_object_object_get_ex(req, "spec", &spec);
	kind = json_object_is_type(k, json_type_string)
		       ? dpu_nvmf_kind_parse(json_object_get_string(k)) : -1;
	if (kind < 0)
		return error("nvmf", "nvmf: expected subsystem, ns, host or listener");
	verb = json_object_is_type(v, json_type_string)
		       ? dpu_nvmf_verb_parse(json_object_get_string(v)) : -1;
	if (verb < 0)
		return error("verb", "verb: expected add, del or list");
	if (verb == DPU_NVMF_LIST) {
		struct json_object *nqn = NULL;

		if (spec && !json_object_is_type(spec, json_type_object))
			return error("spec", "spec: expected a JSON object");
		if (spec) {
			json_object_object_foreach(spec, sk, sv) {
				(void)sv;
				if (strcmp(sk, "nqn"))
					return error(sk, "%s: a list takes only nqn", sk);
			}
		}
		if (spec && json_object_object_get_ex(spec, "nqn", &nqn) &&
		    !json_object_is_type(nqn, json_type_string))
			return error("nqn", "nqn: expected a string");
		if (nqn && kind != DPU_NVMF_SUBSYS && !find_subsys(a, json_object_get_string(nqn)))
			return error("nqn", "nqn: no subsystem '%.223s' in the agent's configuration",
				     json_object_get_string(nqn));
		return list(a, kind, nqn ? json_object_get_string(nqn) : NULL);
	}
	if (!spec)
		return error("spec", "spec: missing (the object to %s)", dpu_nvmf_verb_name(verb));
	return change(a, kind, verb, spec);
}

int agent_nvmf_resync(struct agent *a)
{
	unsigned int ok = 0, refused = 0;
	char why[300];

	for (int kind = 0; kind < DPU_NVMF_KINDS; kind++)
		for (size_t i = 0; i < a->nvmf.n; i++) {
			struct agent_nvmf_obj *e = &a->nvmf.v[i], *s;
			int st;

			if (e->kind != kind)
				continue;
			s = kind == DPU_NVMF_SUBSYS ? e : find_subsys(a, e->o.nqn);
			if (kind != DPU_NVMF_SUBSYS && (!s || s->state != AGENT_NVMF_CARD)) {
				e->state = AGENT_NVMF_FAILED;
				set_reason(e, "its subsystem is not on the card");
				refused++;
				continue;
			}
			st = card_call(a, kind, DPU_NVMF_ADD, &e->o, why, sizeof(why));
			if (st < 0) {
				/* The link went: the next resync starts over. */
				for (size_t j = 0; j < a->nvmf.n; j++)
					a->nvmf.v[j].state = AGENT_NVMF_PENDING;
				a->need_resync = true;
				return st;
			}
			/* EXISTS: it is there already (the agent restarted, the
			 * card did not); the card's object is taken as is. */
			if (st == DPU_ABI_OK || st == DPU_ABI_E_EXISTS) {
				e->state = AGENT_NVMF_CARD;
				set_reason(e, NULL);
				ok++;
			} else {
				e->state = AGENT_NVMF_FAILED;
				set_reason(e, why);
				refused++;
				agent_log(AGENT_LOG_WARN, "storage resync: %s %.223s: %s",
					  dpu_nvmf_kind_name(kind), e->o.nqn, why);
			}
		}
	a->st.nvmf_replayed += ok;
	a->st.nvmf_replay_failed += refused;
	if (a->nvmf.n)
		agent_log(AGENT_LOG_INFO, "storage resync: %u objects on the card, %u refused", ok,
			  refused);
	return 0;
}

struct json_object *agent_nvmf_status(struct agent *a)
{
	struct json_object *o = json_object_new_object();
	int64_t cnt[DPU_NVMF_KINDS] = { 0 }, off = 0;

	for (size_t i = 0; i < a->nvmf.n; i++) {
		cnt[a->nvmf.v[i].kind]++;
		off += a->nvmf.v[i].state != AGENT_NVMF_CARD;
	}
	for (int k = 0; k < DPU_NVMF_KINDS; k++)
		json_object_object_add(o, list_keys[k], json_object_new_int64(cnt[k]));
	json_object_object_add(o, "not_on_card", json_object_new_int64(off));
	json_object_object_add(o, "state_file", json_object_new_string(a->state_path));
	return o;
}

/* ------------------------------------------------------------------ */
/* The state file: {"version": 1, "nvmf": {"subsystems": [...], ...}}  */

int agent_nvmf_load_json(struct agent *a, struct json_object *doc, char *err, size_t n)
{
	struct json_object *v, *nv;
	char why[300];
	const char *field;

	agent_nvmf_fini(a);
	if (!json_object_is_type(doc, json_type_object)) {
		snprintf(err, n, "expected a JSON object");
		return -1;
	}
	if (!json_object_object_get_ex(doc, "version", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != 1) {
		snprintf(err, n, "version: expected 1");
		return -1;
	}
	if (!json_object_object_get_ex(doc, "nvmf", &nv))
		return 0;
	if (!json_object_is_type(nv, json_type_object)) {
		snprintf(err, n, "nvmf: expected a JSON object");
		return -1;
	}
	for (int kind = 0; kind < DPU_NVMF_KINDS; kind++) {
		struct json_object *arr;

		if (!json_object_object_get_ex(nv, list_keys[kind], &arr))
			continue;
		if (!json_object_is_type(arr, json_type_array)) {
			snprintf(err, n, "nvmf.%s: expected an array", list_keys[kind]);
			goto fail;
		}
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			union dpu_nvmf_obj o;
			int rc;

			if (dpu_nvmf_from_json(kind, false, json_object_array_get_idx(arr, i), &o,
					       why, sizeof(why), &field)) {
				snprintf(err, n, "nvmf.%s[%zu].%s", list_keys[kind], i, why);
				goto fail;
			}
			if (kind != DPU_NVMF_SUBSYS && !find_subsys(a, o.nqn)) {
				snprintf(err, n, "nvmf.%s[%zu].nqn: no such subsystem", list_keys[kind], i);
				goto fail;
			}
			if (find(a, kind, &o)) {
				snprintf(err, n, "nvmf.%s[%zu]: a duplicate", list_keys[kind], i);
				goto fail;
			}
			rc = append(a, kind, &o, AGENT_NVMF_PENDING);
			if (rc) {
				snprintf(err, n, "nvmf.%s[%zu]: %s", list_keys[kind], i, strerror(-rc));
				goto fail;
			}
		}
	}
	return 0;
fail:
	agent_nvmf_fini(a);
	return -1;
}

int agent_nvmf_load(struct agent *a, const char *path, char *err, size_t n)
{
	struct json_object *doc;
	int rc;

	snprintf(a->state_path, sizeof(a->state_path), "%s", path);
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	doc = json_object_from_file(path);
	if (!doc) {
		snprintf(err, n, "%s", json_util_get_last_err() ? json_util_get_last_err() : "unreadable");
		err[strcspn(err, "\n")] = 0;
		return -1;
	}
	rc = agent_nvmf_load_json(a, doc, err, n);
	json_object_put(doc);
	return rc;
}

static int mkdirs(const char *path)
{
	char dir[256];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

int agent_nvmf_save(struct agent *a)
{
	struct json_object *doc, *nv;
	char tmp[300];
	const char *text;
	int fd, rc = 0;
	size_t len;

	if (!a->state_path[0])
		return 0;
	doc = json_object_new_object();
	nv = json_object_new_object();
	json_object_object_add(doc, "version", json_object_new_int(1));
	for (int kind = 0; kind < DPU_NVMF_KINDS; kind++) {
		struct json_object *arr = json_object_new_array();

		for (size_t i = 0; i < a->nvmf.n; i++)
			if (a->nvmf.v[i].kind == kind)
				json_object_array_add(arr, dpu_nvmf_to_json(kind, &a->nvmf.v[i].o));
		json_object_object_add(nv, list_keys[kind], arr);
	}
	json_object_object_add(doc, "nvmf", nv);
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(text);
	errno = 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", a->state_path);
	mkdirs(a->state_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) || rename(tmp, a->state_path))
		rc = errno ? -errno : -EIO;
	if (fd >= 0)
		close(fd);
	if (rc) {
		unlink(tmp);
		agent_log(AGENT_LOG_ERR, "state file %s: %s", a->state_path, strerror(-rc));
	}
	json_object_put(doc);
	return rc;
}
