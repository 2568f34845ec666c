/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HAL core: provider registry, open by name with arguments, structural
 * rule checks that no provider sees (END termination, unknown types, mask
 * without spec, fates, SAMPLE sub-lists), and the sim provider opened the
 * way the firmware will open it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dpu_hal.h"
#include "esw_test_eal.h"
#include "sim_esw.h"

static int failures, checks;

#define CHECK(cond, ...)							\
	do {									\
		checks++;							\
		if (!(cond)) {							\
			failures++;						\
			printf("FAIL %s:%d: ", __func__, __LINE__);		\
			printf(__VA_ARGS__);					\
			printf("\n");						\
		} else {							\
			printf("ok: ");						\
			printf(__VA_ARGS__);					\
			printf("\n");						\
		}								\
	} while (0)

static const struct dpu_hal_attr A = { .transfer = 1 };
static const struct dpu_hal_action_port P1 = { 1 };

static void
test_checks(void)
{
	struct dpu_hal_item pat[DPU_HAL_MAX_ITEMS + 2];
	struct dpu_hal_action act[] = { { DPU_HAL_ACTION_PORT, &P1 }, { DPU_HAL_ACTION_END, NULL } };
	struct dpu_hal_item ok[] = { { DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_END, NULL, NULL } };
	struct dpu_hal_item_eth m = { .type = 0xffff };
	struct dpu_hal_error err = { 0 };
	struct dpu_hal_attr none = { 0 };
	int ret;

	for (int i = 0; i < DPU_HAL_MAX_ITEMS + 2; i++)
		pat[i] = (struct dpu_hal_item){ DPU_HAL_ITEM_VOID, NULL, NULL };
	ret = dpu_hal_check_rule(&A, pat, act, &err);
	CHECK(ret == -E2BIG && err.what == DPU_HAL_ERR_ITEM, "unterminated pattern: %s", err.msg);
	pat[0] = (struct dpu_hal_item){ (enum dpu_hal_item_type)77, NULL, NULL };
	pat[1].type = DPU_HAL_ITEM_END;
	ret = dpu_hal_check_rule(&A, pat, act, &err);
	CHECK(ret == -EINVAL && err.index == 0, "unknown item type: %s", err.msg);
	pat[0] = (struct dpu_hal_item){ DPU_HAL_ITEM_ETH, NULL, &m };
	ret = dpu_hal_check_rule(&A, pat, act, &err);
	CHECK(ret == -EINVAL && err.index == 0, "mask without spec: %s", err.msg);
	ret = dpu_hal_check_rule(&none, ok, act, &err);
	CHECK(ret == -EINVAL && err.what == DPU_HAL_ERR_ATTR, "no domain: %s", err.msg);
	{
		struct dpu_hal_action a2[] = {
			{ DPU_HAL_ACTION_PORT, NULL }, { DPU_HAL_ACTION_END, NULL },
		};

		ret = dpu_hal_check_rule(&A, ok, a2, &err);
		CHECK(ret == -EINVAL && err.index == 0, "PORT without conf: %s", err.msg);
	}
	{
		struct dpu_hal_action sub[] = {
			{ DPU_HAL_ACTION_DROP, NULL }, { DPU_HAL_ACTION_END, NULL },
		};
		struct dpu_hal_action_sample s = { 1, sub };
		struct dpu_hal_action a3[] = {
			{ DPU_HAL_ACTION_SAMPLE, &s }, { DPU_HAL_ACTION_PORT, &P1 },
			{ DPU_HAL_ACTION_END, NULL },
		};

		ret = dpu_hal_check_rule(&A, ok, a3, &err);
		CHECK(ret == -ENOTSUP && err.index == 0, "SAMPLE with DROP inside: %s", err.msg);
	}
	{
		struct dpu_hal_action a4[DPU_HAL_MAX_ACTIONS + 1];

		for (int i = 0; i <= DPU_HAL_MAX_ACTIONS; i++)
			a4[i] = (struct dpu_hal_action){ DPU_HAL_ACTION_COUNT, NULL };
		ret = dpu_hal_check_rule(&A, ok, a4, &err);
		CHECK(ret == -E2BIG, "unterminated actions: %s", err.msg);
	}
	CHECK(!strcmp(dpu_hal_item_name(DPU_HAL_ITEM_GENEVE_OPT), "GENEVE_OPT") &&
	      !strcmp(dpu_hal_action_name(DPU_HAL_ACTION_TUNNEL_ENCAP), "TUNNEL_ENCAP") &&
	      !strcmp(dpu_hal_item_name((enum dpu_hal_item_type)999), "UNKNOWN"),
	      "item/action names");
}

