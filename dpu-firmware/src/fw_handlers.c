/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_handlers.h"
#include "fw_io.h"

#include <stdio.h>
#include <string.h>

#include "fw_log.h"
#include "fw_nvmf.h"

#define FW_VERSION "opendpu-fw " "0.1.0"

/* Each handler appends its response body to b and returns the status. */
typedef uint16_t (*fw_handler_fn)(struct fw_card *card, struct fw_conn *conn,
				  const struct dpu_abi_hdr *req,
				  struct dpu_abi_builder *b);

static uint16_t h_hello(struct fw_card *card, struct fw_conn *conn,
			const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	const struct dpu_abi_hello_req *q = dpu_abi_body(req);
	struct dpu_abi_hello_resp *r = dpu_abi_build_put(b, sizeof(*r));
	const uint8_t card_minor = DPU_ABI_VERSION_MINOR;

	if (!r)
		return DPU_ABI_E_INTERNAL;
	if (q->ver_major != DPU_ABI_VERSION_MAJOR)
		return DPU_ABI_E_VERSION;
	r->ver_major = DPU_ABI_VERSION_MAJOR;
	/* Agreed minor: the lower of the two (minor versions only append). */
	r->ver_minor = q->ver_minor < card_minor ? q->ver_minor : card_minor;
	r->epoch = card->epoch;
	r->features = q->features & card->features;
	snprintf(r->card_name, sizeof(r->card_name), "%s", card->name);
	snprintf(r->fw_version, sizeof(r->fw_version), "%s", FW_VERSION);
	r->caps = card->caps;
	if (q->max_msg_len && q->max_msg_len < r->caps.max_msg_len)
		r->caps.max_msg_len = q->max_msg_len;

	conn->hello_done = true;
	conn->peer.minor = r->ver_minor;
	conn->peer.max_msg_len = r->caps.max_msg_len;
	conn->features = r->features;
	memcpy(conn->host_name, q->host_name, sizeof(conn->host_name));
	fw_log_info("host '%s' said HELLO: ABI %u.%u, features 0x%llx, epoch %u",
		    conn->host_name, r->ver_major, r->ver_minor,
		    (unsigned long long)r->features, card->epoch);
	return DPU_ABI_OK;
}

static uint16_t h_keepalive(struct fw_card *card, struct fw_conn *conn,
			    const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	const struct dpu_abi_keepalive_req *q = dpu_abi_body(req);
	struct dpu_abi_keepalive_resp *r = dpu_abi_build_put(b, sizeof(*r));

	(void)conn;
	if (!r)
		return DPU_ABI_E_INTERNAL;
	r->seq = q->seq;
	r->host_time_ns = q->host_time_ns;
	r->uptime_ms = fw_card_uptime_ms(card);
	r->health = card->health;
	r->n_flows = fw_flow_db_count(card->flows.db);
	r->bad_msgs = card->bad_msgs;
	r->evt_dropped = card->evt_dropped;
	return DPU_ABI_OK;
}

static uint16_t h_card_reset(struct fw_card *card, struct fw_conn *conn,
			     const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	struct dpu_abi_card_reset_resp *r = dpu_abi_build_put(b, sizeof(*r));
	struct dpu_abi_evt_card_reset evt = {0};

	(void)req;
	if (!r)
		return DPU_ABI_E_INTERNAL;
	r->old_epoch = fw_card_reset(card);
	r->new_epoch = card->epoch;
	fw_log_info("card reset by '%s': epoch %u -> %u", conn->host_name,
		    r->old_epoch, r->new_epoch);
	evt.old_epoch = r->old_epoch;
	evt.new_epoch = r->new_epoch;
	evt.reason = DPU_ABI_RESET_REQUESTED;
	fw_card_broadcast(card, DPU_ABI_OP_EVT_CARD_RESET, &evt, sizeof(evt));
	return DPU_ABI_OK;
}

