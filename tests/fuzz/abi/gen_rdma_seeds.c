/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Seeds for fuzz_rdma_parse: a data SEND with two KEEPALIVE frames, a
 * credit-only SEND and a connection private data block, each prefixed with
 * the selector byte the target reads first. Usage: gen_rdma_seeds DIR
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dpu_abi.h"
#include "rdma_wire.h"

static int put(const char *dir, const char *name, uint8_t sel, const void *p, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(&sel, 1, 1, f) != 1 || fwrite(p, 1, len, f) != len) {
		perror(path);
		return 1;
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	uint8_t send[16 + 2 * 56] = { 0 };
	struct dpu_rdma_hdr h = { .magic = DPU_RDMA_SEND_MAGIC, .seq = 0,
				  .bytes = 2 * 56, .credits = 1 };
	struct dpu_rdma_hdr ctrl = { .magic = DPU_RDMA_SEND_MAGIC, .seq = 1,
				     .credits = 8, .ctrl_credits = 1,
				     .flags = DPU_RDMA_F_CTRL };
	struct dpu_rdma_conn_priv c = { .magic = DPU_RDMA_CONN_MAGIC,
					.version = DPU_RDMA_VERSION,
					.slots = DPU_RDMA_DATA_SLOTS,
					.ctrl_slots = DPU_RDMA_CTRL_SLOTS,
					.slot_bytes = 266240,
					.max_msg_len = DPU_ABI_MSG_MAX };
	int i, rc = 0;

	if (argc != 2)
		return 2;
	mkdir(argv[1], 0755);
	memcpy(send, &h, sizeof(h));
	for (i = 0; i < 2; i++) {
		uint8_t *f = send + 16 + i * 56;
		uint32_t w[2] = { 48, 0 };
		struct dpu_abi_hdr m = { .magic = DPU_ABI_MAGIC,
					 .ver_major = DPU_ABI_VERSION_MAJOR,
					 .opcode = DPU_ABI_OP_KEEPALIVE, .length = 48,
					 .req_id = (uint64_t)i + 1 };

		memcpy(f, w, sizeof(w));
		memcpy(f + 8, &m, sizeof(m));
	}
	rc |= put(argv[1], "send-2-frames", 2 * 3 /* max 1024 */, send, sizeof(send));
	rc |= put(argv[1], "send-credits", 0, &ctrl, sizeof(ctrl));
	rc |= put(argv[1], "conn-priv", 1, &c, sizeof(c));
	return rc;
}
