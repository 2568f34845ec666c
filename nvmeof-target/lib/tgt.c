/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target object and its configuration API: subsystems, namespaces, allowed
 * hosts and listeners. Runs on the caller's (control) thread, never on a
 * reactor; reactors see changes through locks, atomics and messages.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nvmf_internal.h"

void nvmf_tgt_opts_default(struct nvmf_tgt_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->n_reactors = 2;
	o->first_cpu = -1;
	o->busy_poll = false;
	o->max_io_size = 128 * 1024;
	o->in_capsule_data_size = 8192;
	o->maxh2cdata = 128 * 1024;
	o->max_queue_depth = 128;
	o->max_io_queues = 64;
	o->c2h_success = true;
	o->log_level = NVMF_LOG_WARN;
}

static bool nqn_valid(const char *nqn, size_t cap)
{
	size_t n = strnlen(nqn, cap);

	return n > 4 && n <= NVMF_NQN_MAX && n < cap && strncmp(nqn, "nqn.", 4) == 0;
}

static struct nvmf_subsys *subsys_alloc(struct nvmf_tgt *tgt, const struct nvmf_subsys_params *p,
					bool discovery)
{
	struct nvmf_subsys *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->tgt = tgt;
	atomic_init(&s->refs, 1);
	s->p = *p;
	s->discovery = discovery;
	s->max_ns = discovery ? 0 : (p->max_namespaces ? p->max_namespaces : NVMF_MAX_NS_DEFAULT);
	s->p.max_namespaces = s->max_ns;
	pthread_mutex_init(&s->lock, NULL);
	TAILQ_INIT(&s->ctrlrs);
	s->next_cntlid = 1;
	if (s->max_ns) {
		s->ns = calloc(s->max_ns, sizeof(*s->ns));
		if (!s->ns) {
			free(s);
			return NULL;
		}
	}
	return s;
}

void nvmf_subsys_get(struct nvmf_subsys *s)
{
	atomic_fetch_add(&s->refs, 1);
}