static uint32_t list_window(const struct dpu_abi_list_req *q, uint32_t total,
			    uint32_t room, uint32_t *start)
{
	uint32_t max = q->max ? q->max : room;

	*start = q->start < total ? q->start : total;
	if (max > room)
		max = room;
	return total - *start < max ? total - *start : max;
}

static uint16_t h_port_list(struct fw_card *card, struct fw_conn *conn,
			    const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	const struct dpu_abi_list_req *q = dpu_abi_body(req);
	struct dpu_abi_list_resp *r = dpu_abi_build_put(b, sizeof(*r));
	uint32_t start, n;

	(void)conn;
	if (!r)
		return DPU_ABI_E_INTERNAL;
	n = list_window(q, card->n_ports, FW_MAX_PORTS, &start);
	r->count = n;
	r->total = card->n_ports;
	for (uint32_t i = 0; i < n; i++)
		dpu_abi_build_append(b, &card->ports[start + i].info,
				     sizeof(struct dpu_abi_port_info));
	return DPU_ABI_OK;
}

static uint16_t h_port_config(struct fw_card *card, struct fw_conn *conn,
			      const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	const struct dpu_abi_port_config_req *q = dpu_abi_body(req);
	struct fw_port *p = fw_card_port(card, q->port_id);
	struct dpu_abi_evt_port_state evt = {0};

	(void)conn;
	(void)b;
	if (!p)
		return DPU_ABI_E_NOT_FOUND;
	if (q->set & DPU_ABI_PORT_SET_MTU)
		p->info.mtu = q->mtu;
	if (q->set & DPU_ABI_PORT_SET_MAC)
		memcpy(p->info.mac, q->mac, sizeof(p->info.mac));
	if ((q->set & DPU_ABI_PORT_SET_STATE) && p->info.admin_up != q->admin_up) {
		p->info.admin_up = q->admin_up;
		p->info.oper_up = q->admin_up;
		evt.port_id = q->port_id;
		evt.admin_up = p->info.admin_up;
		evt.oper_up = p->info.oper_up;
		fw_card_broadcast(card, DPU_ABI_OP_EVT_PORT_STATE, &evt, sizeof(evt));
	}
	return DPU_ABI_OK;
}

static uint16_t h_port_stats(struct fw_card *card, struct fw_conn *conn,
			     const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	const struct dpu_abi_port_stats_req *q = dpu_abi_body(req);
	struct dpu_abi_list_resp *r = dpu_abi_build_put(b, sizeof(*r));

	(void)conn;
	if (!r)
		return DPU_ABI_E_INTERNAL;
	for (uint32_t i = 0; i < q->count; i++)
		if (!fw_card_port(card, q->port_ids[i]))
			return DPU_ABI_E_NOT_FOUND;
	/* count 0 asks for every port. */
	r->count = q->count ? q->count : card->n_ports;
	r->total = card->n_ports;
	for (uint32_t i = 0; i < r->count; i++) {
		uint32_t id = q->count ? q->port_ids[i] : i;

		struct dpu_abi_port_stats st = card->ports[id].stats;

#ifdef FW_HAVE_SIM
		if (card->io)
			fw_io_port_stats(card->io, id, &st);
#endif
		dpu_abi_build_append(b, &st, sizeof(st));
	}
	return DPU_ABI_OK;
}

