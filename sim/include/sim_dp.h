/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim_dp.h - the simulated card's "hardware" thread: it receives on the
 * card's ports, runs the eSwitch and transmits.  Misses go to the
 * eSwitch's exception ring for the firmware's software path.
 *
 * It spins for a short while after the last packet (a ping's reply
 * usually arrives inside that window) and then sleeps in epoll on the
 * ports' Rx fds, so an idle card costs no CPU. While traffic is steady
 * (it keeps waking the thread sooner than hot_spin_us after it fell
 * asleep) the window grows to hot_spin_us, so packets stop paying for a
 * wake-up; the first window that passes empty shrinks it again. This is
 * interrupt moderation turned around, as NAPI busy polling does it.
 */
#ifndef SIM_DP_H
#define SIM_DP_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_esw.h"
#include "sim_port.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_dp;

struct sim_dp_conf {
	struct sim_esw *esw;
	/* Indexed by eSwitch port id; NULL: the port has no I/O here. */
	struct sim_port *const *ports;
	uint16_t n_ports;
	uint16_t txq;		/* transmit queue this thread owns on every port */
	uint32_t spin_us;	/* poll this long after the last packet (0: 50) */
	uint32_t hot_spin_us;	/* ... this long while traffic is steady (0: never) */
	bool busy_poll;		/* never sleep (pinned benchmark mode) */
	/*
	 * The software path sleeps with *sw_sleeping set; when the exception
	 * ring has work then, the thread writes 1 to sw_notify_fd (an eventfd).
	 */
	int sw_notify_fd;
	int *sw_sleeping;
};

struct sim_dp_stats {
	uint64_t loops;		/* polling rounds */
	uint64_t sleeps;	/* times the thread went to epoll */
	uint64_t tx_no_port;	/* egress to a port without I/O */
	uint64_t sw_kicks;	/* software path wake-ups */
	uint64_t hot_spins;	/* times steady traffic stretched the poll window */
};

/** Start the thread (it registers as the eSwitch's worker 0). 0 or -errno. */
int sim_dp_start(const struct sim_dp_conf *conf, struct sim_dp **dp);
/** Stop and join; the ports stay open (their owner closes them). */
void sim_dp_stop(struct sim_dp *dp);
void sim_dp_get_stats(const struct sim_dp *dp, struct sim_dp_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* SIM_DP_H */
