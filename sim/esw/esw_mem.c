/* SPDX-License-Identifier: BSD-3-Clause */
/* Memory the dataplane reads at random: 2 MiB pages where the kernel has them. */
#include <errno.h>
#include <sys/mman.h>

#include <rte_common.h>

#include "esw_internal.h"

#define HUGE_SZ ((size_t)2 << 20)

/*
 * Rule bodies and big subtable tables are read at random; on 4 KiB pages
 * (a costly TLB miss under a hypervisor) that was a miss per access. The
 * mapping is 2 MiB-aligned, advised MADV_HUGEPAGE and faulted in at once
 * (the first touch of a huge page zeroes all of it anyway).
 */
void *
sim_huge_map(size_t len)
{
	uint8_t *p, *a;

	len = RTE_ALIGN_CEIL(len, HUGE_SZ);
	p = mmap(NULL, len + HUGE_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (uint8_t *)RTE_ALIGN_CEIL((uintptr_t)p, HUGE_SZ);
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + len < p + len + HUGE_SZ)
		munmap(a + len, (size_t)(p + len + HUGE_SZ - (a + len)));
#ifdef MADV_HUGEPAGE
	madvise(a, len, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
	/* EINVAL: a kernel before 5.14, pages come on first touch instead */
	if (madvise(a, len, MADV_POPULATE_WRITE) < 0 && errno != EINVAL) {
		munmap(a, len);
		return NULL; /* no memory: the caller says ENOMEM, no OOM kill later */
	}
#endif
	return a;
}

void
sim_huge_unmap(void *p, size_t len)
{
	munmap(p, RTE_ALIGN_CEIL(len, HUGE_SZ));
}