static uint16_t h_flow_batch(struct fw_card *card, struct fw_conn *conn,
			     const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	const struct dpu_abi_flow_batch_req *q = dpu_abi_body(req);
	struct dpu_abi_flow_batch_resp *r = dpu_abi_build_put(b, sizeof(*r));
	const struct dpu_abi_flow_op *op = dpu_abi_flow_batch_first(req);
	struct dpu_abi_flow_result *res;

	(void)conn;
	if (!r)
		return DPU_ABI_E_INTERNAL;
	res = dpu_abi_build_put(b, (size_t)q->n_ops * sizeof(*res));
	if (!res)
		return DPU_ABI_E_TOO_BIG;
	r->n_results = q->n_ops;
	for (uint32_t i = 0; i < q->n_ops; i++, op = dpu_abi_flow_op_next(op)) {
		/* the db slot of the next id is a cache miss: start it now,
		 * it lands while this op goes into the hardware */
		if (i + 1 < q->n_ops)
			fw_flows_prefetch(&card->flows, dpu_abi_flow_op_next(op));
		fw_flows_apply(&card->flows, op, &res[i]);
		if (res[i].status == DPU_ABI_OK)
			continue;
		r->n_failed++;
		/* The per-op status is a number; the reason goes out as an
		 * error event so the host can show it beside the rule. */
		if (card->flows.why[0]) {
			struct dpu_abi_evt_error evt = {
				.domain = DPU_ABI_ERRD_FLOW,
				.status = res[i].status,
				.object = op->id.lo,
			};

			snprintf(evt.text, sizeof(evt.text), "%.111s", card->flows.why);
			fw_card_broadcast(card, DPU_ABI_OP_EVT_ERROR, &evt, sizeof(evt));
			fw_log_dbg("flow %016llx: %s", (unsigned long long)op->id.lo,
				   card->flows.why);
		}
	}
	return r->n_failed ? DPU_ABI_E_PARTIAL : DPU_ABI_OK;
}

static uint16_t h_flow_flush(struct fw_card *card, struct fw_conn *conn,
			     const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	const struct dpu_abi_flow_flush_req *q = dpu_abi_body(req);
	struct dpu_abi_flow_flush_resp *r = dpu_abi_build_put(b, sizeof(*r));

	(void)conn;
	if (!r)
		return DPU_ABI_E_INTERNAL;
	r->n_flushed = fw_flows_flush(&card->flows, q->group);
	return DPU_ABI_OK;
}

static uint16_t h_flow_list(struct fw_card *card, struct fw_conn *conn,
			    const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	const struct dpu_abi_list_req *q = dpu_abi_body(req);
	struct dpu_abi_list_resp *r = dpu_abi_build_put(b, sizeof(*r));
	uint32_t room = (conn->peer.max_msg_len - 64) / sizeof(struct dpu_abi_flow_id);
	uint32_t total = fw_flow_db_count(card->flows.db), start, n;
	struct dpu_abi_flow_id *ids;

	if (!r)
		return DPU_ABI_E_INTERNAL;
	n = list_window(q, total, room, &start);
	ids = dpu_abi_build_put(b, (size_t)n * sizeof(*ids));
	if (!ids)
		return DPU_ABI_E_TOO_BIG;
	r->count = fw_flow_db_list(card->flows.db, start, n, ids);
	r->total = total;
	return DPU_ABI_OK;
}

static uint16_t h_nvmf(struct fw_card *card, struct fw_conn *conn,
		       const struct dpu_abi_hdr *req, struct dpu_abi_builder *b)
{
	char why[160] = "";
	uint16_t st = fw_nvmf_handle(card->nvmf, req, b, conn->peer.max_msg_len - 64,
				     why, sizeof(why));

	if (st != DPU_ABI_OK && why[0]) {
		struct dpu_abi_evt_error evt = { .domain = DPU_ABI_ERRD_NVMF, .status = st };

		snprintf(evt.text, sizeof(evt.text), "%.111s", why);
		snprintf(conn->why, sizeof(conn->why), "%.119s", why);
		fw_card_broadcast(card, DPU_ABI_OP_EVT_ERROR, &evt, sizeof(evt));
		fw_log_info("storage request from '%s' refused: %s", conn->host_name, why);
	}
	return st;
}

