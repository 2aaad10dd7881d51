/* SPDX-License-Identifier: GPL-2.0-or-later */
/* usermode.h: a container's network as an ordinary user can have it,
 * without a bridge or nftables: a user-mode network program, pasta
 * (passt) or slirp4netns, joins the container's user and network
 * namespaces, makes a tap device there (eth0) and carries its traffic
 * through sockets of the host; it publishes ports by listening on the
 * host. We run the program; we do not reimplement it.
 *
 * It lives as long as the container: a keeper process of ours (named
 * cfs-usernet), in a session of its own, ends the program when the
 * container ends, or at a SIGTERM (cfs_usernet_stop); the program is the
 * keeper's child with PR_SET_PDEATHSIG SIGKILL, so that a SIGKILL of the
 * keeper ends it too. Nothing is recorded on disk.
 *
 * A container named by its PID ends with that process: the keeper waits
 * on a pidfd of it. One named by a network namespace file (bound on a
 * file, as cfs-unshare(1) or ip-netns(8) keep it) lives as long as
 * the file is that namespace, and the program holds the namespace alive
 * meanwhile: the keeper watches the file's directory (inotify) and ends
 * when the file is removed or no longer the namespace, as pasta itself
 * and podman take a namespace file's removal. A file in /proc (a
 * process's, or an fd's) gives no such event: it is refused. */
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

/* The container: its process, or a network namespace file. */
struct cfs_usernet_target {
	pid_t pid;            /* its process; 0: named by FILE */
	const char *file;     /* its network namespace file (PID 0) */
	int netns_fd;         /* FILE's namespace; -1 with a PID */
	int userns_fd;        /* the user namespace owning it; -1: ours */
	unsigned long ino;    /* the network namespace's inode */
	/* the namespaces as the program is given them: /proc/PID/ns/...,
	 * or the keeper's fds as the program inherits them; USERNS ""
	 * when the network namespace is our own user namespace's */
	char netns[64], userns[64];
};

/* Fill T for the container of process PID, or (PID 0) of network
 * namespace file FILE, open as NETNS_FD (a network namespace, not ours;
 * taken by T). */
int cfs_usernet_target(struct cfs_usernet_target *t, pid_t pid,
		       const char *file, int netns_fd, struct cfs_err *e);

struct cfs_usernet {
	const char **argv;     /* the program's command line */
	int ready_byte;        /* up at one byte on READY_FD, else a line */
	const char *api_socket; /* slirp4netns': the ports are added there */
	struct cfs_usernet_target target; /* the container */
	const char *etc;       /* a directory whose hosts and resolv.conf
				* the keeper removes, and the directory,
				* when it ends (NULL: none) */
	const struct cfs_usernet_port *ports;
	int n_ports;
	pid_t keeper;          /* set by cfs_usernet_start */
};

/* Is the host side of our network namespace out of our reach, so that a
 * user-mode program must make the container's network: 1 when we are
 * not root, or root of a user namespace that neither is the initial one
 * nor owns our network namespace (podman's rootless `unshare`); else 0. */
int cfs_usernet_needed(void);

/* The path of program NAME found in $PATH, into BUF; 0, or -ENOENT. */
int cfs_usernet_find(const char *name, char *buf, size_t len);

/* Start the program and its keeper; return once the program says the
 * container's network is up (and, with API_SOCKET, the ports are added
 * there). On a failure nothing is left running (the program's own
 * message is on our standard error). */
int cfs_usernet_start(struct cfs_usernet *u, struct cfs_err *e);

/* The container T's view of itself, from inside its user, network and
 * UTS namespaces: eth0's first IPv4 address and first IPv6 address not
 * link-local, into IP4 and IP6 ("" none), and its hostname into NAME
 * (each INET6_ADDRSTRLEN, NAME 65; "" for a file, which has no UTS
 * namespace). */
int cfs_usernet_inside(const struct cfs_usernet_target *t, char *ip4,
		       char *ip6, char *name, struct cfs_err *e);

/* End the keeper of the container of process PID, or (PID 0) of the
 * network namespace of inode INO named by a file (and so its program),
 * if one of ours runs, and wait for it (5 s at most) to have removed its
 * ETC: 1 ended, 0 none, or -errno. */
int cfs_usernet_stop(pid_t pid, unsigned long ino, struct cfs_err *e);

/* Wait for the keepers of ours whose container is gone to have ended
 * their program: a container's end is seen by its keeper a moment after
 * its parent has seen it, and the next container may want its ports. */
int cfs_usernet_settle(struct cfs_err *e);

#endif
