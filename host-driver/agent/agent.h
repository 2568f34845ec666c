/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu-agent internals: the desired-state store (what tc says the card
 * should hold, rule by rule, with where each one lives and why), the card
 * link that makes the card equal to it, and the sources that feed it
 * (a live NETLINK_ROUTE socket, or recorded messages).
 */
#ifndef DPU_AGENT_H
#define DPU_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dpu_host.h"
#include "dpu_nvmf_json.h"

struct nl_sock;
struct nl_cache;
#include "dpu_rules.h"
#include "dpu_rules_abi.h"

enum agent_rule_state {
	AGENT_HW = 1,      /* the card holds it (acknowledged) */
	AGENT_PENDING = 2, /* to be sent (or re-sent after a resync) */
	AGENT_SW = 3,      /* stays in software: refused, skip_hw, no port */
	AGENT_FAILED = 4,  /* the card refused it (reason from EVT_ERROR) */
};

/* One tc filter, keyed by its ABI flow id. The encoded ADD op is kept so
 * resync re-sends bytes instead of re-translating. */
struct agent_rule {
	struct dpu_abi_flow_id id;
	struct dpu_rules_id tc;  /* identity as tc knows it */
	uint8_t state;           /* enum agent_rule_state */
	uint16_t op_len;         /* 0 for software-only rules */
	uint32_t qpos;           /* its ADD's place on the send queue, or
				  * AGENT_QPOS_NONE */
	uint32_t seen;           /* the netlink dump generation that last
				  * told of it (agent.dump_gen) */
	char *reason;            /* why not in hardware (malloc), or NULL */
	uint64_t packets, bytes;
	uint32_t idle_ms;
	/* struct dpu_abi_flow_op + items + actions (8-aligned, as in a message) */
	_Alignas(8) uint8_t op[];
};

#define AGENT_QPOS_NONE UINT32_MAX

struct agent_store {
	struct agent_store_slot {
		uint64_t hash;
		struct agent_rule *r; /* NULL: empty */
	} *slots;
	size_t mask; /* slots - 1, a power of two minus one */
	size_t n_rules;
};

int agent_store_init(struct agent_store *s);
void agent_store_fini(struct agent_store *s);
struct agent_rule *agent_store_find(struct agent_store *s, const struct dpu_abi_flow_id *id);
/* Insert r; -EEXIST if its id is taken, -ENOMEM. */
int agent_store_insert(struct agent_store *s, struct agent_rule *r);
/* Unlink r (the caller frees it). */
void agent_store_remove(struct agent_store *s, struct agent_rule *r);
/* Calls fn for each rule; fn may not insert or remove. */
void agent_store_foreach(struct agent_store *s, void (*fn)(void *, struct agent_rule *),
			 void *arg);
void agent_rule_free(struct agent_rule *r);

/* A representor, uplink or tunnel netdev known to the agent. */
struct agent_port {
	uint32_t ifindex;
	char ifname[16];
	struct dpu_rules_port_info info;
};

struct agent_neigh {
	uint8_t ip_version;
	uint8_t ip[16];
	uint8_t mac[6];
};

#define AGENT_MAX_PORTS 256
/* Batches on the way to the card at once: while it applies some, the agent
 * decodes and packs the next (DPU_HOST_MAX_INFLIGHT bounds it). */
#define AGENT_INFLIGHT 4
/* Ops that make a batch worth sending before the source pauses. */
#define AGENT_KICK_OPS 512
#define AGENT_REFUSALS 64
/* Shared police actions the agent tracks (the card has far fewer meters). */
#define AGENT_MAX_METERS 65536u
#define AGENT_MAX_NEIGH 64

/* One object of the card's NVMe-oF/TCP configuration the agent owns. */
enum agent_nvmf_state {
	AGENT_NVMF_CARD = 1,    /* the card holds it */
	AGENT_NVMF_PENDING = 2, /* to be replayed (the card restarted, the link is down) */
	AGENT_NVMF_FAILED = 3,  /* a replay was refused (reason says why) */
};

struct agent_nvmf_obj {
	uint8_t kind;  /* enum dpu_nvmf_kind */
	uint8_t state; /* enum agent_nvmf_state */
	char *reason;  /* malloc'd, or NULL */
	union dpu_nvmf_obj o;
};

