/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reactor threads: one epoll set each, an eventfd message queue for
 * cross-thread work, an optional io_uring for file namespaces and a 100 ms
 * tick for keep-alive. Idle reactors block in epoll_wait; busy_poll (for
 * benchmarks) spins with a zero timeout instead.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "nvmf_internal.h"

static __thread struct nvmf_reactor *cur_reactor;

static void reactor_drain_msgs(struct nvmf_reactor *r)
{
	struct nvmf_msg_list todo;
	struct nvmf_msg *m;
	uint64_t v;

	if (read(r->msg_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		NVMF_WARN(r->tgt, "reactor %u: eventfd read: %s", r->idx, strerror(errno));
	TAILQ_INIT(&todo);
	pthread_mutex_lock(&r->msg_lock);
	TAILQ_CONCAT(&todo, &r->msgs, link);
	pthread_mutex_unlock(&r->msg_lock);
	while ((m = TAILQ_FIRST(&todo))) {
		TAILQ_REMOVE(&todo, m, link);
		m->fn(r, m->arg);
		if (m->done) {
			pthread_mutex_lock(m->done_lock);
			*m->done = true;
			pthread_cond_broadcast(m->done_cond);
			pthread_mutex_unlock(m->done_lock);
		} else {
			free(m);
		}
	}
}

static void reactor_msg_event(struct nvmf_evh *evh, uint32_t events)
{
	(void)events;
	reactor_drain_msgs(NVMF_CONTAINER_OF(evh, struct nvmf_reactor, msg_evh));
}

static void msg_enqueue(struct nvmf_reactor *r, struct nvmf_msg *m)
{
	uint64_t one = 1;

	pthread_mutex_lock(&r->msg_lock);
	TAILQ_INSERT_TAIL(&r->msgs, m, link);
	pthread_mutex_unlock(&r->msg_lock);
	if (write(r->msg_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		NVMF_WARN(r->tgt, "reactor %u: eventfd write: %s", r->idx, strerror(errno));
}

int nvmf_reactor_send(struct nvmf_reactor *r, nvmf_msg_fn fn, void *arg)
{
	struct nvmf_msg *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->fn = fn;
	m->arg = arg;
	msg_enqueue(r, m);
	return 0;
}

void nvmf_reactor_call(struct nvmf_reactor *r, nvmf_msg_fn fn, void *arg)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	bool done = false;
	struct nvmf_msg m = { .fn = fn, .arg = arg, .done_lock = &lock,
			      .done_cond = &cond, .done = &done };

	if (cur_reactor == r || !r->started) {
		fn(r, arg);
		return;
	}
	msg_enqueue(r, &m);
	pthread_mutex_lock(&lock);
	while (!done)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void noop_msg(struct nvmf_reactor *r, void *arg)
{
	(void)r;
	(void)arg;
}

void nvmf_reactors_sync(struct nvmf_tgt *tgt)
{
	for (unsigned int i = 0; i < tgt->n_reactors; i++)
		nvmf_reactor_call(&tgt->reactors[i], noop_msg, NULL);
}

struct nvmf_reactor *nvmf_reactor_pick(struct nvmf_tgt *tgt)
{
	struct nvmf_reactor *best = &tgt->reactors[0];

	for (unsigned int i = 1; i < tgt->n_reactors; i++)
		if (atomic_load(&tgt->reactors[i].nconns) < atomic_load(&best->nconns))
			best = &tgt->reactors[i];
	atomic_fetch_add(&best->nconns, 1);
	return best;
}

int nvmf_reactor_ring(struct nvmf_reactor *r)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int rc;

	if (r->ring_ok)
		return 0;
	rc = io_uring_queue_init(256, &r->ring, 0);
	if (rc < 0) {
		NVMF_ERR(r->tgt, "reactor %u: io_uring_queue_init: %s", r->idx, strerror(-rc));
		return rc;
	}
	r->ring_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->ring_fd < 0 || io_uring_register_eventfd(&r->ring, r->ring_fd) < 0) {
		rc = -errno;
		if (r->ring_fd >= 0)
			close(r->ring_fd);
		io_uring_queue_exit(&r->ring);
		return rc ? rc : -EIO;
	}
	r->ring_evh.fn = nvmf_ring_event;
	ev.data.ptr = &r->ring_evh;
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->ring_fd, &ev) < 0) {
		rc = -errno;
		close(r->ring_fd);
		io_uring_queue_exit(&r->ring);
		return rc;
	}
	r->ring_ok = true;
	return 0;
}