void nvmf_subsys_put(struct nvmf_subsys *s)
{
	if (atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	for (uint32_t i = 0; i < s->max_ns; i++) {
		struct nvmf_ns *ns = atomic_load(&s->ns[i]);

		if (ns)
			nvmf_ns_put(ns);
	}
	free(s->ns);
	free(s->hosts);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void nvmf_ns_put(struct nvmf_ns *ns)
{
	if (atomic_fetch_sub(&ns->refs, 1) != 1)
		return;
	nvmf_bdev_close(&ns->bdev);
	free(ns);
}

struct nvmf_subsys *nvmf_subsys_find(struct nvmf_tgt *tgt, const char *nqn)
{
	struct nvmf_subsys *s;

	if (strcmp(nqn, NVMF_DISCOVERY_NQN) == 0) {
		nvmf_subsys_get(tgt->disc);
		return tgt->disc;
	}
	pthread_mutex_lock(&tgt->lock);
	TAILQ_FOREACH(s, &tgt->subsystems, link)
		if (strcmp(s->p.nqn, nqn) == 0)
			break;
	if (s)
		nvmf_subsys_get(s);
	pthread_mutex_unlock(&tgt->lock);
	return s;
}

bool nvmf_subsys_host_allowed(struct nvmf_subsys *s, const char *hostnqn)
{
	bool ok = false;

	if (s->discovery || (s->p.flags & NVMF_SUBSYS_ALLOW_ANY_HOST))
		return true;
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < s->n_hosts && !ok; i++)
		ok = strcmp(s->hosts[i], hostnqn) == 0;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

bool nvmf_subsys_listening(struct nvmf_subsys *s, const char *traddr, uint16_t port)
{
	bool ok = false;

	if (s->discovery)
		return true;
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < s->n_listeners && !ok; i++)
		ok = s->listeners[i]->port == port && strcmp(s->listeners[i]->traddr, traddr) == 0;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

/* ---- controllers of a subsystem: disconnect / notify ---- */

static void close_admin_msg(struct nvmf_reactor *r, void *arg)
{
	struct nvmf_ctrlr *c = arg;

	(void)r;
	if (c->admin)
		nvmf_conn_close(c->admin, "subsystem configuration removed this controller");
	nvmf_ctrlr_put(c);
}

/* Caller holds s->lock. @hostnqn NULL: every controller. */
static void subsys_disconnect_locked(struct nvmf_subsys *s, const char *hostnqn)
{
	struct nvmf_ctrlr *c;

	TAILQ_FOREACH(c, &s->ctrlrs, link) {
		if (hostnqn && strcmp(c->hostnqn, hostnqn))
			continue;
		atomic_fetch_add(&c->refs, 1);
		if (nvmf_reactor_send(c->reactor, close_admin_msg, c))
			nvmf_ctrlr_put(c);
	}
}

void nvmf_disc_changed(struct nvmf_tgt *tgt)
{
	struct nvmf_ctrlr *c;

	atomic_fetch_add(&tgt->genctr, 1);
	pthread_mutex_lock(&tgt->disc->lock);
	TAILQ_FOREACH(c, &tgt->disc->ctrlrs, link)
		nvmf_ctrlr_notify(c, NVMF_AEN_DISC, 0);
	pthread_mutex_unlock(&tgt->disc->lock);
}

/* ---- target lifecycle ---- */

int nvmf_tgt_create(const struct nvmf_tgt_opts *opts, struct nvmf_tgt **out)
{
	struct nvmf_subsys_params dp = { 0 };
	struct nvmf_tgt *tgt;
	int rc;

	if (!opts->n_reactors || opts->n_reactors > 64) {
		NVMF_ERR(NULL, "n_reactors %u outside 1..64", opts->n_reactors);
		return -EINVAL;
	}
	if (opts->max_io_size < 4096 || opts->max_io_size > (8u << 20) ||
	    (opts->max_io_size & (opts->max_io_size - 1))) {
		NVMF_ERR(NULL, "max_io_size %u: power of two in 4 KiB..8 MiB", opts->max_io_size);
		return -EINVAL;
	}
	if (opts->maxh2cdata < 4096 || opts->maxh2cdata % 4) {
		NVMF_ERR(NULL, "maxh2cdata %u: at least 4096 and a multiple of 4", opts->maxh2cdata);
		return -EINVAL;
	}
	if (opts->in_capsule_data_size > 65536 || opts->in_capsule_data_size % 16) {
		NVMF_ERR(NULL, "in_capsule_data_size %u: multiple of 16, at most 64 KiB",
			 opts->in_capsule_data_size);
		return -EINVAL;
	}
	if (opts->max_queue_depth < 2 || opts->max_io_queues < 1) {
		NVMF_ERR(NULL, "max_queue_depth %u / max_io_queues %u too small",
			 opts->max_queue_depth, opts->max_io_queues);
		return -EINVAL;
	}
	tgt = calloc(1, sizeof(*tgt));
	if (!tgt)
		return -ENOMEM;
	tgt->opts = *opts;
	tgt->n_reactors = opts->n_reactors;
	pthread_mutex_init(&tgt->lock, NULL);
	TAILQ_INIT(&tgt->subsystems);
	TAILQ_INIT(&tgt->listeners);
	TAILQ_INIT(&tgt->dead_listeners);
	tgt->next_portid = 1;
	tgt->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	atomic_init(&tgt->genctr, 1);
	tgt->small_buf_size = NVMF_ADMIN_ICD > opts->in_capsule_data_size ?
		NVMF_ADMIN_ICD : opts->in_capsule_data_size;
	tgt->small_buf_size = (tgt->small_buf_size + 4095) & ~4095u;
	if (tgt->small_buf_size > opts->max_io_size)
		tgt->small_buf_size = opts->max_io_size;
	if (posix_memalign((void **)&tgt->zero_buf, 4096, opts->max_io_size)) {
		if (tgt->spare_fd >= 0)
			close(tgt->spare_fd);
		free(tgt);
		return -ENOMEM;
	}
	memset(tgt->zero_buf, 0, opts->max_io_size);
	snprintf(dp.nqn, sizeof(dp.nqn), "%s", NVMF_DISCOVERY_NQN);
	dp.flags = NVMF_SUBSYS_ALLOW_ANY_HOST;
	tgt->disc = subsys_alloc(tgt, &dp, true);
	if (!tgt->disc) {
		if (tgt->spare_fd >= 0)
			close(tgt->spare_fd);
		free(tgt->zero_buf);
		free(tgt);
		return -ENOMEM;
	}
	rc = nvmf_reactors_start(tgt);
	if (rc) {
		nvmf_tgt_destroy(tgt);
		return rc;
	}
	*out = tgt;
	return 0;
}

static void noop_msg(struct nvmf_reactor *r, void *arg)
{
	(void)r;
	(void)arg;
}

/*
 * Closed listeners were removed from reactor 0's epoll set under the lock;
 * two round trips guarantee reactor 0 started a fresh epoll_wait since, so
 * no stale event can still point at them. Never called with tgt->lock held
 * (reactor 0 takes it in Connect).
 */
static void listeners_reap(struct nvmf_tgt *tgt)
{
	struct nvmf_listener *l;
	TAILQ_HEAD(, nvmf_listener) dead;

	TAILQ_INIT(&dead);
	pthread_mutex_lock(&tgt->lock);
	TAILQ_CONCAT(&dead, &tgt->dead_listeners, link);
	pthread_mutex_unlock(&tgt->lock);
	if (TAILQ_EMPTY(&dead))
		return;
	if (tgt->reactors) {
		nvmf_reactor_call(&tgt->reactors[0], noop_msg, NULL);
		nvmf_reactor_call(&tgt->reactors[0], noop_msg, NULL);
	}
	while ((l = TAILQ_FIRST(&dead))) {
		TAILQ_REMOVE(&dead, l, link);
		close(l->fd);
		free(l);
	}
}

static void listener_kill_locked(struct nvmf_tgt *tgt, struct nvmf_listener *l)
{
	if (tgt->reactors)
		epoll_ctl(tgt->reactors[0].epfd, EPOLL_CTL_DEL, l->fd, NULL);
	TAILQ_REMOVE(&tgt->listeners, l, link);
	TAILQ_INSERT_TAIL(&tgt->dead_listeners, l, link);
}

void nvmf_tgt_destroy(struct nvmf_tgt *tgt)
{
	struct nvmf_subsys *s;
	struct nvmf_listener *l;

	if (!tgt)
		return;
	pthread_mutex_lock(&tgt->lock);
	while ((l = TAILQ_FIRST(&tgt->listeners)))
		listener_kill_locked(tgt, l);
	pthread_mutex_unlock(&tgt->lock);
	listeners_reap(tgt);
	nvmf_reactors_stop(tgt);
	while ((s = TAILQ_FIRST(&tgt->subsystems))) {
		TAILQ_REMOVE(&tgt->subsystems, s, link);
		nvmf_subsys_put(s);
	}
	nvmf_subsys_put(tgt->disc);
	free(tgt->zero_buf);
	if (tgt->spare_fd >= 0)
		close(tgt->spare_fd);
	pthread_mutex_destroy(&tgt->lock);
	free(tgt);
}

void nvmf_tgt_get_stats(struct nvmf_tgt *tgt, struct nvmf_tgt_stats *st)
{
	st->conns_accepted = atomic_load(&tgt->st.conns_accepted);
	st->conns_active = atomic_load(&tgt->st.conns_active);
	st->pdu_errors = atomic_load(&tgt->st.pdu_errors);
	st->hdgst_errors = atomic_load(&tgt->st.hdgst_errors);
	st->ddgst_errors = atomic_load(&tgt->st.ddgst_errors);
	st->ka_timeouts = atomic_load(&tgt->st.ka_timeouts);
	st->cmds = atomic_load(&tgt->st.cmds);
	st->connect_rejects = atomic_load(&tgt->st.connect_rejects);
}

/* ---- subsystems ---- */

int nvmf_subsystem_add(struct nvmf_tgt *tgt, const struct nvmf_subsys_params *p)
{
	struct nvmf_subsys_params q = *p;
	struct nvmf_subsys *s;

	if (!nqn_valid(p->nqn, sizeof(p->nqn))) {
		NVMF_ERR(tgt, "subsystem nqn: must start with \"nqn.\" and be 5..223 bytes");
		return -EINVAL;
	}
	if (strcmp(p->nqn, NVMF_DISCOVERY_NQN) == 0) {
		NVMF_ERR(tgt, "subsystem nqn: the discovery NQN is built in");
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(p->serial) && p->serial[i]; i++)
		if (p->serial[i] < 0x20 || p->serial[i] > 0x7e) {
			NVMF_ERR(tgt, "subsystem %s: serial: printable ASCII only", p->nqn);
			return -EINVAL;
		}
	for (size_t i = 0; i < sizeof(p->model) && p->model[i]; i++)
		if (p->model[i] < 0x20 || p->model[i] > 0x7e) {
			NVMF_ERR(tgt, "subsystem %s: model: printable ASCII only", p->nqn);
			return -EINVAL;
		}
	if (p->flags & ~(uint32_t)NVMF_SUBSYS_ALLOW_ANY_HOST) {
		NVMF_ERR(tgt, "subsystem %s: flags 0x%x has unknown bits", p->nqn, p->flags);
		return -EINVAL;
	}
	if (p->max_namespaces > 1024) {
		NVMF_ERR(tgt, "subsystem %s: max_namespaces %u > 1024", p->nqn, p->max_namespaces);
		return -EINVAL;
	}
	if (!q.serial[0]) {
		uint32_t h = nvmf_crc32c(p->nqn, strlen(p->nqn));
		char sn[21];

		snprintf(sn, sizeof(sn), "ODPU%08X", h);
		memcpy(q.serial, sn, strlen(sn));
	}
	if (!q.model[0])
		memcpy(q.model, "opendpu NVMe-oF/TCP", 19);

	s = subsys_alloc(tgt, &q, false);
	if (!s)
		return -ENOMEM;
	pthread_mutex_lock(&tgt->lock);
	for (struct nvmf_subsys *o = TAILQ_FIRST(&tgt->subsystems); o; o = TAILQ_NEXT(o, link))
		if (strcmp(o->p.nqn, p->nqn) == 0) {
			pthread_mutex_unlock(&tgt->lock);
			nvmf_subsys_put(s);
			NVMF_ERR(tgt, "subsystem nqn %s: already exists", p->nqn);
			return -EEXIST;
		}
	TAILQ_INSERT_TAIL(&tgt->subsystems, s, link);
	tgt->n_subsystems++;
	pthread_mutex_unlock(&tgt->lock);
	nvmf_disc_changed(tgt);
	return 0;
}

static void listener_unref_locked(struct nvmf_tgt *tgt, struct nvmf_listener *l)
{
	if (--l->refs)
		return;
	listener_kill_locked(tgt, l);
}

int nvmf_subsystem_del(struct nvmf_tgt *tgt, const char *nqn)
{
	struct nvmf_subsys *s;

	pthread_mutex_lock(&tgt->lock);
	TAILQ_FOREACH(s, &tgt->subsystems, link)
		if (strcmp(s->p.nqn, nqn) == 0)
			break;
	if (!s) {
		pthread_mutex_unlock(&tgt->lock);
		NVMF_ERR(tgt, "subsystem nqn %s: not found", nqn);
		return -ENOENT;
	}
	TAILQ_REMOVE(&tgt->subsystems, s, link);
	tgt->n_subsystems--;
	pthread_mutex_lock(&s->lock);
	s->deleted = true;
	for (uint32_t i = 0; i < s->n_listeners; i++)
		listener_unref_locked(tgt, s->listeners[i]);
	s->n_listeners = 0;
	subsys_disconnect_locked(s, NULL);
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&tgt->lock);
	listeners_reap(tgt);
	nvmf_disc_changed(tgt);
	nvmf_subsys_put(s);
	return 0;
}

static void subsys_fill(struct nvmf_subsys *s, struct nvmf_subsys_params *o)
{
	*o = s->p;
	pthread_mutex_lock(&s->lock);
	o->n_hosts = (uint16_t)s->n_hosts;
	o->n_listeners = (uint16_t)s->n_listeners;
	o->n_namespaces = 0;
	for (uint32_t i = 0; i < s->max_ns; i++)
		o->n_namespaces += atomic_load(&s->ns[i]) != NULL;
	pthread_mutex_unlock(&s->lock);
}

int nvmf_subsystem_list(struct nvmf_tgt *tgt, struct nvmf_subsys_params *out,
			uint32_t start, uint32_t max, uint32_t *total)
{
	struct nvmf_subsys *s;
	uint32_t i = 0, n = 0;

	pthread_mutex_lock(&tgt->lock);
	TAILQ_FOREACH(s, &tgt->subsystems, link) {
		if (i++ < start || n >= max)
			continue;
		subsys_fill(s, &out[n++]);
	}
	if (total)
		*total = tgt->n_subsystems;
	pthread_mutex_unlock(&tgt->lock);
	return (int)n;
}

static struct nvmf_subsys *find_nvm_subsys(struct nvmf_tgt *tgt, const char *nqn, const char *what)
{
	struct nvmf_subsys *s;

	if (!memchr(nqn, 0, NVMF_NQN_LEN)) {
		NVMF_ERR(tgt, "%s: nqn is not NUL-terminated", what);
		return NULL;
	}
	s = nvmf_subsys_find(tgt, nqn);
	if (s && s->discovery) {
		nvmf_subsys_put(s);
		NVMF_ERR(tgt, "%s: nqn: the discovery subsystem has none", what);
		return NULL;
	}
	if (!s)
		NVMF_ERR(tgt, "%s: nqn %s: no such subsystem", what, nqn);
	return s;
}

/* ---- namespaces ---- */

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void notify_ns_locked(struct nvmf_subsys *s, uint32_t nsid)
{
	struct nvmf_ctrlr *c;

	TAILQ_FOREACH(c, &s->ctrlrs, link)
		nvmf_ctrlr_notify(c, NVMF_AEN_NS, nsid);
}

int nvmf_ns_add(struct nvmf_tgt *tgt, struct nvmf_ns_params *p)
{
	struct nvmf_subsys *s;
	struct nvmf_ns *ns;
	int rc;

	s = find_nvm_subsys(tgt, p->nqn, "ns_add");
	if (!s)
		return -ENOENT;
	if (p->nsid == 0xffffffffu || (p->nsid && p->nsid > s->max_ns)) {
		NVMF_ERR(tgt, "ns_add %s: nsid %u outside 1..%u (max_namespaces)", p->nqn, p->nsid,
			 s->max_ns);
		nvmf_subsys_put(s);
		return -EINVAL;
	}
	ns = calloc(1, sizeof(*ns));
	if (!ns) {
		nvmf_subsys_put(s);
		return -ENOMEM;
	}
	atomic_init(&ns->refs, 1);
	rc = nvmf_bdev_open(tgt, &ns->bdev, p);
	if (rc) {
		free(ns);
		nvmf_subsys_put(s);
		return rc;
	}
	if (all_zero(p->uuid, 16)) {
		if (getrandom(p->uuid, 16, 0) != 16)
			memset(p->uuid, 0x5a, 16);
		p->uuid[6] = (p->uuid[6] & 0x0f) | 0x40; /* RFC 4122 v4 */
		p->uuid[8] = (p->uuid[8] & 0x3f) | 0x80;
	}
	if (all_zero(p->nguid, 16))
		memcpy(p->nguid, p->uuid, 16);
	if (!p->block_shift)
		p->block_shift = ns->bdev.block_shift;

	pthread_mutex_lock(&s->lock);
	if (!p->nsid) {
		for (uint32_t i = 0; i < s->max_ns && !p->nsid; i++)
			if (!atomic_load(&s->ns[i]))
				p->nsid = i + 1;
		if (!p->nsid) {
			pthread_mutex_unlock(&s->lock);
			NVMF_ERR(tgt, "ns_add %s: all %u namespace slots in use", p->nqn, s->max_ns);
			nvmf_bdev_close(&ns->bdev);
			free(ns);
			nvmf_subsys_put(s);
			return -ENOSPC;
		}
	} else if (atomic_load(&s->ns[p->nsid - 1])) {
		pthread_mutex_unlock(&s->lock);
		NVMF_ERR(tgt, "ns_add %s: nsid %u already exists", p->nqn, p->nsid);
		nvmf_bdev_close(&ns->bdev);
		free(ns);
		nvmf_subsys_put(s);
		return -EEXIST;
	}
	ns->nsid = p->nsid;
	ns->p = *p;
	atomic_store_explicit(&s->ns[p->nsid - 1], ns, memory_order_release);
	notify_ns_locked(s, p->nsid);
	pthread_mutex_unlock(&s->lock);
	nvmf_subsys_put(s);
	return 0;
}

int nvmf_ns_del(struct nvmf_tgt *tgt, const char *nqn, uint32_t nsid)
{
	struct nvmf_subsys *s = find_nvm_subsys(tgt, nqn, "ns_del");
	struct nvmf_ns *ns = NULL;

	if (!s)
		return -ENOENT;
	pthread_mutex_lock(&s->lock);
	if (nsid && nsid <= s->max_ns) {
		ns = atomic_load(&s->ns[nsid - 1]);
		atomic_store(&s->ns[nsid - 1], NULL);
	}
	if (ns)
		notify_ns_locked(s, nsid);
	pthread_mutex_unlock(&s->lock);
	if (!ns) {
		NVMF_ERR(tgt, "ns_del %s: nsid %u: no such namespace", nqn, nsid);
		nvmf_subsys_put(s);
		return -ENOENT;
	}
	/* reactors may have loaded the pointer; in-flight requests hold refs */
	nvmf_reactors_sync(tgt);
	nvmf_ns_put(ns);
	nvmf_subsys_put(s);
	return 0;
}

int nvmf_ns_list(struct nvmf_tgt *tgt, const char *nqn, struct nvmf_ns_params *out,
		 uint32_t start, uint32_t max, uint32_t *total)
{
	struct nvmf_subsys *s = find_nvm_subsys(tgt, nqn, "ns_list");
	uint32_t i = 0, n = 0;

	if (!s)
		return -ENOENT;
	pthread_mutex_lock(&s->lock);
	for (uint32_t k = 0; k < s->max_ns; k++) {
		struct nvmf_ns *ns = atomic_load(&s->ns[k]);

		if (!ns)
			continue;
		if (i++ >= start && n < max) {
			out[n] = ns->p;
			out[n].size_bytes = ns->bdev.num_blocks << ns->bdev.block_shift;
			n++;
		}
	}
	pthread_mutex_unlock(&s->lock);
	if (total)
		*total = i;
	nvmf_subsys_put(s);
	return (int)n;
}

/* ---- hosts ---- */

int nvmf_host_add(struct nvmf_tgt *tgt, const struct nvmf_host_params *p)
{
	struct nvmf_subsys *s;
	char (*nh)[NVMF_NQN_LEN];

	if (!nqn_valid(p->host_nqn, sizeof(p->host_nqn))) {
		NVMF_ERR(tgt, "host_add: host_nqn must start with \"nqn.\" and be 5..223 bytes");
		return -EINVAL;
	}
	s = find_nvm_subsys(tgt, p->nqn, "host_add");
	if (!s)
		return -ENOENT;
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < s->n_hosts; i++)
		if (strcmp(s->hosts[i], p->host_nqn) == 0) {
			pthread_mutex_unlock(&s->lock);
			nvmf_subsys_put(s);
			NVMF_ERR(tgt, "host_add %s: host_nqn %s already allowed", p->nqn, p->host_nqn);
			return -EEXIST;
		}
	nh = realloc(s->hosts, (s->n_hosts + 1) * sizeof(*nh));
	if (!nh) {
		pthread_mutex_unlock(&s->lock);
		nvmf_subsys_put(s);
		return -ENOMEM;
	}
	s->hosts = nh;
	memcpy(s->hosts[s->n_hosts++], p->host_nqn, NVMF_NQN_LEN);
	pthread_mutex_unlock(&s->lock);
	nvmf_subsys_put(s);
	nvmf_disc_changed(tgt);
	return 0;
}