static void
test_registry(void)
{
	struct dpu_hal_error err = { 0 };
	struct dpu_hal_dev *dev = NULL;
	struct dpu_hal_flow *f = NULL;
	struct dpu_hal_caps caps;
	struct dpu_hal_item pat[] = { { DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_END, NULL, NULL } };
	struct dpu_hal_action act[] = {
		{ DPU_HAL_ACTION_COUNT, NULL }, { DPU_HAL_ACTION_PORT, &P1 }, { DPU_HAL_ACTION_END, NULL },
	};
	struct dpu_hal_count c;
	int ret;

	CHECK(dpu_hal_open("sim", "", &dev, &err) == -ENOENT, "open before register: %s", err.msg);
	CHECK(dpu_hal_register(&sim_esw_hal_class) == 0, "register sim");
	CHECK(dpu_hal_register(&sim_esw_hal_class) == 0, "register twice is idempotent");
	{
		struct dpu_hal_class other = sim_esw_hal_class;

		CHECK(dpu_hal_register(&other) == -EEXIST, "another class with the same name: EEXIST");
	}
	CHECK(dpu_hal_find("sim") == &sim_esw_hal_class, "find");
	ret = dpu_hal_open("sim", "ports=4,bogus=1", &dev, &err);
	CHECK(ret == -EINVAL, "unknown argument: %s", err.msg);
	ret = dpu_hal_open("sim", "name=core1,ports=2,max_rules=1,queues=2", &dev, &err);
	CHECK(ret == 0, "open sim with args");
	if (ret < 0)
		return;
	dpu_hal_caps(dev, &caps);
	CHECK(caps.max_rules == 1 && caps.nb_queues == 2 && caps.async_native == 1, "caps from args");
	CHECK(sim_esw_from_hal(dev) != NULL, "eSwitch behind the dev");
	ret = dpu_hal_flow_create(dev, &A, pat, act, &f, &err);
	CHECK(ret == 0, "create");
	{
		struct dpu_hal_flow *g;
		struct dpu_hal_item p6[] = {
			{ DPU_HAL_ITEM_IPV6, NULL, NULL }, { DPU_HAL_ITEM_END, NULL, NULL },
		};

		ret = dpu_hal_flow_create(dev, &A, p6, act, &g, &err);
		CHECK(ret == -ENOSPC, "max_rules=1 enforced: %s", err.msg);
	}
	{
		struct dpu_hal_action_port p3 = { 3 };
		struct dpu_hal_action a3[] = { { DPU_HAL_ACTION_PORT, &p3 }, { DPU_HAL_ACTION_END, NULL } };

		ret = dpu_hal_flow_validate(dev, &A, pat, a3, &err);
		CHECK(ret == -EINVAL && err.index == 0, "ports=2 enforced: %s", err.msg);
	}
	CHECK(dpu_hal_flow_query_count(dev, f, false, &c, &err) == 0 && c.hits == 0, "query");
	{
		struct dpu_hal_dev *dev2 = NULL;

		CHECK(dpu_hal_open("sim", "name=core1", &dev2, &err) == 0,
		      "a second eSwitch with the same name opens (DPDK names are unique ids)");
		dpu_hal_close(dev2);
	}
	CHECK(dpu_hal_flow_destroy(dev, f, &err) == 0, "destroy");
	CHECK(dpu_hal_flow_destroy(dev, f, &err) == -ENOENT, "destroy twice: %s", err.msg);
	CHECK(dpu_hal_push(dev, 5, &err) == -EINVAL, "push on a queue that does not exist: %s",
	      err.msg);
	dpu_hal_close(dev);
	CHECK(dpu_hal_unregister("sim") == 0, "unregister");
}

/*
 * The memory figure balances: rules with 32-byte subtable keys (IPv6
 * source and destination), which keep their keys outside the rule body,
 * made, destroyed and reclaimed, then made again: the same figure both
 * times (subtables, keys and programs all given back; the slab reused).
 */
static int
mem_round(struct dpu_hal_dev *dev, struct sim_esw *esw, struct dpu_hal_flow **f, int n,
	  uint64_t *mem)
{
	struct dpu_hal_item_ipv6 ip = { .src = { 0x20, 0x01, 0x0d, 0xb8 } }, ipm;
	struct dpu_hal_item pat[] = {
		{ DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_IPV6, &ip, &ipm },
		{ DPU_HAL_ITEM_END, NULL, NULL },
	};
	struct dpu_hal_action act[] = { { DPU_HAL_ACTION_PORT, &P1 }, { DPU_HAL_ACTION_END, NULL } };
	struct dpu_hal_error err = { 0 };
	int made = 0;

	memset(&ipm, 0, sizeof(ipm));
	memset(ipm.src, 0xff, 16);
	memset(ipm.dst, 0xff, 16);
	for (int i = 0; i < n; i++) {
		ip.dst[14] = (uint8_t)(i >> 8);
		ip.dst[15] = (uint8_t)i;
		made += dpu_hal_flow_create(dev, &A, pat, act, &f[i], &err) == 0;
	}
	*mem = sim_esw_mem_bytes(esw);
	for (int i = 0; i < n; i++)
		dpu_hal_flow_destroy(dev, f[i], &err);
	while (sim_esw_reclaim(esw) > 0)
		;
	return made;
}

static void
test_mem_balance(void)
{
	struct sim_esw_conf cf = { .name = "membal", .nb_ports = 4, .initial_table_size = 16 };
	struct dpu_hal_flow *f[600];
	struct sim_esw *esw;
	struct dpu_hal_dev *dev;
	uint64_t empty, m1, m2;

	if (sim_esw_create(&cf, &esw, NULL) < 0 || sim_esw_hal_attach(esw, &dev) < 0) {
		CHECK(0, "mem balance: cannot create the eSwitch");
		return;
	}
	empty = sim_esw_mem_bytes(esw);
	CHECK(mem_round(dev, esw, f, 600, &m1) == 600, "600 IPv6 rules made");
	CHECK(mem_round(dev, esw, f, 600, &m2) == 600, "and again");
	CHECK(m1 == m2 && m1 > empty, "memory with 600 rules: %llu bytes, again %llu (empty %llu)",
	      (unsigned long long)m1, (unsigned long long)m2, (unsigned long long)empty);
	dpu_hal_close(dev);
	sim_esw_destroy(esw);
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;

	(void)argc;
	test_checks();
	mp = esw_test_eal_init(argv[0], 512, 64);
	if (mp == NULL)
		return 1;
	test_registry();
	test_mem_balance();
	printf("hal core: %d checks, %d failed\n", checks, failures);
	esw_test_eal_fini(mp);
	return failures ? 1 : 0;
}
