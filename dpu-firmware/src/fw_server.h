/* SPDX-License-Identifier: BSD-3-Clause */
/* dpu-fw's ABI server: listeners, host connections and the event loop. */
#ifndef FW_SERVER_H
#define FW_SERVER_H

#include <signal.h>

#include "fw_card.h"

#define FW_MAX_LISTENERS 4

struct fw_server {
	struct fw_card *card;
	int epfd;
	int n_listeners;
	struct dpu_abi_listener *listeners[FW_MAX_LISTENERS];
	uint8_t *scratch;     /* one response at a time */
	size_t scratch_len;
};

/** Listen on each address ("shm:", "unix:", "tcp:"). 0 or -errno. */
int fw_server_init(struct fw_server *s, struct fw_card *card,
		   const char *const *addrs, int n_addrs);

/** Serve until *stop becomes non-zero. Sleeps when idle. */
int fw_server_run(struct fw_server *s, volatile sig_atomic_t *stop);

void fw_server_fini(struct fw_server *s);

#endif /* FW_SERVER_H */