int nvmf_host_del(struct nvmf_tgt *tgt, const struct nvmf_host_params *p)
{
	struct nvmf_subsys *s = find_nvm_subsys(tgt, p->nqn, "host_del");
	uint32_t i;

	if (!s)
		return -ENOENT;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->n_hosts; i++)
		if (strncmp(s->hosts[i], p->host_nqn, NVMF_NQN_LEN) == 0)
			break;
	if (i == s->n_hosts) {
		pthread_mutex_unlock(&s->lock);
		nvmf_subsys_put(s);
		NVMF_ERR(tgt, "host_del %s: host_nqn %.223s not in the allowed list", p->nqn,
			 p->host_nqn);
		return -ENOENT;
	}
	memmove(&s->hosts[i], &s->hosts[i + 1], (s->n_hosts - i - 1) * sizeof(*s->hosts));
	s->n_hosts--;
	if (!(s->p.flags & NVMF_SUBSYS_ALLOW_ANY_HOST))
		subsys_disconnect_locked(s, p->host_nqn);
	pthread_mutex_unlock(&s->lock);
	nvmf_subsys_put(s);
	nvmf_disc_changed(tgt);
	return 0;
}

int nvmf_host_list(struct nvmf_tgt *tgt, const char *nqn, struct nvmf_host_params *out,
		   uint32_t start, uint32_t max, uint32_t *total)
{
	struct nvmf_subsys *s = find_nvm_subsys(tgt, nqn, "host_list");
	uint32_t n = 0;

	if (!s)
		return -ENOENT;
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = start; i < s->n_hosts && n < max; i++, n++) {
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(out[n].nqn, s->p.nqn, NVMF_NQN_LEN);
		memcpy(out[n].host_nqn, s->hosts[i], NVMF_NQN_LEN);
	}
	if (total)
		*total = s->n_hosts;
	pthread_mutex_unlock(&s->lock);
	nvmf_subsys_put(s);
	return (int)n;
}

