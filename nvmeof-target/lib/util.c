/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging, clock and the per-reactor buffer pools. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nvmf_internal.h"

void nvmf_log(struct nvmf_tgt *tgt, enum nvmf_log_level lvl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	enum nvmf_log_level max = tgt ? tgt->opts.log_level : NVMF_LOG_WARN;

	if (lvl > max)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (tgt && tgt->opts.log) {
		tgt->opts.log(tgt->opts.log_ctx, lvl, msg);
		return;
	}
	static const char *const names[] = { "error", "warn", "info", "debug" };
	fprintf(stderr, "nvmf %s: %s\n", names[lvl], msg);
}

uint64_t nvmf_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int nvmf_pool_init(struct nvmf_buf_pool *p, uint32_t size)
{
	p->cap = 64;
	p->nfree = 0;
	p->allocated = 0;
	p->size = size;
	p->free = calloc(p->cap, sizeof(*p->free));
	return p->free ? 0 : -ENOMEM;
}

void nvmf_pool_fini(struct nvmf_buf_pool *p)
{
	for (uint32_t i = 0; i < p->nfree; i++)
		free(p->free[i]);
	free(p->free);
	p->free = NULL;
	p->nfree = 0;
}

/* Buffers are page aligned so file namespaces can use O_DIRECT. The pool
 * only grows: steady state does no allocation. */
void *nvmf_pool_get(struct nvmf_buf_pool *p)
{
	void *b;

	if (NVMF_LIKELY(p->nfree))
		return p->free[--p->nfree];
	if (posix_memalign(&b, 4096, p->size))
		return NULL;
	p->allocated++;
	return b;
}

void nvmf_pool_put(struct nvmf_buf_pool *p, void *buf)
{
	if (NVMF_UNLIKELY(p->nfree == p->cap)) {
		uint32_t ncap = p->cap * 2;
		void **n = realloc(p->free, ncap * sizeof(*n));

		if (!n) {
			free(buf);
			p->allocated--;
			return;
		}
		p->free = n;
		p->cap = ncap;
	}
	p->free[p->nfree++] = buf;
}
