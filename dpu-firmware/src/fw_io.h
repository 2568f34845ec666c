/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The card's packet I/O on the simulated card: one port per card port
 * (the function or uplink side), one representor netdev per port on the
 * host side, the "hardware" thread (sim_dp: ports -> eSwitch -> ports)
 * and the firmware's software path (exception ring -> representor,
 * representor -> represented port), both sleeping when idle.
 */
#ifndef FW_IO_H
#define FW_IO_H

#include <stdint.h>

#include "dpu_abi.h"

struct fw_card;
struct fw_io;
struct sim_topo;
struct sim_topo_card;

/** Open every port of card tc and start the workers. 0 or -errno (logged). */
int fw_io_start(struct fw_card *card, const struct sim_topo *t,
		const struct sim_topo_card *tc, struct fw_io **io);
void fw_io_stop(struct fw_io *io);

/** Counters of one card port (since start or the last reset). */
void fw_io_port_stats(struct fw_io *io, uint32_t port_id, struct dpu_abi_port_stats *st);
/** Card reset: counters start again from zero. */
void fw_io_reset_stats(struct fw_io *io);

#endif /* FW_IO_H */
