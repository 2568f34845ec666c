/* SPDX-License-Identifier: BSD-3-Clause */
/* CRC32C for NVMe/TCP header and data digests, via ISA-L (crc32_iscsi is
 * CRC32C without the final inversion; it picks SSE4.2/PCLMUL at runtime). */
#include <isa-l/crc.h>

#include "nvmf_internal.h"

uint32_t nvmf_crc32c_update(uint32_t crc, const void *buf, size_t len)
{
	/* crc32_iscsi takes an int length: feed huge buffers in slices */
	const unsigned char *p = buf;

	while (len > (1u << 30)) {
		crc = crc32_iscsi((unsigned char *)p, 1 << 30, crc);
		p += 1u << 30;
		len -= 1u << 30;
	}
	return crc32_iscsi((unsigned char *)p, (int)len, crc);
}

uint32_t nvmf_crc32c(const void *buf, size_t len)
{
	return NVMF_CRC32C_FINAL(nvmf_crc32c_update(NVMF_CRC32C_INIT, buf, len));
}
