/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu-sim: bring a simulated deployment up and down from a topology file.
 *
 *   up       namespaces and wires, one dpu-fw per card (the card makes its
 *            own port netdevs), then addresses and bridge ports
 *   down     stop the cards, remove what "up" made
 *   restart  stop and start one card's firmware; its netdevs stay, as a
 *            card's PCIe functions do across a firmware restart
 *   status   which cards run
 *
 * Network configuration goes through iproute2 (spawned without a shell;
 * every name was validated by sim_topo), the same commands a user types.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim_topo.h"

extern char **environ;

static const char *fw_path;
static const char *topo_path;
static bool quiet;

/* Run "ip ..." built from a format; tokens never contain spaces. */
__attribute__((format(printf, 2, 3)))
static int ip(bool show_err, const char *fmt, ...)
{
	char line[512], *argv[32], *save = NULL;
	posix_spawn_file_actions_t fa;
	va_list ap;
	pid_t pid;
	int n = 0, st, rc;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	argv[n++] = "ip";
	for (char *t = strtok_r(line, " ", &save); t && n < 31; t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	if (!show_err)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, "ip", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "dpu-sim: cannot run ip: %s\n", strerror(rc));
		return -rc;
	}
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EIO;
}

static bool netns_exists(const char *ns)
{
	char p[96];

	snprintf(p, sizeof(p), "/run/netns/%s", ns);
	return access(p, F_OK) == 0;
}

static int netns_ensure(const char *ns)
{
	if (netns_exists(ns))
		return 0;
	if (ip(true, "netns add %s", ns) < 0) {
		fprintf(stderr, "dpu-sim: cannot create namespace %s\n", ns);
		return -EIO;
	}
	return ip(true, "-n %s link set lo up", ns);
}

static void run_file(const struct sim_topo *t, const char *card, const char *ext, char *out,
		     size_t len)
{
	snprintf(out, len, "%s/%s.%s", t->run_dir, card, ext);
}

static pid_t read_pid(const char *path)
{
	FILE *f = fopen(path, "r");
	int pid = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && kill(pid, 0) == 0 ? (pid_t)pid : 0;
}

static bool is_ethdev(const struct sim_topo_port *p)
{
	return strcmp(p->driver, "vtap") != 0;
}

static const char *port_netns(const struct sim_topo *t, const struct sim_topo_port *p)
{
	if (p->kind == SIM_TOPO_UPLINK) {
		const struct sim_topo_wire *w = sim_topo_find_wire(t, p->wire);

		return w ? w->netns : "";
	}
	return p->netns;
}

/* DPDK vdev ports away from the host: a veth whose host end dpu-fw opens. */
static int make_veths(const struct sim_topo *t, const struct sim_topo_card *c)
{
	for (uint32_t i = 0; i < c->n_ports; i++) {
		const struct sim_topo_port *p = &c->ports[i];
		const char *ns = port_netns(t, p);

		if (!is_ethdev(p) || !ns[0])
			continue;
		ip(false, "link del %s", p->host_ifname);
		if (ip(true, "link add %s type veth peer name %s netns %s", p->host_ifname,
		       p->ifname, ns) < 0 ||
		    ip(true, "link set %s up", p->host_ifname) < 0)
			return -EIO;
		if (p->mtu && (ip(true, "link set %s mtu %u", p->host_ifname, p->mtu) < 0 ||
			       ip(true, "-n %s link set %s mtu %u", ns, p->ifname, p->mtu) < 0))
			return -EIO;
		if (p->has_mac && p->kind != SIM_TOPO_UPLINK &&	/* see fw_io.c */
		    ip(true, "-n %s link set %s address %02x:%02x:%02x:%02x:%02x:%02x", ns,
		       p->ifname, p->mac[0], p->mac[1], p->mac[2], p->mac[3], p->mac[4],
		       p->mac[5]) < 0)
			return -EIO;
		ip(true, "-n %s link set %s up", ns, p->ifname);
	}
	return 0;
}

