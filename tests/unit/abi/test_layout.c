/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiles every ABI header with the project's warnings: the static asserts
 * on sizes and offsets are the test; this runs to prove the build did. */
#include "dpu_abi.h"

#include <stdio.h>

int main(void)
{
	printf("ABI v%d.%d header %zu bytes, flow op %zu bytes\n",
	       DPU_ABI_VERSION_MAJOR, DPU_ABI_VERSION_MINOR,
	       sizeof(struct dpu_abi_hdr), sizeof(struct dpu_abi_flow_op));
	return 0;
}