static void reactor_tick(struct nvmf_reactor *r, uint64_t now)
{
	struct nvmf_conn *c, *tmp;

	TAILQ_FOREACH_SAFE(c, &r->conns, link, tmp) {
		if (!c->connected) {
			if (now - c->created_ns > (uint64_t)NVMF_IC_TIMEOUT_MS * 1000000ull)
				nvmf_conn_close(c, "no Connect within the initial timeout");
			continue;
		}
		if (c->qid == 0 && c->ctrlr && c->ctrlr->kato_ms && now > c->ctrlr->ka_deadline_ns) {
			NVMF_STAT_INC(r->tgt, ka_timeouts);
			NVMF_WARN(r->tgt, "ctrlr %u (%s): keep-alive timeout (%u ms)",
				  c->ctrlr->cntlid, c->ctrlr->hostnqn, c->ctrlr->kato_ms);
			nvmf_conn_close(c, "keep-alive timeout");
		}
	}
}

static void reactor_flush_dirty(struct nvmf_reactor *r)
{
	struct nvmf_conn *c;

	while ((c = TAILQ_FIRST(&r->dirty))) {
		TAILQ_REMOVE(&r->dirty, c, dirty_link);
		c->on_dirty = false;
		nvmf_conn_flush(c);
	}
}

static void reactor_reap_zombies(struct nvmf_reactor *r)
{
	struct nvmf_conn *c, *tmp;

	TAILQ_FOREACH_SAFE(c, &r->zombies, link, tmp) {
		if (c->backend_inflight)
			continue;
		TAILQ_REMOVE(&r->zombies, c, link);
		nvmf_conn_free(c);
	}
}

static void *reactor_main(void *arg)
{
	struct nvmf_reactor *r = arg;
	struct epoll_event evs[64];
	unsigned int spins = 0;
	char name[16];

	cur_reactor = r;
	snprintf(name, sizeof(name), "nvmf-r%u", r->idx);
	pthread_setname_np(pthread_self(), name);
	if (r->tgt->opts.first_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(r->tgt->opts.first_cpu + (int)r->idx, &set);
		if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
			NVMF_WARN(r->tgt, "reactor %u: cannot pin to cpu %d", r->idx,
				  r->tgt->opts.first_cpu + (int)r->idx);
	}
	r->next_tick_ns = nvmf_now_ns() + NVMF_TICK_MS * 1000000ull;

	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		int timeout = 0, n;
		uint64_t now;

		if (r->ring_unsubmitted) {
			io_uring_submit(&r->ring);
			r->ring_unsubmitted = 0;
		}
		if (!r->tgt->opts.busy_poll) {
			now = nvmf_now_ns();
			timeout = now >= r->next_tick_ns ? 0 :
				(int)((r->next_tick_ns - now) / 1000000ull) + 1;
		}
		n = epoll_wait(r->epfd, evs, 64, timeout);
		for (int i = 0; i < n; i++) {
			struct nvmf_evh *h = evs[i].data.ptr;

			h->fn(h, evs[i].events);
		}
		if (r->tgt->opts.busy_poll && r->ring_ok)
			nvmf_ring_reap(r);
		reactor_flush_dirty(r);
		if (!TAILQ_EMPTY(&r->zombies))
			reactor_reap_zombies(r);
		/* busy polling: the clock is read only now and then */
		if (r->tgt->opts.busy_poll && (++spins & 127))
			continue;
		now = nvmf_now_ns();
		if (now >= r->next_tick_ns) {
			reactor_tick(r, now);
			r->next_tick_ns = now + NVMF_TICK_MS * 1000000ull;
			reactor_flush_dirty(r);
		}
	}
	return NULL;
}