/* ---- listeners ---- */

static int listener_open(struct nvmf_tgt *tgt, struct nvmf_listener_params *p,
			 struct nvmf_listener **out)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	struct epoll_event ev = { .events = EPOLLIN };
	struct nvmf_listener *l;
	int fd, one = 1, e;

	if (p->adrfam == NVMF_ADRFAM_IPV4) {
		struct sockaddr_in *a = (void *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(p->port);
		if (inet_pton(AF_INET, p->traddr, &a->sin_addr) != 1)
			goto bad_addr;
		sl = sizeof(*a);
	} else if (p->adrfam == NVMF_ADRFAM_IPV6) {
		struct sockaddr_in6 *a = (void *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(p->port);
		if (inet_pton(AF_INET6, p->traddr, &a->sin6_addr) != 1)
			goto bad_addr;
		sl = sizeof(*a);
	} else {
		NVMF_ERR(tgt, "listener_add: adrfam %u: only IPv4 (1) and IPv6 (2)", p->adrfam);
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 1024) < 0) {
		e = errno;
		NVMF_ERR(tgt, "listener_add: %s port %u: %s", p->traddr, p->port, strerror(e));
		close(fd);
		return -e;
	}
	if (!p->port) {
		getsockname(fd, (struct sockaddr *)&ss, &sl);
		p->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
			       ((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		close(fd);
		return -ENOMEM;
	}
	l->tgt = tgt;
	l->fd = fd;
	l->adrfam = p->adrfam;
	l->port = p->port;
	l->portid = tgt->next_portid++;
	memcpy(l->traddr, p->traddr, sizeof(l->traddr));
	l->evh.fn = nvmf_listener_event;
	ev.data.ptr = &l->evh;
	if (epoll_ctl(tgt->reactors[0].epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		e = errno;
		close(fd);
		free(l);
		return -e;
	}
	*out = l;
	return 0;
bad_addr:
	NVMF_ERR(tgt, "listener_add: traddr \"%.47s\" is not a numeric address of adrfam %u",
		 p->traddr, p->adrfam);
	return -EINVAL;
}

static struct nvmf_listener *listener_find_locked(struct nvmf_tgt *tgt,
						  const struct nvmf_listener_params *p)
{
	struct nvmf_listener *l;

	TAILQ_FOREACH(l, &tgt->listeners, link)
		if (l->port == p->port && l->adrfam == p->adrfam &&
		    strncmp(l->traddr, p->traddr, sizeof(l->traddr)) == 0)
			return l;
	return NULL;
}

int nvmf_listener_add(struct nvmf_tgt *tgt, struct nvmf_listener_params *p)
{
	struct nvmf_subsys *s;
	struct nvmf_listener *l = NULL;
	int rc = 0;

	if (!memchr(p->traddr, 0, sizeof(p->traddr)) || !memchr(p->nqn, 0, sizeof(p->nqn))) {
		NVMF_ERR(tgt, "listener_add: traddr/nqn not NUL-terminated");
		return -EINVAL;
	}
	s = nvmf_subsys_find(tgt, p->nqn);
	if (!s) {
		NVMF_ERR(tgt, "listener_add: nqn %s: no such subsystem", p->nqn);
		return -ENOENT;
	}
	pthread_mutex_lock(&tgt->lock);
	if (p->port)
		l = listener_find_locked(tgt, p);
	if (!l) {
		rc = listener_open(tgt, p, &l);
		if (rc)
			goto out;
		TAILQ_INSERT_TAIL(&tgt->listeners, l, link);
	}
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < s->n_listeners; i++)
		if (s->listeners[i] == l) {
			NVMF_ERR(tgt, "listener_add %s: %s:%u already listening", p->nqn, p->traddr,
				 p->port);
			rc = -EEXIST;
		}
	if (!rc && s->n_listeners == NVMF_MAX_SUBSYS_LISTENERS) {
		NVMF_ERR(tgt, "listener_add %s: more than %u listeners", p->nqn,
			 NVMF_MAX_SUBSYS_LISTENERS);
		rc = -ENOSPC;
	}
	if (!rc) {
		s->listeners[s->n_listeners++] = l;
		l->refs++;
	}
	pthread_mutex_unlock(&s->lock);
	if (rc && !l->refs)
		listener_kill_locked(tgt, l);
out:
	pthread_mutex_unlock(&tgt->lock);
	listeners_reap(tgt);
	nvmf_subsys_put(s);
	if (!rc)
		nvmf_disc_changed(tgt);
	return rc;
}

int nvmf_listener_del(struct nvmf_tgt *tgt, const struct nvmf_listener_params *p)
{
	struct nvmf_subsys *s = nvmf_subsys_find(tgt, p->nqn);
	struct nvmf_listener *l;
	int rc = -ENOENT;

	if (!s) {
		NVMF_ERR(tgt, "listener_del: nqn %.223s: no such subsystem", p->nqn);
		return -ENOENT;
	}
	pthread_mutex_lock(&tgt->lock);
	l = listener_find_locked(tgt, p);
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; l && i < s->n_listeners; i++)
		if (s->listeners[i] == l) {
			s->listeners[i] = s->listeners[--s->n_listeners];
			rc = 0;
			break;
		}
	pthread_mutex_unlock(&s->lock);
	if (!rc)
		listener_unref_locked(tgt, l);
	else
		NVMF_ERR(tgt, "listener_del %s: %.47s:%u: not listening there", p->nqn, p->traddr,
			 p->port);
	pthread_mutex_unlock(&tgt->lock);
	listeners_reap(tgt);
	nvmf_subsys_put(s);
	if (!rc)
		nvmf_disc_changed(tgt);
	return rc;
}

int nvmf_listener_advertise(struct nvmf_tgt *tgt, const struct nvmf_listener_params *p,
			    const struct nvmf_listener_params *adv)
{
	struct nvmf_listener *l;
	uint8_t a[16];
	int rc = 0;

	if (!memchr(p->traddr, 0, sizeof(p->traddr)) ||
	    (adv && !memchr(adv->traddr, 0, sizeof(adv->traddr)))) {
		NVMF_ERR(tgt, "listener_advertise: traddr not NUL-terminated");
		return -EINVAL;
	}
	if (adv && adv->traddr[0] &&
	    ((adv->adrfam != NVMF_ADRFAM_IPV4 && adv->adrfam != NVMF_ADRFAM_IPV6) ||
	     inet_pton(adv->adrfam == NVMF_ADRFAM_IPV4 ? AF_INET : AF_INET6, adv->traddr, a) != 1)) {
		NVMF_ERR(tgt, "listener_advertise: traddr %s is not a numeric %s address",
			 adv->traddr, adv->adrfam == NVMF_ADRFAM_IPV6 ? "IPv6" : "IPv4");
		return -EINVAL;
	}
	pthread_mutex_lock(&tgt->lock);
	l = listener_find_locked(tgt, p);
	if (!l) {
		NVMF_ERR(tgt, "listener_advertise: nothing listens at %s:%u", p->traddr, p->port);
		rc = -ENOENT;
	} else if (!adv) {
		l->adv_traddr[0] = 0;
		l->adv_port = 0;
	} else {
		/* only the port may be advertised: the bound address stays */
		snprintf(l->adv_traddr, sizeof(l->adv_traddr), "%s",
			 adv->traddr[0] ? adv->traddr : l->traddr);
		l->adv_adrfam = adv->traddr[0] ? adv->adrfam : l->adrfam;
		l->adv_port = adv->port;
		if (!adv->traddr[0] && !adv->port)
			l->adv_traddr[0] = 0;
	}
	pthread_mutex_unlock(&tgt->lock);
	if (!rc)
		nvmf_disc_changed(tgt);
	return rc;
}

int nvmf_listener_list(struct nvmf_tgt *tgt, const char *nqn, struct nvmf_listener_params *out,
		       uint32_t start, uint32_t max, uint32_t *total)
{
	struct nvmf_subsys *s = nvmf_subsys_find(tgt, nqn);
	uint32_t n = 0;

	if (!s) {
		NVMF_ERR(tgt, "listener_list: nqn %.223s: no such subsystem", nqn);
		return -ENOENT;
	}
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = start; i < s->n_listeners && n < max; i++, n++) {
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(out[n].nqn, s->p.nqn, NVMF_NQN_LEN);
		out[n].adrfam = s->listeners[i]->adrfam;
		out[n].port = s->listeners[i]->port;
		memcpy(out[n].traddr, s->listeners[i]->traddr, sizeof(out[n].traddr));
	}
	if (total)
		*total = s->n_listeners;
	pthread_mutex_unlock(&s->lock);
	nvmf_subsys_put(s);
	return (int)n;
}

