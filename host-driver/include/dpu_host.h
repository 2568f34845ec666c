/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host-side access to a card: connect, negotiate (HELLO), call, receive
 * events. Used by dpu-agent and by dpuctl's direct-to-card mode.
 */
#ifndef DPU_HOST_H
#define DPU_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "dpu_abi.h"

/* Requests a pipelined caller may have in flight whose answers the library
 * keeps while the caller waits for an earlier one. */
#define DPU_HOST_MAX_INFLIGHT 8

struct dpu_host_card {
	struct dpu_abi_transport *t;
	struct dpu_abi_hello_resp hello; /* what the card agreed to */
	uint32_t epoch;                  /* latest epoch the card reported */
	uint64_t next_req_id;
	uint8_t *resp;                   /* last response, resp_cap bytes */
	size_t resp_cap;
	int timeout_ms;
	void (*on_event)(void *arg, const struct dpu_abi_hdr *evt);
	void *event_arg;
	char err[192];                   /* why the last call failed */
	/* what open() was given, for reconnecting */
	char addr[128];
	char host_name[32];
	uint64_t features;
	/* pipelined callers' responses that came while they awaited another
	 * (or polled): as many slots as requests a caller keeps in flight */
	struct dpu_host_stash {
		uint8_t *buf;     /* resp_cap bytes, allocated on first use */
		uint64_t req_id;  /* 0: empty */
	} stash[DPU_HOST_MAX_INFLIGHT];
};

/**
 * Connect to the card at addr and exchange HELLO asking for features.
 * Returns 0, or -errno / -status with a reason in (*out)->err when *out is
 * set, or printed to nothing when allocation itself failed (-ENOMEM).
 */
int dpu_host_card_open(const char *addr, const char *host_name,
		       uint64_t features, int timeout_ms,
		       struct dpu_host_card **out);

/**
 * Drop the connection and connect again (e.g. after the card's firmware
 * restarted), retrying until timeout_ms.  When the card comes back with
 * another epoch, on_event (if set) first gets a local EVT_CARD_RESET
 * carrying the old and new epochs, exactly as for a reset the card
 * announced itself: either way the host must resync.  0 or -errno.
 */
int dpu_host_card_reconnect(struct dpu_host_card *card, int timeout_ms);

/**
 * Send a request built by the caller (req_id and epoch are filled in here)
 * and wait for its response, which stays in card->resp until the next call.
 * Returns the response status (DPU_ABI_OK, DPU_ABI_E_*) or -errno on
 * transport failure; *resp points at the response header.
 */
int dpu_host_card_call(struct dpu_host_card *card, void *req, size_t len,
		       const struct dpu_abi_hdr **resp);

/**
 * Pipelined calls: send a built request without waiting (returns its
 * req_id, or -errno), then collect responses in the order sent with
 * dpu_host_card_wait() (same return values as dpu_host_card_call()).
 */
int64_t dpu_host_card_send(struct dpu_host_card *card, void *req, size_t len);
int dpu_host_card_wait(struct dpu_host_card *card, uint64_t req_id, uint16_t opcode,
		       const struct dpu_abi_hdr **resp);
/**
 * dpu_host_card_wait() that never blocks: takes whatever the card already
 * sent (events go to on_event, responses to the stash) and returns -EAGAIN
 * if req_id's response is not among it yet.
 */
int dpu_host_card_try_wait(struct dpu_host_card *card, uint64_t req_id, uint16_t opcode,
			   const struct dpu_abi_hdr **resp);

/** Encode a fixed-body request and call it. */
int dpu_host_card_simple(struct dpu_host_card *card, uint16_t opcode,
			 const void *body, size_t body_len,
			 const struct dpu_abi_hdr **resp);

/**
 * Every entry of a paged list (DPU_ABI_OP_PORT_LIST: struct
 * dpu_abi_port_info; DPU_ABI_OP_FLOW_LIST: struct dpu_abi_flow_id, sorted,
 * without the duplicates a table changing between pages can produce).
 * *out is malloc'd (NULL when empty); the caller frees it. 0 or -errno.
 */
int dpu_host_card_list(struct dpu_host_card *card, uint16_t opcode, void **out,
		       uint32_t *n);

/** Receive pending events (calls on_event); waits up to timeout_ms. */
int dpu_host_card_poll_events(struct dpu_host_card *card, int timeout_ms);

void dpu_host_card_close(struct dpu_host_card *card);

#endif /* DPU_HOST_H */
