/* SPDX-License-Identifier: GPL-2.0-or-later */
/* usermode.h: a container's network as an ordinary user can have it,
 * without a bridge or nftables: a user-mode network program, pasta
 * (passt) or slirp4netns, joins the container's user and network
 * namespaces, makes a tap device there (eth0) and carries its traffic
 * through sockets of the host; it publishes ports by listening on the
 * host. We run the program; we do not reimplement it.
 *
 * It lives as long as the container's process: a keeper process of ours
 * (named cfs-usernet), in a session of its own, waits on a pidfd of
 * the container and ends the program when the container ends; the
 * program is the keeper's child with PR_SET_PDEATHSIG SIGKILL, so that
 * a SIGKILL of the keeper ends it too. Nothing is recorded on disk. */
#ifndef CFS_USERMODE_H
#define CFS_USERMODE_H

#include <netinet/in.h>
#include <sys/types.h>

#include "core/err.h"

/* A published port: HOST on ADDR ("" every address of the host) to CTR
 * in the container. */
struct cfs_usernet_port {
	int udp;
	char addr[INET6_ADDRSTRLEN];
	unsigned short host, ctr;
};

/* The program's fd that says the network is up: pasta writes its PID
 * there (as its PID file, /dev/fd/3), slirp4netns "1" (its ready fd). */
#define CFS_USERNET_READY_FD 3

struct cfs_usernet {
	const char **argv;     /* the program's command line */
	int ready_byte;        /* up at one byte on READY_FD, else a line */
	const char *api_socket; /* slirp4netns': the ports are added there */
	pid_t target;          /* the container's process */
	const char *etc;       /* a directory whose hosts and resolv.conf
				* the keeper removes, and the directory,
				* when it ends (NULL: none) */
	const struct cfs_usernet_port *ports;
	int n_ports;
	pid_t keeper;          /* set by cfs_usernet_start */
};

/* The path of program NAME found in $PATH, into BUF; 0, or -ENOENT. */
int cfs_usernet_find(const char *name, char *buf, size_t len);

/* Start the program and its keeper; return once the program says the
 * container's network is up (and, with API_SOCKET, the ports are added
 * there). On a failure nothing is left running (the program's own
 * message is on our standard error). */
int cfs_usernet_start(struct cfs_usernet *u, struct cfs_err *e);

/* The container TARGET's view of itself, from inside its user, network
 * and UTS namespaces: eth0's first IPv4 address and first IPv6 address
 * not link-local, into IP4 and IP6 ("" none), and its hostname into
 * NAME (each INET6_ADDRSTRLEN, NAME 65). */
int cfs_usernet_inside(pid_t target, char *ip4, char *ip6, char *name,
		       struct cfs_err *e);

/* End the keeper of container TARGET (and so its program), if one of
 * ours runs, and wait for it (5 s at most) to have removed its ETC:
 * 1 ended, 0 none, or -errno. */
int cfs_usernet_stop(pid_t target, struct cfs_err *e);

/* Wait for the keepers of ours whose container is gone to have ended
 * their program: a container's end is seen by its keeper a moment after
 * its parent has seen it, and the next container may want its ports. */
int cfs_usernet_settle(struct cfs_err *e);

#endif
