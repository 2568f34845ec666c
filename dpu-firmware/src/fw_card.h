/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The card as dpu-fw sees it: identity, epoch, capabilities, ports, rule
 * records and the hosts connected to it. One per dpu-fw process.
 */
#ifndef FW_CARD_H
#define FW_CARD_H

#include <stdbool.h>
#include <stdint.h>

#include "dpu_abi.h"
#include "fw_flows.h"
#include "fw_hw.h"

struct nvmf_tgt;
struct fw_io;

#define FW_MAX_PORTS 64
#define FW_MAX_CONNS 16

struct fw_port {
	struct dpu_abi_port_info info;
	struct dpu_abi_port_stats stats;
};

struct fw_conn {
	struct dpu_abi_transport *t;
	struct dpu_abi_peer peer;  /* role CARD; minor after HELLO */
	bool hello_done;
	uint64_t features;         /* negotiated */
	char host_name[DPU_ABI_NAME_LEN];
	/* Why the request being handled was refused (a handler may say), for
	 * the error body a malformed-class status (1..63) must carry. */
	char why[120];
};

struct fw_card_config {
	const char *name;         /* card name, also the epoch file's name */
	const char *state_dir;    /* epoch persisted here; NULL: not persisted */
	uint32_t n_uplinks;
	uint32_t n_vfs;
	uint32_t max_flows;
	uint32_t max_batch;
	const char *hal;          /* "sim" or "none" */
};

struct fw_card {
	char name[DPU_ABI_NAME_LEN];
	char epoch_path[256];
	uint32_t epoch;
	uint64_t boot_ns;
	struct dpu_abi_caps caps;
	uint64_t features;        /* what this card implements */
	uint32_t n_ports;
	struct fw_port ports[FW_MAX_PORTS];
	struct fw_hw hw;
	struct fw_flows flows;
	struct nvmf_tgt *nvmf;    /* the card's NVMe-oF/TCP target */
	struct fw_io *io;         /* packet ports and workers (topology mode) */
	struct fw_conn *conns[FW_MAX_CONNS];
	uint64_t bad_msgs;        /* rejected by the decoder */
	uint64_t evt_dropped;
	uint32_t health;
};

/** Build the card from cfg; bumps and persists the epoch. 0 or -errno. */
int fw_card_init(struct fw_card *card, const struct fw_card_config *cfg);
void fw_card_fini(struct fw_card *card);

/** Card reset: flush state, bump the epoch. Returns the old epoch. */
uint32_t fw_card_reset(struct fw_card *card);

/** Milliseconds since the card booted. */
uint64_t fw_card_uptime_ms(const struct fw_card *card);

/** Find a port by id; NULL when absent. */
struct fw_port *fw_card_port(struct fw_card *card, uint32_t port_id);

/** Queue an event to every connected host that negotiated events. */
void fw_card_broadcast(struct fw_card *card, uint16_t opcode,
		       const void *body, size_t len);

#endif /* FW_CARD_H */