static int reactor_init(struct nvmf_tgt *tgt, struct nvmf_reactor *r, unsigned int idx)
{
	struct epoll_event ev = { .events = EPOLLIN };

	r->tgt = tgt;
	r->idx = idx;
	TAILQ_INIT(&r->msgs);
	TAILQ_INIT(&r->conns);
	TAILQ_INIT(&r->dirty);
	TAILQ_INIT(&r->zombies);
	pthread_mutex_init(&r->msg_lock, NULL);
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	r->msg_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->epfd < 0 || r->msg_fd < 0)
		return -errno;
	r->msg_evh.fn = reactor_msg_event;
	ev.data.ptr = &r->msg_evh;
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->msg_fd, &ev) < 0)
		return -errno;
	if (nvmf_pool_init(&r->small, tgt->small_buf_size) ||
	    nvmf_pool_init(&r->large, tgt->opts.max_io_size))
		return -ENOMEM;
	return 0;
}

int nvmf_reactors_start(struct nvmf_tgt *tgt)
{
	int rc;

	tgt->reactors = calloc(tgt->n_reactors, sizeof(*tgt->reactors));
	if (!tgt->reactors)
		return -ENOMEM;
	for (unsigned int i = 0; i < tgt->n_reactors; i++) {
		tgt->reactors[i].epfd = -1;
		tgt->reactors[i].msg_fd = -1;
		rc = reactor_init(tgt, &tgt->reactors[i], i);
		if (rc) {
			NVMF_ERR(tgt, "reactor %u init: %s", i, strerror(-rc));
			return rc;
		}
	}
	for (unsigned int i = 0; i < tgt->n_reactors; i++) {
		rc = pthread_create(&tgt->reactors[i].thread, NULL, reactor_main, &tgt->reactors[i]);
		if (rc) {
			NVMF_ERR(tgt, "reactor %u: pthread_create: %s", i, strerror(rc));
			return -rc;
		}
		tgt->reactors[i].started = true;
	}
	return 0;
}

static void reactor_close_all(struct nvmf_reactor *r, void *arg)
{
	struct nvmf_conn *c, *tmp;

	(void)arg;
	TAILQ_FOREACH_SAFE(c, &r->conns, link, tmp)
		nvmf_conn_close(c, "target shutting down");
}

static void zombies_empty_msg(struct nvmf_reactor *r, void *arg)
{
	*(bool *)arg = TAILQ_EMPTY(&r->zombies);
}

void nvmf_reactors_stop(struct nvmf_tgt *tgt)
{
	if (!tgt->reactors)
		return;
	for (unsigned int i = 0; i < tgt->n_reactors; i++)
		if (tgt->reactors[i].started)
			nvmf_reactor_call(&tgt->reactors[i], reactor_close_all, NULL);
	/* closing admin queues posts messages to other reactors; let them run */
	nvmf_reactors_sync(tgt);
	nvmf_reactors_sync(tgt);
	for (unsigned int i = 0; i < tgt->n_reactors; i++) {
		struct nvmf_reactor *r = &tgt->reactors[i];

		if (!r->started)
			continue;
		/* wait for in-flight file I/O of closed connections */
		for (;;) {
			bool empty = false;

			nvmf_reactor_call(r, zombies_empty_msg, &empty);
			if (empty)
				break;
			usleep(1000);
		}
		atomic_store(&r->stop, true);
		nvmf_reactor_send(r, noop_msg, NULL);
		pthread_join(r->thread, NULL);
		r->started = false;
	}
	for (unsigned int i = 0; i < tgt->n_reactors; i++) {
		struct nvmf_reactor *r = &tgt->reactors[i];
		struct nvmf_msg *m;

		struct nvmf_conn *c;

		/* late messages (a connection accepted during shutdown) */
		while ((m = TAILQ_FIRST(&r->msgs))) {
			TAILQ_REMOVE(&r->msgs, m, link);
			m->fn(r, m->arg);
			free(m);
		}
		while ((c = TAILQ_FIRST(&r->conns)))
			nvmf_conn_close(c, "target shutting down");
		while ((c = TAILQ_FIRST(&r->zombies))) {
			TAILQ_REMOVE(&r->zombies, c, link);
			nvmf_conn_free(c);
		}
		if (r->ring_ok) {
			io_uring_queue_exit(&r->ring);
			close(r->ring_fd);
		}
		nvmf_pool_fini(&r->small);
		nvmf_pool_fini(&r->large);
		if (r->epfd >= 0)
			close(r->epfd);
		if (r->msg_fd >= 0)
			close(r->msg_fd);
		pthread_mutex_destroy(&r->msg_lock);
	}
	free(tgt->reactors);
	tgt->reactors = NULL;
}
