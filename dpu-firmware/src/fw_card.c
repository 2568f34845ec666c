/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_card.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fw_io.h"
#include "fw_log.h"
#include "fw_nvmf.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The epoch survives restarts so a host can tell "same card, new life". */
static uint32_t epoch_load_and_bump(const char *path)
{
	uint32_t epoch = 0;
	FILE *f;

	if (!path[0])
		return 1;
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%u", &epoch) != 1)
			epoch = 0;
		fclose(f);
	}
	epoch++;
	if (epoch == 0)
		epoch = 1;
	f = fopen(path, "w");
	if (!f) {
		fw_log_warn("cannot persist epoch to %s: %s", path, strerror(errno));
		return epoch;
	}
	fprintf(f, "%u\n", epoch);
	fclose(f);
	return epoch;
}

static void epoch_store(const char *path, uint32_t epoch)
{
	FILE *f;

	if (!path[0])
		return;
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%u\n", epoch);
		fclose(f);
	}
}

static void add_port(struct fw_card *card, uint8_t kind, uint8_t pf, uint16_t vf,
		     const char *name)
{
	struct fw_port *p = &card->ports[card->n_ports];
	struct dpu_abi_port_info *i = &p->info;

	memset(p, 0, sizeof(*p));
	i->port_id = card->n_ports;
	i->kind = kind;
	i->pf = pf;
	i->vf = vf;
	i->admin_up = 1;
	i->oper_up = 1;
	i->mtu = 1500;
	/* Locally administered, unique per card and port. */
	i->mac[0] = 0x02;
	i->mac[1] = 0xd0;
	i->mac[2] = (uint8_t)(card->epoch >> 8);
	i->mac[3] = (uint8_t)card->epoch;
	i->mac[4] = kind;
	i->mac[5] = (uint8_t)card->n_ports;
	i->speed_mbps = kind == DPU_ABI_PORT_UPLINK ? 100000 : 0;
	snprintf(i->name, sizeof(i->name), "%s", name);
	p->stats.port_id = i->port_id;
	card->n_ports++;
}

int fw_card_init(struct fw_card *card, const struct fw_card_config *cfg)
{
	char name[DPU_ABI_PORT_NAME_LEN];

	memset(card, 0, sizeof(*card));
	if (cfg->n_uplinks + 1 + cfg->n_vfs > FW_MAX_PORTS) {
		fw_log_err("ports: %u uplinks + pf + %u vfs exceeds %d",
			   cfg->n_uplinks, cfg->n_vfs, FW_MAX_PORTS);
		return -EINVAL;
	}
	snprintf(card->name, sizeof(card->name), "%s", cfg->name);
	if (cfg->state_dir)
		snprintf(card->epoch_path, sizeof(card->epoch_path), "%s/%s.epoch",
			 cfg->state_dir, cfg->name);
	card->epoch = epoch_load_and_bump(card->epoch_path);
	card->boot_ns = now_ns();

	for (uint32_t u = 0; u < cfg->n_uplinks; u++) {
		snprintf(name, sizeof(name), "p%u", u);
		add_port(card, DPU_ABI_PORT_UPLINK, 0, 0, name);
	}
	add_port(card, DPU_ABI_PORT_PF, 0, 0, "pf0");
	for (uint32_t v = 0; v < cfg->n_vfs; v++) {
		snprintf(name, sizeof(name), "pf0vf%u", v);
		add_port(card, DPU_ABI_PORT_VF, 0, (uint16_t)v, name);
	}

	card->features = DPU_ABI_FEAT_FLOW | DPU_ABI_FEAT_EVENTS |
			 DPU_ABI_FEAT_PORT_CONFIG;
	card->caps = (struct dpu_abi_caps){
		.max_msg_len = DPU_ABI_MSG_MAX,
		.max_batch = cfg->max_batch,
		/* Requests a host may keep in flight: each needs a completion
		 * slot, and the server waits rather than drop a response. */
		.req_ring_depth = 1024,
		.cpl_ring_depth = 1024,
		.evt_ring_depth = 256,
		.n_ports = card->n_ports,
		.max_flows = cfg->max_flows,
		.max_groups = DPU_ABI_GROUP_MAX + 1,
		.max_flows_per_group = cfg->max_flows,
	};
	/* The record store accepts every item/action the ABI defines; the
	 * HAL narrows this to what the hardware can do. */
	card->caps.item_types = ((1ull << DPU_ABI_ITEM_TYPE_MAX) - 1) & ~1ull;
	card->caps.action_types = ((1ull << DPU_ABI_ACT_TYPE_MAX) - 1) & ~1ull;

	int rc = fw_hw_open(&card->hw, cfg->hal, card->name, card->n_ports,
			    cfg->max_flows, &card->caps, &card->features);
	if (rc < 0)
		return rc;
	rc = fw_flows_init(&card->flows, card->caps.max_flows, card->hw.hal);
	if (rc < 0) {
		fw_hw_close(&card->hw);
		return rc;
	}
	card->nvmf = fw_nvmf_start();
	if (card->nvmf) {
		card->features |= DPU_ABI_FEAT_NVMF;
		card->caps.max_nvmf_subsystems = 64;
		card->caps.max_nvmf_namespaces = 32;
	} else {
		fw_log_warn("NVMe-oF target did not start; storage requests will be refused");
	}
	return 0;
}

void fw_card_fini(struct fw_card *card)
{
	fw_nvmf_stop(card->nvmf);
	card->nvmf = NULL;
	fw_flows_fini(&card->flows);
	fw_hw_close(&card->hw);
}

uint32_t fw_card_reset(struct fw_card *card)
{
	uint32_t old = card->epoch;

	fw_flows_flush(&card->flows, DPU_ABI_GROUP_ALL);
	/* Storage configuration is card state too: a reset starts it empty. */
	fw_nvmf_stop(card->nvmf);
	card->nvmf = fw_nvmf_start();
	for (uint32_t i = 0; i < card->n_ports; i++) {
		uint32_t id = card->ports[i].stats.port_id;

		memset(&card->ports[i].stats, 0, sizeof(card->ports[i].stats));
		card->ports[i].stats.port_id = id;
	}
#ifdef FW_HAVE_SIM
	if (card->io)
		fw_io_reset_stats(card->io);
#endif
	card->epoch = old + 1 ? old + 1 : 1;
	epoch_store(card->epoch_path, card->epoch);
	card->health = 0;
	return old;
}

uint64_t fw_card_uptime_ms(const struct fw_card *card)
{
	return (now_ns() - card->boot_ns) / 1000000ull;
}

struct fw_port *fw_card_port(struct fw_card *card, uint32_t port_id)
{
	return port_id < card->n_ports ? &card->ports[port_id] : NULL;
}

void fw_card_broadcast(struct fw_card *card, uint16_t opcode, const void *body,
		       size_t len)
{
	uint8_t buf[512];
	int n = dpu_abi_encode(buf, sizeof(buf), opcode, DPU_ABI_F_EVENT, 0, body, len);

	if (n < 0)
		return;
	((struct dpu_abi_hdr *)buf)->epoch = card->epoch;
	for (int i = 0; i < FW_MAX_CONNS; i++) {
		struct fw_conn *c = card->conns[i];

		if (!c || !c->hello_done || !(c->features & DPU_ABI_FEAT_EVENTS))
			continue;
		if (dpu_abi_send(c->t, buf, (size_t)n) < 0) {
			card->evt_dropped++;
			card->health |= DPU_ABI_HEALTH_EVT_DROPPED;
		}
	}
}
