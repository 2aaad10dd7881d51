/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net.h: a container's network: links, addresses and routes through
 * rtnetlink (libmnl), rules through libnftables and set elements
 * through libnftnl, and a store of address leases. Each function
 * acts on the network namespace of the socket or fd it is given;
 * failures as lib/core/err.h says. */
#ifndef CFS_NET_H
#define CFS_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <sys/types.h>

#include "core/err.h"

struct mnl_socket;

/* A rtnetlink socket in the network namespace NETNS_FD (-1: ours). */
struct mnl_socket *cfs_nl_open(int netns_fd, struct cfs_err *e);
void cfs_nl_close(struct mnl_socket *nl);

/* The index of link NAME, 0 when there is none, or -errno. */
int cfs_nl_link_index(struct mnl_socket *nl, const char *name,
		      struct cfs_err *e);

/* Make bridge NAME, up; 0 (made), 1 (it was there), or -errno. */
int cfs_nl_bridge(struct mnl_socket *nl, const char *name, struct cfs_err *e);

/* Make a veth pair: HOST here, enslaved to link MASTER and up, and PEER
 * in the namespace NETNS_FD, down. */
int cfs_nl_veth(struct mnl_socket *nl, const char *host, int master,
		const char *peer, int netns_fd, struct cfs_err *e);

/* Set link INDEX up. */
int cfs_nl_link_up(struct mnl_socket *nl, int index, struct cfs_err *e);

/* Delete link NAME; 0 also when there is none. */
int cfs_nl_link_del(struct mnl_socket *nl, const char *name,
		    struct cfs_err *e);

/* Add ADDR/PREFIX (AF_INET or AF_INET6, ADDR a struct in_addr or
 * in6_addr) to link INDEX; 0 also when it is there. IPv6 without DAD. */
int cfs_nl_addr(struct mnl_socket *nl, int index, int family,
		const void *addr, int prefix, struct cfs_err *e);

/* A default route via GATEWAY (as ADDR above) out of link INDEX. */
int cfs_nl_default_route(struct mnl_socket *nl, int index, int family,
			 const void *gateway, struct cfs_err *e);

/* Write VALUE to /proc/sys/PATH ("net/ipv4/ip_forward") of our network
 * namespace; with OLD (when not NULL) the value it had, first char. */
int cfs_sysctl(const char *path, const char *value, char *old,
	       struct cfs_err *e);

/* Run the nft(8) commands CMDS (one per line) in one transaction:
 * all or nothing. E says nft's first error line. */
int cfs_nft(const char *cmds, struct cfs_err *e);

/* Free the process's nftables context, and close its socket: a process
 * forked that runs commands much later makes its own then. */
void cfs_nft_free(void);

/* Does nft's OBJECT ("table inet cfs") exist? 1, 0, or -errno. */
int cfs_nft_exists(const char *object, struct cfs_err *e);

/* A key or value of a set's element as the kernel holds it: the parts
 * of a concatenation (ipv4_addr . inet_service) one after the other,
 * each in network byte order, padded to 32 bits (cfs_nft_put), as
 * nft(8) sends them. */
struct cfs_nft_value {
	unsigned char bytes[64];
	size_t len;
};

/* Append the N BYTES of one part to V. */
void cfs_nft_put(struct cfs_nft_value *v, const void *bytes, size_t n);

/* An element of set SET: KEY, and for a map DATA or, in a verdict map,
 * a jump to chain JUMP. */
struct cfs_nft_elem {
	const char *set, *jump;
	struct cfs_nft_value key, data;
};

/* Add (ADD) or delete the N elements EL of sets of table TABLE of
 * family FAMILY (NFPROTO_INET) in one transaction: all or nothing.
 * Adding one that is there with the same value is no change. -ENOENT
 * when the table, a set, or a chain jumped to is missing. Without
 * nft's run: 0.1 ms here against 1.2 (its context, a listing of the
 * table, the parsing). */
int cfs_nft_elements(int family, const char *table, bool add,
		     const struct cfs_nft_elem *el, size_t n, struct cfs_err *e);

/* The lease store: a directory (DIR/leases/NAME, one file a lease) with
 * DIR/lock, taken by flock(2) for the whole of a change. */
int cfs_lease_lock(const char *dir, struct cfs_err *e);

/* Hold lease NAME: its own flock(2), taken without waiting, for a
 * release done in parts, the slow part (a link's deletion waits for the
 * kernel's RCU) outside DIR/lock. An fd to close when done, -EAGAIN when
 * another process holds it, -ENOENT when there is no such lease. */
int cfs_lease_hold(const char *dir, const char *name, struct cfs_err *e);

/* Write TEXT to DIR/leases/NAME whole (a new file renamed over it). */
int cfs_lease_write(const char *dir, const char *name, const char *text,
		    struct cfs_err *e);

/* Make DIR/leases/NAME (O_EXCL): 0, -EEXIST when it is taken. */
int cfs_lease_take(const char *dir, const char *name, struct cfs_err *e);

/* Read DIR/leases/NAME into a malloc'ed string (*TEXT, free it). */
int cfs_lease_read(const char *dir, const char *name, char **text,
		   struct cfs_err *e);

/* Remove DIR/leases/NAME (gone already: 0). */
int cfs_lease_remove(const char *dir, const char *name, struct cfs_err *e);

/* The names of the leases in DIR, a NULL-ended malloc'ed array of
 * malloc'ed strings (cfs_lease_list_free), sorted. */
int cfs_lease_list(const char *dir, char ***names, struct cfs_err *e);
void cfs_lease_list_free(char **names);

/* The value of KEY in TEXT's "KEY=VALUE" lines, the Nth (0 on) with
 * that key, malloc'ed; NULL when there is none. */
char *cfs_lease_get(const char *text, const char *key, int n);

#endif