static int start_card(const struct sim_topo *t, const struct sim_topo_card *c)
{
	char log[300], ready[300], pidf[300];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char *argv[] = { (char *)fw_path, "--topology", (char *)topo_path, "--card",
			 (char *)c->name, NULL };
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	pid_t pid;
	int rc, st;

	run_file(t, c->name, "log", log, sizeof(log));
	run_file(t, c->name, "ready", ready, sizeof(ready));
	run_file(t, c->name, "pid", pidf, sizeof(pidf));
	if (read_pid(pidf)) {
		fprintf(stderr, "dpu-sim: card %s already runs (pid %d)\n", c->name,
			(int)read_pid(pidf));
		return -EEXIST;
	}
	unlink(ready);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	rc = posix_spawn(&pid, fw_path, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		fprintf(stderr, "dpu-sim: cannot start %s: %s\n", fw_path, strerror(rc));
		return -rc;
	}
	{
		FILE *f = fopen(pidf, "w");

		if (f) {
			fprintf(f, "%d\n", (int)pid);
			fclose(f);
		}
	}
	/* A card comes up in well under a second; 60 s covers a loaded CI box. */
	for (int i = 0; i < 1200; i++) {
		if (read_pid(ready) == pid)
			return 0;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			fprintf(stderr, "dpu-sim: card %s exited during start-up; see %s\n",
				c->name, log);
			return -EIO;
		}
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "dpu-sim: card %s not ready after 60 s; see %s\n", c->name, log);
	return -ETIMEDOUT;
}

static void stop_card(const struct sim_topo *t, const struct sim_topo_card *c)
{
	char pidf[300];
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	pid_t pid;

	run_file(t, c->name, "pid", pidf, sizeof(pidf));
	pid = read_pid(pidf);
	if (pid) {
		kill(pid, SIGTERM);
		for (int i = 0; i < 500 && kill(pid, 0) == 0; i++) {
			(void)waitpid(pid, NULL, WNOHANG);
			nanosleep(&ts, NULL);
		}
		if (kill(pid, 0) == 0)
			kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, WNOHANG);
	}
	unlink(pidf);
}

static int configure_card(const struct sim_topo *t, const struct sim_topo_card *c)
{
	for (uint32_t i = 0; i < c->n_ports; i++) {
		const struct sim_topo_port *p = &c->ports[i];
		const char *ns = port_netns(t, p);
		char nsarg[48] = "";

		if (ns[0])
			snprintf(nsarg, sizeof(nsarg), "-n %s ", ns);
		if (p->kind == SIM_TOPO_UPLINK) {
			const struct sim_topo_wire *w = sim_topo_find_wire(t, p->wire);

			if (ip(true, "%slink set %s master %s", nsarg, p->ifname, w->bridge) < 0)
				return -EIO;
		}
		ip(false, "%slink set %s up", nsarg, p->ifname);
		for (int a = 0; a < p->n_ips; a++) {
			/* "exists" is fine: a restarted card keeps its netdevs. */
			ip(false, "%saddr add %s dev %s", nsarg, p->ips[a], p->ifname);
		}
	}
	return 0;
}

static void print_card(const struct sim_topo *t, const struct sim_topo_card *c)
{
	if (quiet)
		return;
	printf("card %s: ABI at", c->name);
	for (int i = 0; i < c->n_listen; i++)
		printf(" %s", c->listen[i]);
	printf("\n  %-8s %-14s %-22s %s\n", "port", "representor", "netdev", "driver");
	for (uint32_t i = 0; i < c->n_ports; i++) {
		const struct sim_topo_port *p = &c->ports[i];
		const char *ns = port_netns(t, p);
		char where[48];

		snprintf(where, sizeof(where), "%s%s%s", p->ifname, ns[0] ? "@" : "", ns);
		printf("  %-8s %-14s %-22s %s\n", p->name, p->rep_ifname, where, p->driver);
	}
}

static int cmd_up(const struct sim_topo *t)
{
	mkdir(t->run_dir, 0755);
	for (int i = 0; i < t->n_wires; i++) {
		const struct sim_topo_wire *w = &t->wires[i];

		if (netns_ensure(w->netns) < 0)
			return 1;
		ip(false, "-n %s link add %s type bridge", w->netns, w->bridge);
		ip(true, "-n %s link set %s mtu %u up", w->netns, w->bridge, w->mtu);
	}
	for (int i = 0; i < t->n_cards; i++) {
		const struct sim_topo_card *c = &t->cards[i];

		for (uint32_t j = 0; j < c->n_ports; j++)
			if (c->ports[j].netns[0] && netns_ensure(c->ports[j].netns) < 0)
				return 1;
		if (make_veths(t, c) < 0 || start_card(t, c) < 0 || configure_card(t, c) < 0)
			return 1;
		print_card(t, c);
	}
	return 0;
}

