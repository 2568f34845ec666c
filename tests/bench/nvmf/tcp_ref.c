/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Same-run loopback TCP references for the nvmf benchmark: the "server"
 * thread stands where the target runs (CPU A), the client where the
 * initiator runs (CPU B), both busy-polling like the benchmarked stack.
 *
 *   tcp_ref stream --msg 131072 --time 3 --cpus 0,1
 *       one connection, server sends back-to-back messages: GiB/s
 *   tcp_ref rr --req 72 --resp 4120 --qd 32 --time 3 --cpus 0,1
 *       request/response with the byte counts of an NVMe/TCP 4 KiB read
 *       (CapsuleCmd in, C2HData header + data out): ops/s and p50 µs
 *
 * Prints one JSON line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int cpu_srv = 0, cpu_cli = 1, qd = 32;
static size_t msg = 131072, req = 72, resp = 4120;
static double secs = 3;
static volatile bool stop;
static int lfd;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t s;

	if (cpu < 0)
		return;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
}

static void *server(void *arg)
{
	bool rr = arg != NULL;
	int fd, one = 1;
	char *rbuf = malloc(1 << 20), *sbuf = calloc(1, rr ? resp : msg);
	size_t pending = 0, part = 0, soff = 0;

	pin(cpu_srv);
	fd = accept(lfd, NULL, NULL);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while (!stop) {
		if (!rr) {
			ssize_t n = send(fd, sbuf + soff, msg - soff, MSG_DONTWAIT | MSG_NOSIGNAL);

			if (n > 0)
				soff = (soff + (size_t)n) % msg;
			else if (n < 0 && errno != EAGAIN)
				break;
			continue;
		}
		ssize_t n = recv(fd, rbuf, 1 << 20, MSG_DONTWAIT);

		if (n == 0)
			break;
		if (n > 0) {
			part += (size_t)n;
			pending += part / req;
			part %= req;
		}
		while (pending) {
			/* all pending responses in one sendmsg, like the target */
			struct iovec iov[64];
			struct msghdr mh = { .msg_iov = iov };
			size_t k = 0;
			ssize_t w;

			iov[k].iov_base = sbuf + soff;
			iov[k++].iov_len = resp - soff;
			while (k < pending && k < 64) {
				iov[k].iov_base = sbuf;
				iov[k++].iov_len = resp;
			}
			mh.msg_iovlen = k;
			w = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (w < 0)
				break;
			w += (ssize_t)soff;
			pending -= (size_t)w / resp;
			soff = (size_t)w % resp;
		}
	}
	close(fd);
	free(rbuf);
	free(sbuf);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "msg", required_argument, NULL, 'm' }, { "req", required_argument, NULL, 'q' },
		{ "resp", required_argument, NULL, 'r' }, { "qd", required_argument, NULL, 'd' },
		{ "time", required_argument, NULL, 't' }, { "cpus", required_argument, NULL, 'c' },
		{ 0 },
	};
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	pthread_t th;
	bool rr;
	int opt, fd, one = 1;
	char *buf = malloc(1 << 20);

	if (argc < 2)
		return 2;
	rr = !strcmp(argv[1], "rr");
	optind = 2;
	while ((opt = getopt_long(argc, argv, "m:q:r:d:t:c:", lo, NULL)) != -1) {
		switch (opt) {
		case 'm': msg = strtoul(optarg, NULL, 0); break;
		case 'q': req = strtoul(optarg, NULL, 0); break;
		case 'r': resp = strtoul(optarg, NULL, 0); break;
		case 'd': qd = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'c': sscanf(optarg, "%d,%d", &cpu_srv, &cpu_cli); break;
		default: return 2;
		}
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &al))
		return 1;
	pthread_create(&th, NULL, server, rr ? (void *)1 : NULL);
	pin(cpu_cli);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!rr) {
		uint64_t t0 = now_ns(), bytes = 0, tw = t0 + 500000000ull, tm = 0;

		for (;;) {
			ssize_t n = recv(fd, buf, msg, MSG_DONTWAIT);
			uint64_t t = now_ns();

			if (n > 0 && tm)
				bytes += (uint64_t)n;
			if (!tm && t >= tw)
				tm = t;
			if (tm && t - tm >= (uint64_t)(secs * 1e9)) {
				double el = (double)(t - tm) / 1e9;

				printf("{\"mode\":\"stream\",\"msg\":%zu,\"gibps\":%.3f}\n", msg,
				       (double)bytes / el / (1u << 30));
				break;
			}
		}
	} else {
		uint64_t *t0 = calloc((size_t)qd, sizeof(*t0)), head = 0, tail = 0, ops = 0;
		size_t cap = (size_t)(secs * 2e6) + 1024, nlat = 0, part = 0;
		uint64_t *lat = malloc(cap * sizeof(*lat)), tstart, tm = 0;
		char *rq = calloc((size_t)qd, req);

		tstart = now_ns();
		for (int i = 0; i < qd; i++) {
			t0[tail++ % (uint64_t)qd] = now_ns();
			send(fd, rq, req, MSG_NOSIGNAL);
		}
		for (;;) {
			ssize_t n = recv(fd, buf, 1 << 20, MSG_DONTWAIT);
			uint64_t t = now_ns();

			if (n > 0) {
				size_t nreq = 0;

				part += (size_t)n;
				while (part >= resp) {
					part -= resp;
					if (tm) {
						if (nlat < cap)
							lat[nlat++] = t - t0[head % (uint64_t)qd];
						ops++;
					}
					head++;
					t0[tail++ % (uint64_t)qd] = t;
					nreq++;
				}
				if (nreq)
					send(fd, rq, nreq * req, MSG_NOSIGNAL);
			}
			if (!tm && t - tstart >= 500000000ull)
				tm = t;
			if (tm && t - tm >= (uint64_t)(secs * 1e9)) {
				double el = (double)(t - tm) / 1e9;

				qsort(lat, nlat, sizeof(*lat), cmp_u64);
				printf("{\"mode\":\"rr\",\"qd\":%d,\"req\":%zu,\"resp\":%zu,\"ops\":%.1f,"
				       "\"p50_us\":%.2f,\"p99_us\":%.2f}\n",
				       qd, req, resp, (double)ops / el,
				       nlat ? (double)lat[nlat / 2] / 1000.0 : 0,
				       nlat ? (double)lat[nlat * 99 / 100] / 1000.0 : 0);
				break;
			}
		}
	}
	stop = true;
	shutdown(fd, SHUT_RDWR);
	close(fd);
	pthread_join(th, NULL);
	return 0;
}