/* In the order they were made: a replay of each kind keeps it. */
struct agent_nvmf {
	struct agent_nvmf_obj *v;
	size_t n, cap;
};

#define AGENT_NVMF_MAX 4096

/* Counters the agent exports (dpuctl agent status). */
struct agent_stats {
	struct dpu_rules_stats decode; /* tc messages: decoded/malformed/... */
	uint64_t adds, dels;           /* desired-state changes */
	uint64_t batches, ops_sent, ops_failed;
	uint64_t resyncs, resync_deleted;
	uint64_t card_resets;
	uint64_t nvmf_changes, nvmf_replayed, nvmf_replay_failed;
};

struct agent {
	/* configuration */
	char card_addr[128];
	char rep_prefix[16];
	int timeout_ms;
	int nl_rcvbuf;  /* netlink receive buffer (0: 8 MiB) */
	/* the card */
	struct dpu_host_card *card;
	struct dpu_abi_port_info *card_ports;
	uint32_t n_card_ports;
	bool need_resync;
	/* the host */
	struct agent_port ports[AGENT_MAX_PORTS];
	unsigned int n_ports;
	struct agent_neigh neigh[AGENT_MAX_NEIGH];
	unsigned int n_neigh;
	/* netdevs and neighbours come from files (a recording, a fuzzer),
	 * not from this machine's kernel */
	bool offline;
	struct nl_sock *neigh_sk;       /* the kernel's neighbour table, */
	struct nl_cache *neigh_cache;   /* refilled at most every 100 ms */
	uint64_t neigh_refilled_ns;
	struct dpu_rules_resolver resolver; /* ctx = this agent */
	/* shared police actions by index (RTM_NEWACTION) */
	struct dpu_rules_act_police *meters;
	size_t n_meters, meters_cap;
	/* a dump stamps every filter it (or an event meanwhile) tells of:
	 * after an overrun, what is left unstamped was deleted unseen */
	uint32_t dump_gen;
	/* the dump request being read: its DONE (or ERROR) sets done/failed */
	uint32_t dump_seq;
	bool dump_done, dump_failed;
	bool need_dump; /* a dump did not complete: the main loop asks again */
	/* desired state and the send queue: ADDs and DELETEs in the order tc
	 * made them. An ADD points at its rule (a rule replaced or deleted
	 * meanwhile clears the pointer: its own DELETE/ADD follow). Entries
	 * [0, q_sent) went out in batches; those of the batches still in
	 * flight are answered in order. */
	struct agent_store store;
	struct agent_qent {
		struct dpu_abi_flow_id id;
		struct agent_rule *rule; /* ADD: the rule, NULL once void */
		uint8_t op; /* DPU_ABI_FLOW_ADD or DPU_ABI_FLOW_DELETE, 0: void */
	} *queue;
	size_t n_queue, queue_cap, q_sent;
	size_t kick_at; /* n_queue at which agent_card_kick() next sends */
	struct agent_inflight {
		size_t start, end; /* its queue entries */
		uint64_t req_id;
	} inflight[AGENT_INFLIGHT];
	unsigned int n_inflight;
	/* one batch message, reused */
	uint8_t *batch_buf;
	size_t batch_cap;
	struct agent_stats st;
	/* reasons the card sent for refused ops of the batches in flight
	 * (a ring of the last AGENT_REFUSALS) */
	struct { uint64_t object; char text[112]; } refusals[AGENT_REFUSALS];
	unsigned int n_refusals;
	/* storage: what the agent configured on the card's NVMe-oF target,
	 * kept in state_path ("" = not kept) across restarts of the agent */
	struct agent_nvmf nvmf;
	char state_path[256];
	char nvmf_refusal[112]; /* the card's reason for the last refusal */
	/* Tests and fuzzers stand in for the card here (NULL: the card). */
	int (*nvmf_call)(struct agent *a, uint16_t opcode, const void *body, size_t len);
};

