/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_hw.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fw_log.h"

#ifdef FW_HAVE_SIM
#include <sched.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "sim_esw.h"

/*
 * EAL's lcore 0 as "0@(every CPU we may run on)": "-l 0" pinned the main
 * thread to CPU 0 whatever the process's affinity, so a host agent that
 * the scheduler also put on CPU 0 shared it with the card, and each spun
 * out its poll window before the other could answer (round trips of
 * ~100 us instead of ~2 us, depending on where the agent happened to run).
 */
static int lcores_arg(char *buf, size_t len)
{
	cpu_set_t set;
	size_t off;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return snprintf(buf, len, "0@0") < (int)len ? 0 : -ENOSPC;
	off = (size_t)snprintf(buf, len, "0@(");
	for (int cpu = 0; cpu < CPU_SETSIZE && off < len; cpu++) {
		int last = cpu;

		if (!CPU_ISSET(cpu, &set))
			continue;
		while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set))
			last++;
		off += (size_t)(last > cpu ?
			snprintf(buf + off, len - off, "%s%d-%d", n++ ? "," : "", cpu, last) :
			snprintf(buf + off, len - off, "%s%d", n++ ? "," : "", cpu));
		cpu = last;
	}
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, ")");
	return off < len && n ? 0 : -ENOSPC;
}

/* One EAL per process; its own file prefix so several cards coexist. */
static int eal_init(const char *name)
{
	static int done;
	char prefix[64], lcores[512];
	char *argv[] = {
		"dpu-fw", "--no-huge", "--no-pci", "--no-telemetry", "-m", "512",
		"--lcores", lcores, "--log-level", "*:warning", "--file-prefix", prefix,
	};

	if (done)
		return 0;
	if (lcores_arg(lcores, sizeof(lcores)) < 0)
		snprintf(lcores, sizeof(lcores), "0"); /* pinned to CPU 0, as before */
	snprintf(prefix, sizeof(prefix), "dpufw-%s-%d", name, (int)getpid());
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])), argv) < 0) {
		fw_log_err("DPDK EAL init failed: %s", rte_strerror(rte_errno));
		return -ENODEV;
	}
	done = 1;
	return 0;
}

static int open_sim(struct fw_hw *hw, const char *name, uint32_t n_ports,
		    uint32_t max_flows, struct dpu_abi_caps *caps, uint64_t *features)
{
	struct sim_esw_conf conf = {
		.name = name,
		.nb_ports = (uint16_t)n_ports,
		.max_rules = max_flows,
		.max_groups = 64,
		.max_meters = 256,
	};
	struct dpu_hal_caps hc;
	struct sim_esw *esw;
	int rc = eal_init(name);

	if (rc)
		return rc;
	rc = sim_esw_create(&conf, &esw, NULL);
	if (rc < 0) {
		fw_log_err("sim eSwitch: %s", strerror(-rc));
		return rc;
	}
	rc = sim_esw_hal_attach(esw, &hw->hal);
	if (rc < 0) {
		sim_esw_destroy(esw);
		return rc;
	}
	hw->esw = esw;
	dpu_hal_caps(hw->hal, &hc);
	caps->max_flows = hc.max_rules;
	caps->max_flows_per_group = hc.max_rules;
	caps->max_groups = hc.max_groups;
	caps->max_meters = hc.max_meters;
	/* What fw_flow_xlate can express on this eSwitch. */
	caps->item_types &= ~(1ull << DPU_ABI_ITEM_ARP);
	caps->action_types &= ~((1ull << DPU_ABI_ACT_CT) | (1ull << DPU_ABI_ACT_IPSEC));
	*features |= DPU_ABI_FEAT_TUNNEL | DPU_ABI_FEAT_METER | DPU_ABI_FEAT_MIRROR |
		     DPU_ABI_FEAT_FLOW_AGING;
	return 0;
}
#endif

int fw_hw_open(struct fw_hw *hw, const char *kind, const char *name,
	       uint32_t n_ports, uint32_t max_flows, struct dpu_abi_caps *caps,
	       uint64_t *features)
{
	memset(hw, 0, sizeof(*hw));
	hw->kind = kind;
	if (!strcmp(kind, "none"))
		return 0;
#ifdef FW_HAVE_SIM
	if (!strcmp(kind, "sim"))
		return open_sim(hw, name, n_ports, max_flows, caps, features);
#else
	(void)name, (void)n_ports, (void)max_flows, (void)caps, (void)features;
#endif
	fw_log_err("--hal %s: not available in this build (sim needs DPDK)", kind);
	return -ENOTSUP;
}

void fw_hw_close(struct fw_hw *hw)
{
	if (hw->hal)
		dpu_hal_close(hw->hal);
#ifdef FW_HAVE_SIM
	if (hw->esw)
		sim_esw_destroy(hw->esw);
#endif
	memset(hw, 0, sizeof(*hw));
}