static const fw_handler_fn *handler_for(uint16_t opcode)
{
	static const struct {
		uint16_t opcode;
		fw_handler_fn fn;
	} table[] = {
		{ DPU_ABI_OP_HELLO, h_hello },
		{ DPU_ABI_OP_KEEPALIVE, h_keepalive },
		{ DPU_ABI_OP_CARD_RESET, h_card_reset },
		{ DPU_ABI_OP_PORT_LIST, h_port_list },
		{ DPU_ABI_OP_PORT_CONFIG, h_port_config },
		{ DPU_ABI_OP_PORT_STATS, h_port_stats },
		{ DPU_ABI_OP_FLOW_BATCH, h_flow_batch },
		{ DPU_ABI_OP_FLOW_FLUSH, h_flow_flush },
		{ DPU_ABI_OP_FLOW_LIST, h_flow_list },
		{ DPU_ABI_OP_NVMF_SUBSYS_ADD, h_nvmf },
		{ DPU_ABI_OP_NVMF_SUBSYS_DEL, h_nvmf },
		{ DPU_ABI_OP_NVMF_SUBSYS_LIST, h_nvmf },
		{ DPU_ABI_OP_NVMF_NS_ADD, h_nvmf },
		{ DPU_ABI_OP_NVMF_NS_DEL, h_nvmf },
		{ DPU_ABI_OP_NVMF_NS_LIST, h_nvmf },
		{ DPU_ABI_OP_NVMF_HOST_ADD, h_nvmf },
		{ DPU_ABI_OP_NVMF_HOST_DEL, h_nvmf },
		{ DPU_ABI_OP_NVMF_HOST_LIST, h_nvmf },
		{ DPU_ABI_OP_NVMF_LISTENER_ADD, h_nvmf },
		{ DPU_ABI_OP_NVMF_LISTENER_DEL, h_nvmf },
		{ DPU_ABI_OP_NVMF_LISTENER_LIST, h_nvmf },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].opcode == opcode)
			return &table[i].fn;
	return NULL;
}

int fw_handle(struct fw_card *card, struct fw_conn *conn,
	      const struct dpu_abi_hdr *req, uint8_t *out, size_t cap)
{
	const fw_handler_fn *fn = handler_for(req->opcode);
	struct dpu_abi_builder b;
	uint16_t status;
	int len;

	dpu_abi_build_init(&b, out, cap, req->opcode, DPU_ABI_F_RESPONSE,
			   req->req_id);
	conn->why[0] = 0;
	if (!conn->hello_done && req->opcode != DPU_ABI_OP_HELLO)
		status = DPU_ABI_E_NOT_READY;
	else if (!fn)
		/* In the catalogue, not (yet) on this card: HELLO's feature
		 * bits already told the host. */
		status = DPU_ABI_E_NOT_SUPPORTED;
	else
		status = (*fn)(card, conn, req, &b);

	/* A failed handler may have half-built a body: send none, except
	 * batches whose per-op results are the point of the answer. */
	if (status != DPU_ABI_OK && status != DPU_ABI_E_PARTIAL)
		b.len = sizeof(struct dpu_abi_hdr), b.err = 0;
	/* A malformed-class status carries an error body (the ABI says so,
	 * and hosts refuse the response without one): the NVMe-oF target
	 * maps EINVAL to E_CONFLICT, for one. */
	if (status > DPU_ABI_OK && status <= DPU_ABI_E_PROTO_LAST) {
		struct dpu_abi_error_body *eb = dpu_abi_build_put(&b, sizeof(*eb));

		if (eb)
			snprintf(eb->detail, sizeof(eb->detail), "%s",
				 conn->why[0] ? conn->why : dpu_abi_status_name(status));
	}
	len = dpu_abi_build_finish(&b);
	if (len < 0)
		return len;
	((struct dpu_abi_hdr *)out)->status = status;
	((struct dpu_abi_hdr *)out)->epoch = card->epoch;
	if (status != DPU_ABI_OK)
		fw_log_dbg("%s from '%s': %s", dpu_abi_opcode_name(req->opcode),
			   conn->host_name, dpu_abi_status_name(status));
	return len;
}