/* agent_card.c: the card link */
int agent_card_connect(struct agent *a);
int agent_card_flush(struct agent *a);   /* send everything queued, wait for answers */
/* Send full batches and take answers that are in, never waiting: sources
 * call it (agent_card_kick) as they queue, so the card works meanwhile. */
int agent_card_pump(struct agent *a, bool drain);
static inline int agent_card_kick(struct agent *a)
{
	return a->card && a->n_queue >= a->kick_at ? agent_card_pump(a, false) : 0;
}
int agent_card_resync(struct agent *a);  /* make the card equal to the store */
int agent_card_query(struct agent *a);   /* refresh counters of HW rules */
int agent_card_poll(struct agent *a, int timeout_ms); /* events, reconnects */

/* agent_rules.c: tc messages into desired state */
int agent_handle_msg(struct agent *a, const void *buf, size_t len);
int agent_queue_add(struct agent *a, struct agent_rule *r);
int agent_queue_del(struct agent *a, const struct dpu_abi_flow_id *id);
/* Forget everything queued and in flight (its answers are moot). */
void agent_queue_clear(struct agent *a);
/* Take r out of the store and off the queue, and free it. */
void agent_rule_drop(struct agent *a, struct agent_rule *r);
/* After complete dumps of the ingress filters of ifindexes[0..n) (sorted):
 * drop the rules there that neither a dump nor an event since the dumps
 * began told of. */
int agent_sweep_unseen(struct agent *a, const uint32_t *ifindexes, size_t n);
/* Translate a decoded tc filter into a stored rule (state PENDING, or SW
 * with a reason); NULL only when out of memory. */
struct agent_rule *agent_rule_build(struct agent *a, const struct dpu_rules_flow *f,
				    const struct dpu_rules_result *decoded);

/* agent_meters.c: shared police actions (tc actions add ... police index N) */
bool agent_is_action_msg(const void *buf, size_t len);
int agent_meters_handle(struct agent *a, const void *buf, size_t len);
int agent_meter_lookup(void *ctx, uint32_t index, struct dpu_rules_act_police *out);
void agent_meters_fini(struct agent *a);

/* agent_ports.c: netdevs -> card ports */
int agent_ports_refresh(struct agent *a);
int agent_ports_load_devmap(struct agent *a, const char *path);
int agent_neigh_add(struct agent *a, const char *spec);
/* Point a->resolver at this agent's port and neighbour knowledge. */
void agent_resolver_init(struct agent *a);
void agent_ports_fini(struct agent *a);

/* agent_nvmf.c: the card's NVMe-oF/TCP configuration (desired state) */
/* A control-socket request {"nvmf": KIND, "verb": VERB, "spec": {...}}:
 * applied to the card, recorded only when the card took it. */
struct json_object *agent_nvmf_request(struct agent *a, struct json_object *req);
/* Replay everything to the card in dependency order (after a restart). */
int agent_nvmf_resync(struct agent *a);
/* The state file: missing is empty; anything unreadable is an error
 * (err says where). load_json: the same from a parsed document. */
int agent_nvmf_load(struct agent *a, const char *path, char *err, size_t n);
int agent_nvmf_load_json(struct agent *a, struct json_object *doc, char *err, size_t n);
int agent_nvmf_save(struct agent *a);
struct json_object *agent_nvmf_status(struct agent *a);
void agent_nvmf_fini(struct agent *a);

/* agent_ctl.c: the local control socket */
int agent_ctl_open(const char *path);
/* One request (a line: a word, or a JSON object) -> its answer. */
struct json_object *agent_ctl_handle(struct agent *a, char *req);
void agent_ctl_serve(struct agent *a, int lfd);

/* agent_nl.c: live netlink and recorded messages */
int agent_nl_open(struct agent *a);
int agent_nl_dump(struct agent *a, int fd);
int agent_nl_read(struct agent *a, int fd);
int agent_replay_file(struct agent *a, const char *path);
/* A buffer of netlink messages (from a socket, a file, a fuzzer): each
 * goes to agent_handle_msg(); *ended (may be NULL) is set when one closes
 * a request of ours (DONE, ERROR). Returns the messages handled. */
int agent_nl_feed(struct agent *a, const uint8_t *buf, size_t len, bool *ended);

#endif /* DPU_AGENT_H */