/* Reactor 0: accept and hand each connection to the least-loaded reactor. */
void nvmf_listener_event(struct nvmf_evh *evh, uint32_t events)
{
	struct nvmf_listener *l = NVMF_CONTAINER_OF(evh, struct nvmf_listener, evh);
	struct nvmf_tgt *tgt = l->tgt;

	(void)events;
	for (int i = 0; i < 64; i++) {
		int one = 1, fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct nvmf_conn *c;
		struct nvmf_reactor *r;

		if (fd < 0) {
			if ((errno == EMFILE || errno == ENFILE) && tgt->spare_fd >= 0) {
				/*
				 * Out of descriptors: the pending connection would keep
				 * the level-triggered listener firing forever. Use the
				 * spare descriptor to accept and drop it.
				 */
				NVMF_WARN(tgt, "accept on %s:%u: %s: dropping a connection",
					  l->traddr, l->port, strerror(errno));
				close(tgt->spare_fd);
				fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
				if (fd >= 0)
					close(fd);
				tgt->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
				continue;
			}
			if (errno != EAGAIN && errno != EINTR)
				NVMF_WARN(tgt, "accept on %s:%u: %s", l->traddr, l->port, strerror(errno));
			return;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = nvmf_conn_create(tgt, fd, l);
		if (!c) {
			close(fd);
			continue;
		}
		NVMF_STAT_INC(tgt, conns_accepted);
		r = nvmf_reactor_pick(tgt);
		c->r = r;
		if (nvmf_reactor_send(r, nvmf_conn_attach, c)) {
			atomic_fetch_sub(&r->nconns, 1);
			nvmf_conn_free(c);
		}
	}
}