static void remove_card_netdevs(const struct sim_topo *t, const struct sim_topo_card *c)
{
	for (uint32_t j = 0; j < c->n_ports; j++) {
		const struct sim_topo_port *p = &c->ports[j];

		ip(false, "link del %s", p->rep_ifname);
		if (is_ethdev(p) && port_netns(t, p)[0])
			ip(false, "link del %s", p->host_ifname);
		else if (!port_netns(t, p)[0])
			ip(false, "link del %s", p->ifname);
	}
}

static int cmd_down(const struct sim_topo *t)
{
	for (int i = 0; i < t->n_cards; i++) {
		const struct sim_topo_card *c = &t->cards[i];

		stop_card(t, c);
		remove_card_netdevs(t, c);
		for (uint32_t j = 0; j < c->n_ports; j++)
			if (c->ports[j].netns[0] && netns_exists(c->ports[j].netns))
				ip(false, "netns del %s", c->ports[j].netns);
	}
	for (int i = 0; i < t->n_wires; i++)
		if (netns_exists(t->wires[i].netns))
			ip(false, "netns del %s", t->wires[i].netns);
	return 0;
}

static int cmd_restart(const struct sim_topo *t, const char *name)
{
	const struct sim_topo_card *c = sim_topo_find_card(t, name);

	if (c == NULL) {
		fprintf(stderr, "dpu-sim: restart: no card '%s' in %s\n", name, topo_path);
		return 2;
	}
	stop_card(t, c);
	if (start_card(t, c) < 0 || configure_card(t, c) < 0)
		return 1;
	return 0;
}

static int cmd_status(const struct sim_topo *t)
{
	int down = 0;

	for (int i = 0; i < t->n_cards; i++) {
		char pidf[300];
		pid_t pid;

		run_file(t, t->cards[i].name, "pid", pidf, sizeof(pidf));
		pid = read_pid(pidf);
		printf("card %-8s %s", t->cards[i].name, pid ? "running" : "stopped");
		if (pid)
			printf(" (pid %d)", (int)pid);
		printf("\n");
		down += pid == 0;
	}
	return down ? 1 : 0;
}

static const char *find_fw(const char *argv0)
{
	static char buf[PATH_MAX];
	char self[PATH_MAX], *dir;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *env = getenv("DPU_FW");

	if (env && env[0])
		return env;
	if (n > 0) {
		self[n] = 0;
		dir = dirname(self);
		snprintf(buf, sizeof(buf), "%s/../dpu-firmware/dpu-fw", dir);
		if (access(buf, X_OK) == 0)
			return buf;
		snprintf(buf, sizeof(buf), "%s/dpu-fw", dir);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	(void)argv0;
	return "dpu-fw";
}

static void usage(FILE *f)
{
	fprintf(f, "usage: dpu-sim [-q] [--fw PATH] up|down|status TOPOLOGY.json\n"
		   "       dpu-sim [-q] [--fw PATH] restart TOPOLOGY.json CARD\n"
		   "Topologies: sim/topologies/*.json; format in docs/card.md.\n");
}

int main(int argc, char **argv)
{
	static struct sim_topo t;
	char err[256];
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-q")) {
			quiet = true;
		} else if (!strcmp(argv[i], "--fw") && i + 1 < argc) {
			fw_path = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (argc - i < 2) {
		usage(stderr);
		return 2;
	}
	topo_path = argv[i + 1];
	if (sim_topo_load(topo_path, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "dpu-sim: %s\n", err);
		return 2;
	}
	{
		/* dpu-fw reads the same file, maybe from another directory. */
		static char abs[PATH_MAX];

		if (realpath(topo_path, abs))
			topo_path = abs;
	}
	if (!fw_path)
		fw_path = find_fw(argv[0]);
	if (!strcmp(argv[i], "up")) {
		int rc = cmd_up(&t);

		if (rc)
			cmd_down(&t);
		return rc;
	}
	if (!strcmp(argv[i], "down"))
		return cmd_down(&t);
	if (!strcmp(argv[i], "status"))
		return cmd_status(&t);
	if (!strcmp(argv[i], "restart") && argc - i == 3)
		return cmd_restart(&t, argv[i + 2]);
	usage(stderr);
	return 2;
}
