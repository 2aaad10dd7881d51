/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfs-net: put a container on a network, from the host side.
 *
 *   cfs-net attach [OPTION...] [PID|NSFILE]
 *   cfs-net detach [OPTION...] [PID|NSFILE]
 *   cfs-net --gc
 *
 * attach: a bridge (made or reused), a veth pair whose far end is the
 * container's eth0, an IPv4 and an IPv6 address leased from the bridge's
 * subnets, default routes, masquerading out, and published ports as DNAT
 * in nftables' table inet cfs. detach undoes it, and so, for a container
 * named by $CFS_PID (a hook's), does a process attach leaves, once that
 * PID has ended (watch()). The container is PID
 * (its network namespace) or a network namespace file, by default
 * $CFS_PID, which cfs-unshare --setup and --teardown set. Every call
 * first removes what belongs to containers that are gone (--gc alone). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/magic.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/msg.h"
#include "common/opts.h"
#include "core/parse.h"
#include "net/cni.h"
#include "net/net.h"
#include "net/usermode.h"
#include "ns/ns.h"
#include "process/detach.h"

#define TABLE_NAME "cfs"
#define TABLE "inet " TABLE_NAME

struct options {
	const char *bridge, *subnet, *subnet6, *store, *etc, *hostname;
	const char *mode; /* bridge, pasta or slirp4netns; NULL: by who we are */
	const char **publish, **dns;
	int gc, no_ipv6;
	int watch; /* attach: the container is $CFS_PID, a hook's */
	/* CNI: a network of CNI_CONF_DIR run with the plugins in CNI_PATH */
	const char *cni, *cni_conf_dir, *cni_path, *cni_args, *cni_ifname, *id;
};

/* A subnet: the network, its prefix, and the number of hosts in it. */
struct subnet {
	int family;
	unsigned char addr[16];
	int prefix;
};

/* The container: the path of its network namespace and who it is. */
struct target {
	char path[256]; /* /proc/PID/ns/net or NSFILE */
	pid_t pid;	/* 0: NSFILE */
	unsigned long ino;
	int fd;
	const char *cni, *id; /* detach, check: only that network, that id */
};

static void parse_subnet(const char *s, int family, struct subnet *n)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	int max = family == AF_INET ? 30 : 120, min = family == AF_INET ? 8 : 64;
	long prefix;

	n->family = family;
	if (!slash || slash - s >= (long)sizeof(addr) ||
	    cfs_parse_long(slash + 1, min, max, &prefix))
		goto bad;
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - s), s);
	if (inet_pton(family, addr, n->addr) != 1)
		goto bad;
	n->prefix = prefix;
	for (int bit = prefix; bit < (family == AF_INET ? 32 : 128); bit++)
		if (n->addr[bit / 8] & (0x80 >> (bit % 8)))
			goto bad;
	return;
bad:
	cfs_die(CFS_EXIT_FAILURE, 0, "--subnet%s %s: not an IPv%d network "
		"ADDRESS/PREFIX with a prefix of %d to %d", family == AF_INET ? "" : "6",
		s, family == AF_INET ? 4 : 6, min, max);
}

/* Host N of subnet S, as text in BUF (INET6_ADDRSTRLEN) and in ADDR. */
static void host(const struct subnet *s, unsigned long n, unsigned char *addr,
		 char *buf)
{
	int len = s->family == AF_INET ? 4 : 16;

	memcpy(addr, s->addr, len);
	for (int i = len - 1; i >= 0 && n; i--, n >>= 8)
		addr[i] |= n & 0xff;
	inet_ntop(s->family, addr, buf, INET6_ADDRSTRLEN);
}

/* The hosts in S that a container may have: .2 up to the last before
 * the broadcast address (.1 is the bridge's). */
static unsigned long hosts(const struct subnet *s)
{
	return (1UL << (32 - s->prefix)) - 2;
}

/* --publish [HOSTIP:]HOSTPORT[-END]:CTRPORT[-END][/tcp|/udp], each port
 * as one "publish=PROTO HOSTIP HOSTPORT CTRPORT" line appended to F. */
static int publish_lines(const char *spec, FILE *f)
{
	char ip[128] = "0.0.0.0", proto[8] = "tcp", buf[128];
	long h1, h2, c1, c2;
	char *p, *colon, *slash;
	struct in_addr a;

	snprintf(buf, sizeof(buf), "%s", spec);
	if ((slash = strchr(buf, '/'))) {
		*slash++ = '\0';
		if (strcmp(slash, "tcp") && strcmp(slash, "udp"))
			return -1;
		snprintf(proto, sizeof(proto), "%s", slash);
	}
	if (!(colon = strrchr(buf, ':')))
		return -1;
	*colon++ = '\0';
	if ((p = strrchr(buf, ':'))) {
		struct in6_addr a6;
		size_t n;

		*p++ = '\0';
		/* [IPV6]: its loopback cannot reach a container (IPv6 has
		 * no route_localnet) */
		if (buf[0] == '[' && (n = strlen(buf)) > 2 && buf[n - 1] == ']') {
			buf[n - 1] = '\0';
			if (inet_pton(AF_INET6, buf + 1, &a6) != 1 ||
			    IN6_IS_ADDR_LOOPBACK(&a6) || IN6_IS_ADDR_UNSPECIFIED(&a6))
				return -1;
			snprintf(ip, sizeof(ip), "%s", buf + 1);
		} else if (inet_pton(AF_INET, buf, &a) != 1)
			return -1;
		else
			snprintf(ip, sizeof(ip), "%s", buf);
	} else
		p = buf;
	/* p: HOSTPORT[-END], colon: CTRPORT[-END] */
	char *d1 = strchr(p, '-'), *d2 = strchr(colon, '-');
	if (d1)
		*d1++ = '\0';
	if (d2)
		*d2++ = '\0';
	if (cfs_parse_long(p, 1, 65535, &h1) ||
	    cfs_parse_long(d1 ? d1 : p, h1, 65535, &h2) ||
	    cfs_parse_long(colon, 1, 65535, &c1) ||
	    cfs_parse_long(d2 ? d2 : colon, c1, 65535, &c2) ||
	    h2 - h1 != c2 - c1)
		return -1;
	for (long i = 0; i <= h2 - h1; i++)
		fprintf(f, "publish=%s %s %ld %ld\n", proto, ip, h1 + i, c1 + i);
	return 0;
}

/* Is the host port of publish line LINE free: no program bound to it? */
static int port_free(const char *line, char *why, size_t len)
{
	char proto[8], ip[64];
	long hport, cport;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6 };
	int fd, rc = 0, v6;

	if (sscanf(line, "%7s %63s %ld %ld", proto, ip, &hport, &cport) != 4)
		return 0;
	v6 = strchr(ip, ':') != NULL;
	sa.sin_port = sa6.sin6_port = htons(hport);
	inet_pton(AF_INET, ip, &sa.sin_addr);
	inet_pton(AF_INET6, ip, &sa6.sin6_addr);
	fd = socket(v6 ? AF_INET6 : AF_INET,
		    (strcmp(proto, "udp") ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	/* a connection of the port's last server in TIME_WAIT does not
	 * take it (pasta and slirp4netns bind so too); a listener does */
	if (fd >= 0 && strcmp(proto, "udp"))
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (fd >= 0 && (v6 ? bind(fd, (struct sockaddr *)&sa6, sizeof(sa6))
			   : bind(fd, (struct sockaddr *)&sa, sizeof(sa))) < 0 &&
	    errno == EADDRINUSE) {
		snprintf(why, len, "a program on the host uses %s port %ld",
			 proto, hport);
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Do two publish lines take the same host port? */
static int same_port(const char *a, const char *b)
{
	char pa[8], pb[8], ia[64], ib[64];
	long ha, hb, c;

	if (sscanf(a, "%7s %63s %ld %ld", pa, ia, &ha, &c) != 4 ||
	    sscanf(b, "%7s %63s %ld %ld", pb, ib, &hb, &c) != 4)
		return 0;
	return !strcmp(pa, pb) && ha == hb &&
	       (!strcmp(ia, ib) || !strcmp(ia, "0.0.0.0") || !strcmp(ib, "0.0.0.0"));
}

/* Elements of our table's sets, added or deleted in one transaction. */
struct elems {
	struct cfs_nft_elem *v;
	size_t n;
};

/* A new element of SET at the end of L, all zero. */
static struct cfs_nft_elem *elem(struct elems *l, const char *set)
{
	struct cfs_nft_elem *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "nft");
	l->v = v;
	v[l->n] = (struct cfs_nft_elem){ .set = set };
	return &v[l->n++];
}

static void free_elems(struct elems *l)
{
	for (size_t i = 0; i < l->n; i++)
		free((char *)l->v[i].jump);
	free(l->v);
	*l = (struct elems){ 0 };
}

/* The elements of publish line LINE for container addresses IP and IP6
 * (NULL: none), into L as "MAP { KEY : VALUE }", or with DELETE only the
 * keys. A port on every address is published on the IPv4 and the IPv6
 * ones; one on an address, on its family only. */
static void publish_elements(struct elems *l, const char *line,
			     const char *ip, const char *ip6, int delete)
{
	char proto[8], hip[64];
	long hport, cport;
	int any, v6;
	unsigned char a[16];
	uint8_t num;
	uint16_t hp, cp;

	if (sscanf(line, "%7s %63s %ld %ld", proto, hip, &hport, &cport) != 4)
		return;
	num = strcmp(proto, "udp") ? IPPROTO_TCP : IPPROTO_UDP;
	hp = htons(hport);
	cp = htons(cport);
	any = !strcmp(hip, "0.0.0.0");
	v6 = strchr(hip, ':') != NULL;
	for (int fam = 4; fam <= 6; fam += 2) {
		const char *to = fam == 4 ? ip : ip6;
		struct cfs_nft_elem *x;

		if ((fam == 6 && !ip6) || (!any && v6 != (fam == 6)))
			continue;
		if (any)
			x = elem(l, fam == 4 ? "pub4" : "pub6");
		else {
			x = elem(l, fam == 4 ? "pubip4" : "pubip6");
			inet_pton(v6 ? AF_INET6 : AF_INET, hip, a);
			cfs_nft_put(&x->key, a, v6 ? 16 : 4);
		}
		cfs_nft_put(&x->key, &num, 1);
		cfs_nft_put(&x->key, &hp, 2);
		if (delete)
			continue;
		inet_pton(fam == 4 ? AF_INET : AF_INET6, to, a);
		cfs_nft_put(&x->data, a, fam == 4 ? 4 : 16);
		cfs_nft_put(&x->data, &cp, 2);
	}
}

static void open_target(const char *arg, struct target *t)
{
	const struct cfs_ns_type *net = cfs_ns_type(CLONE_NEWNET);
	struct cfs_err e;
	struct stat st, me;
	long pid;

	if (!arg)
		cfs_die(CFS_EXIT_FAILURE, 0, "no container: give its PID or "
			"network namespace file, or run under cfs-unshare "
			"--setup, which sets CFS_PID");
	if (cfs_parse_long(arg, 1, INT32_MAX, &pid) == 0) {
		t->pid = pid;
		snprintf(t->path, sizeof(t->path), "/proc/%ld/ns/net", pid);
	} else
		snprintf(t->path, sizeof(t->path), "%s", arg);
	if ((t->fd = cfs_ns_open(t->path, net, &e)) < 0)
		cfs_die_err(&e);
	if (fstat(t->fd, &st) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "stat %s", t->path);
	t->ino = st.st_ino;
	/* ours: an eth0 and a default route here would be the host's */
	if (stat("/proc/self/ns/net", &me) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "stat /proc/self/ns/net");
	if (me.st_ino == st.st_ino && me.st_dev == st.st_dev)
		cfs_die(CFS_EXIT_FAILURE, 0, "%s: our own network namespace, "
			"not a container's", t->path);
}

/* A pidfd of container T's process, when it is named by its PID and that
 * PID still has its namespace (else -1: no watcher, see watch()). */
static int container_pidfd(const struct target *t)
{
	struct stat st;
	int fd;

	if (!t->pid || (fd = pidfd_open(t->pid, 0)) < 0)
		return -1;
	if (stat(t->path, &st) < 0 || st.st_ino != t->ino) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The store's lock, once taken: CNI plugins hold it too, as long as
 * they run (cfs_cni.hold_fd). */
static int store_lock = -1;

static int lock_store(const char *store, struct cfs_err *e)
{
	return store_lock = cfs_lease_lock(store, e);
}

/* Does the container of lease TEXT still live: its PID in the same
 * network namespace, or its namespace file still that namespace? */
static int alive(const char *text)
{
	char *pid = cfs_lease_get(text, "pid", 0);
	char *file = cfs_lease_get(text, "nsfile", 0);
	char *ino = cfs_lease_get(text, "netns", 0);
	char path[300];
	struct stat st;
	int rc = 0;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
	else if (file)
		snprintf(path, sizeof(path), "%s", file);
	if ((pid || file) && ino && stat(path, &st) == 0)
		rc = st.st_ino == strtoul(ino, NULL, 10);
	free(pid);
	free(file);
	free(ino);
	return rc;
}

/* Is lease TEXT the container MATCH names: its PID (or namespace), and
 * with --cni or --id only that network's, that id's? */
static int is_mine(const char *text, const struct target *match)
{
	char want[64], *v;
	int mine = 1;

	/* its PID, its namespace, or both (the watcher's: either of them
	 * reused alone is another container's) */
	for (int i = 0; i < 2 && mine; i++) {
		if (!(i ? match->ino : (unsigned long)match->pid))
			continue;
		if (i)
			snprintf(want, sizeof(want), "%lu", match->ino);
		else
			snprintf(want, sizeof(want), "%d", match->pid);
		v = cfs_lease_get(text, i ? "netns" : "pid", 0);
		mine = v && !strcmp(v, want);
		free(v);
	}
	for (int i = 0; i < 2 && mine; i++) {
		const char *filter = i ? match->id : match->cni;
		if (!filter)
			continue;
		v = cfs_lease_get(text, i ? "id" : "cni", 0);
		mine = v && !strcmp(v, filter);
		free(v);
	}
	return mine;
}

/* CNI's DEL needs the container's network namespace, to remove what the
 * plugins made in it and for it (the bridge plugin finds the addresses
 * whose masquerading it undoes on the container's interface): once the
 * container has ended, it would be gone. As CRI runtimes do, it is kept
 * bound on a file (PIN) from before the ADD to after the DEL, and every
 * plugin is given that file. FD is the namespace. */
static int pin(const char *store, const char *pin, int fd, struct cfs_err *e)
{
	char path[600];
	int f;

	snprintf(path, sizeof(path), "%s/netns", store);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return cfs_fail(e, errno, "mkdir %s", path);
	if ((f = open(pin, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return cfs_fail(e, errno, "create %s", pin);
	close(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (mount(path, pin, NULL, MS_BIND, NULL) < 0)
		return cfs_fail(e, errno, "bind the network namespace on %s", pin);
	return 0;
}

static void unpin(const char *pin)
{
	umount2(pin, MNT_DETACH | UMOUNT_NOFOLLOW);
	unlink(pin);
}

/* The network namespace of lease TEXT's container, while it is the
 * container's, in BUF: the file it is kept on, or its PID's or file;
 * else "" (a DEL with no namespace: a PID reused may be another's). */
static const char *lease_netns(const char *text, char *buf, size_t len)
{
	char *pid = cfs_lease_get(text, "pid", 0);
	char *file = cfs_lease_get(text, "nsfile", 0);
	char *kept = cfs_lease_get(text, "pin", 0);
	char *ino = cfs_lease_get(text, "netns", 0);
	struct statfs fs;
	struct stat st;

	buf[0] = '\0';
	if (kept && ino && statfs(kept, &fs) == 0 && fs.f_type == NSFS_MAGIC &&
	    stat(kept, &st) == 0 && st.st_ino == strtoul(ino, NULL, 10))
		snprintf(buf, len, "%s", kept);
	else if (alive(text) && pid)
		snprintf(buf, len, "/proc/%s/ns/net", pid);
	else if (alive(text) && file)
		snprintf(buf, len, "%s", file);
	free(pid);
	free(file);
	free(kept);
	free(ino);
	return buf;
}

/* The name files of lease TEXT (--etc), gone. */
static void remove_etc(const char *text)
{
	char *dir = cfs_lease_get(text, "etc", 0), path[600];

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/hosts", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/resolv.conf", dir);
	unlink(path);
	rmdir(dir);
	free(dir);
}

/* Undo the CNI attachment of lease TEXT, named NAME: DEL with what its
 * cache says the ADD had (configuration, arguments, result), then the
 * cache and the lease. No cache: no plugin was run. */
static int cni_release(const char *store, const char *name, const char *text,
		       struct cfs_err *e)
{
	char *net = cfs_lease_get(text, "cni", 0), *id = cfs_lease_get(text, "id", 0);
	char *ifname = cfs_lease_get(text, "ifname", 0);
	char *path = cfs_lease_get(text, "cni-path", 0);
	char *kept = cfs_lease_get(text, "pin", 0);
	char args[4096], ns[600];
	struct cfs_cni c = { .path = path ? path : "/usr/lib/cni",
			     .hold_fd = store_lock };
	json_t *cache = NULL, *prev;
	int rc;

	if (!net || !id || !ifname)
		rc = cfs_fail(e, 0, "read lease %s/leases/%s: no cni, id or "
			      "ifname", store, name);
	else if ((rc = cfs_cni_cache_read(store, net, id, ifname, &cache, e)) == -ENOENT)
		rc = 0;
	else if (!rc && !(rc = cfs_cni_from_cache(cache, &c, args, sizeof(args),
						   &prev, e))) {
		c.netns = lease_netns(text, ns, sizeof(ns));
		rc = cfs_cni_del(&c, prev, e) ?:
		     cfs_cni_cache_remove(store, net, id, ifname, e);
	}
	if (!rc && kept)
		unpin(kept);
	if (!rc)
		remove_etc(text);
	json_decref(cache);
	free(kept);
	free(net);
	free(id);
	free(ifname);
	free(path);
	return rc ?: cfs_lease_remove(store, name, e);
}

/* What lease TEXT made that goes at once: its published ports (each
 * alone: one not there, from an attach that failed before adding it,
 * must not keep the others) and its names. */
static void release_rules(const char *text)
{
	char *ip6 = cfs_lease_get(text, "ip6", 0), *line;
	struct cfs_err ignore;

	for (int i = 0; (line = cfs_lease_get(text, "publish", i)); i++) {
		struct elems l = { 0 };

		publish_elements(&l, line, NULL, ip6 ? "" : NULL, 1);
		cfs_nft_elements(NFPROTO_INET, TABLE_NAME, false, l.v, l.n,
				 &ignore);
		free_elems(&l);
		free(line);
	}
	free(ip6);
	remove_etc(text);
}

/* Lease TEXT's veth (gone with its namespace unless that is kept). Its
 * deletion waits for the kernel (an RCU barrier: 10-30 ms here), so it
 * is done outside the store's lock, while the lease, held, keeps its
 * address and the veth's name from any other attach. */
static int release_link(const char *text, struct cfs_err *e)
{
	char *veth = cfs_lease_get(text, "veth", 0);
	struct mnl_socket *nl;
	int rc = 0;

	if (!veth)
		return 0;
	if ((nl = cfs_nl_open(-1, e)))
		rc = cfs_nl_link_del(nl, veth, e);
	else
		rc = -e->errnum;
	cfs_nl_close(nl);
	free(veth);
	return rc;
}

/* Is lease TEXT a CNI attachment's (released by cni_release)? */
static int is_cni(const char *text)
{
	char *net = cfs_lease_get(text, "cni", 0);
	int cni = net != NULL;

	free(net);
	return cni;
}

/* Remove what lease NAME made, as far as it got: published ports, the
 * veth, names, the lease (a CNI attachment: its DEL). Each step is tried
 * whatever the others did; the first failure is returned. */
static int release(const char *store, const char *name, struct cfs_err *e)
{
	char *text = NULL;
	int rc;

	if (cfs_lease_read(store, name, &text, e))
		return -e->errnum;
	if (is_cni(text)) {
		rc = cni_release(store, name, text, e);
		free(text);
		return rc;
	}
	release_rules(text);
	rc = release_link(text, e);
	free(text);
	if (rc == 0)
		rc = cfs_lease_remove(store, name, e);
	return rc;
}

/* With no lease left: our table, the bridges we made, and forwarding as
 * it was before we turned it on. */
static int remove_all(const char *store, struct cfs_err *e)
{
	char **names, path[600], old;
	struct mnl_socket *nl;
	int rc = 0, fd;
	ssize_t n;

	if (cfs_lease_list(store, &names, e))
		return -e->errnum;
	if (names[0]) {
		cfs_lease_list_free(names);
		return 0;
	}
	cfs_lease_list_free(names);
	if (cfs_nft_exists("table " TABLE, e) == 1 &&
	    (rc = cfs_nft("delete table " TABLE, e)))
		return rc;
	snprintf(path, sizeof(path), "%s/bridges", store);
	if (cfs_lease_list(path, &names, e) == 0) {
		if (!(nl = cfs_nl_open(-1, e)))
			rc = -e->errnum;
		for (char **b = names; !rc && *b; b++)
			if (!(rc = cfs_nl_link_del(nl, *b, e)))
				rc = cfs_lease_remove(path, *b, e);
		cfs_nl_close(nl);
		cfs_lease_list_free(names);
	}
	for (int v6 = 0; v6 < 2 && !rc; v6++) {
		snprintf(path, sizeof(path), "%s/forwarding%s", store, v6 ? "6" : "");
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, &old, 1);
		close(fd);
		if (n == 1 && (rc = cfs_sysctl(v6 ? "net/ipv6/conf/all/forwarding"
						  : "net/ipv4/ip_forward",
					       (char[]){ old, 0 }, NULL, e)))
			break;
		unlink(path);
	}
	return rc;
}

/* Leases being released: held, their rules gone, their veths next. */
struct held {
	char *name, *text;
	int fd, kept; /* kept: its veth could not go */
};

/* Leases of gone containers whose release failed in this run, kept. */
static int kept_leases;

/* The release of lease NAME, another container's, gone, failed (E: a
 * CNI plugin's DEL, which may fail again and again): said, once, and
 * the lease kept for the next call, which tries again; it must not
 * stop the attach or detach of any other container. --gc fails. */
static int kept_lease(const char *store, const char *name,
		      const struct cfs_err *e)
{
	cfs_warn(e->errnum, "release lease %s/leases/%s of a gone container "
		 "(kept for the next call): %s", store, name, e->msg);
	kept_leases++;
	return 0;
}

/* Under the store's lock: begin the release of every lease whose
 * container is gone, or (MATCH) of the lease of the container T: hold
 * it, remove its rules, and add it to *HELD (N of them) for finish().
 * A lease another process holds is that process's to finish: its
 * rules are gone already, its ports free. */
static int collect(const char *store, const struct target *match,
		   struct held **held, int *n_held, struct cfs_err *e)
{
	char **names, *text;
	struct held *h;
	int rc = 0, fd;

	if (cfs_lease_list(store, &names, e))
		return -e->errnum;
	for (char **n = names; !rc && *n; n++) {
		if ((fd = cfs_lease_hold(store, *n, e)) == -EAGAIN || fd == -ENOENT)
			continue;
		if (fd < 0 || cfs_lease_read(store, *n, &text, e)) {
			rc = -e->errnum;
			if (fd >= 0)
				close(fd);
			break;
		}
		int mine = match && is_mine(text, match);
		if (!mine && alive(text)) {
			free(text);
			close(fd);
			continue;
		}
		/* its DEL here, under the lock: the plugins keep state of their
		 * own (host-local's addresses) that only the lock guards */
		if (is_cni(text)) {
			rc = cni_release(store, *n, text, e);
			if (rc && !mine)
				rc = kept_lease(store, *n, e);
			free(text);
			close(fd);
			continue;
		}
		release_rules(text);
		if (!(h = realloc(*held, (*n_held + 1) * sizeof(**held)))) {
			free(text);
			close(fd);
			rc = cfs_fail(e, ENOMEM, "release %s", *n);
			break;
		}
		*held = h;
		h[(*n_held)++] = (struct held){ strdup(*n), text, fd, 0 };
	}
	cfs_lease_list_free(names);
	return rc;
}

/* Outside the store's lock: the veths of the leases HELD (N of them);
 * then, under the lock, the leases, and with none left, everything.
 * The first failure is returned; the lease of a veth that could not go
 * stays, for the next call. */
static int finish(const char *store, struct held *held, int n, struct cfs_err *e)
{
	struct cfs_err later;
	int rc = 0, r, lock;

	for (int i = 0; i < n; i++)
		if ((r = release_link(held[i].text, rc ? &later : e))) {
			held[i].kept = 1;
			rc = rc ?: r;
		}
	if ((lock = lock_store(store, rc ? &later : e)) >= 0) {
		for (int i = 0; i < n; i++)
			if (!held[i].kept &&
			    (r = cfs_lease_remove(store, held[i].name, rc ? &later : e)))
				rc = rc ?: r;
		if (!rc)
			rc = remove_all(store, e);
		close(lock);
	} else
		rc = rc ?: lock;
	for (int i = 0; i < n; i++) {
		close(held[i].fd);
		free(held[i].name);
		free(held[i].text);
	}
	free(held);
	return rc;
}

/* For attach: the veths of the gone containers it found (HELD, N of
 * them) removed by a process of its own, so that the new container does
 * not wait for them: each deletion waits for the kernel (10-30 ms, see
 * release_link), and attach is on the path of every networked start.
 * The process holds the leases (their locks are its fds' too) until
 * each veth is gone, as finish() does, and no fd of the caller's (not
 * the container's namespace, NETNS, nor our output, for whoever reads
 * it to its end): what it cannot remove stays, leased, for the next
 * call. With no process, finish() here. */
static int finish_later(const char *store, struct held *held, int n, int netns,
			struct cfs_err *e)
{
	pid_t pid = fork();
	int null;

	if (pid == 0) {
		close(netns);
		if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		setsid();
		_exit(finish(store, held, n, e) ? CFS_EXIT_FAILURE : 0);
	}
	if (pid < 0)
		return finish(store, held, n, e);
	for (int i = 0; i < n; i++) {
		close(held[i].fd);
		free(held[i].name);
		free(held[i].text);
	}
	free(held);
	return 0;
}

/* The watcher of a container attached as a hook (named by $CFS_PID, as
 * cfs-unshare --setup sets it): a process of ours that waits for that
 * process (PIDFD) to end, then releases the container's lease as detach
 * does, so that no teardown need run it (as pasta's keeper,
 * lib/net/usermode.h). A container named on the command line is its
 * caller's to detach, as a CNI runtime runs DEL. In a session of its own, on /,
 * it holds no fd but the pidfd: not the container's namespace, which
 * it would keep, nor any of the caller's, which someone may read to its
 * end. Killed, it leaves the lease to the next call. The lease is the
 * container's by its PID and its namespace: either reused alone is
 * another's. */
static void watch(const struct options *o, const struct target *t, int pidfd)
{
	struct target match = { .pid = t->pid, .ino = t->ino };
	struct pollfd p = { .fd = 3, .events = POLLIN };
	struct held *held = NULL;
	struct cfs_err e;
	int lock, n_held = 0;

	if (fork() != 0) {
		close(pidfd);
		return;
	}
	cfs_nft_free();
	if (cfs_detach(&pidfd, 1, CFS_DETACH_ROOT_DIR | CFS_DETACH_NULL_IN_OUT |
		       CFS_DETACH_NULL_ERR, &e))
		_exit(CFS_EXIT_FAILURE);
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	if ((lock = lock_store(o->store, &e)) < 0 ||
	    collect(o->store, &match, &held, &n_held, &e))
		_exit(CFS_EXIT_FAILURE);
	close(lock);
	_exit(finish(o->store, held, n_held, &e) ? CFS_EXIT_FAILURE : 0);
}

/* Turn IPv4 or IPv6 forwarding on. When it was off, record that (the
 * last detach turns it off again) and add to F the rule that forwards
 * nothing but what goes through our bridges, as docker does. */
static int forwarding(const char *store, int v6, FILE *f, struct cfs_err *e)
{
	char path[600], old = '1';
	int rc, fd;

	if ((rc = cfs_sysctl(v6 ? "net/ipv6/conf/all/forwarding"
				: "net/ipv4/ip_forward", "1", &old, e)) || old != '0')
		return rc;
	snprintf(path, sizeof(path), "%s/forwarding%s", store, v6 ? "6" : "");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) >= 0) {
		if (write(fd, "0", 1) != 1)
			rc = cfs_fail(e, errno, "write %s", path);
		close(fd);
	}
	fprintf(f, "add rule " TABLE " forward meta nfproto ipv%d drop\n",
		v6 ? 6 : 4);
	return rc;
}

/* The table, once: a set of our bridges, a map of their masquerading
 * chains, maps of published ports, and the chains that use them. No interval set: nft fetches the elements
 * of every interval set of the table before each change, the adding of
 * a container's ports included, and masquerading by subnet needs them. */
#define TABLE_SETS \
	"add table " TABLE "\n" \
	"add set " TABLE " bridges { type ifname; }\n" \
	"add map " TABLE " masq { type ifname : verdict; }\n" \
	"add map " TABLE " pub4 { type inet_proto . inet_service : " \
	"ipv4_addr . inet_service; }\n" \
	"add map " TABLE " pubip4 { type ipv4_addr . inet_proto . " \
	"inet_service : ipv4_addr . inet_service; }\n" \
	"add map " TABLE " pub6 { type inet_proto . inet_service : " \
	"ipv6_addr . inet_service; }\n" \
	"add map " TABLE " pubip6 { type ipv6_addr . inet_proto . " \
	"inet_service : ipv6_addr . inet_service; }\n"

static int make_table(struct cfs_err *e)
{
	return cfs_nft(
		TABLE_SETS
		"add chain " TABLE " publish\n"
		"add rule " TABLE " publish dnat ip to ip daddr . meta l4proto . "
		"th dport map @pubip4\n"
		"add rule " TABLE " publish dnat ip to meta l4proto . th dport "
		"map @pub4\n"
		"add rule " TABLE " publish dnat ip6 to ip6 daddr . meta l4proto . "
		"th dport map @pubip6\n"
		"add rule " TABLE " publish dnat ip6 to meta l4proto . th dport "
		"map @pub6\n"
		"add chain " TABLE " prerouting { type nat hook prerouting "
		"priority dstnat; policy accept; }\n"
		"add rule " TABLE " prerouting fib daddr type local jump publish\n"
		"add chain " TABLE " output { type nat hook output priority "
		"-100; policy accept; }\n"
		"add rule " TABLE " output fib daddr type local jump publish\n"
		"add chain " TABLE " postrouting { type nat hook postrouting "
		"priority srcnat; policy accept; }\n"
		/* the host's 127.0.0.1 to a published port: route_localnet
		 * lets it out on the bridge, and the bridge's address
		 * replaces 127.0.0.1, which the container cannot answer */
		"add rule " TABLE " postrouting oifname @bridges ip saddr "
		"127.0.0.0/8 masquerade\n"
		/* out of a bridge of ours to another link, from our subnets
		 * only: the bridge's chain in the map masq (make_bridge) */
		"add rule " TABLE " postrouting iifname vmap @masq\n"
		"add chain " TABLE " forward { type filter hook forward "
		"priority filter; policy accept; }\n"
		"add rule " TABLE " forward iifname @bridges accept\n"
		"add rule " TABLE " forward oifname @bridges accept\n", e);
}

/* A table of an older cfs-net, whose containers still run (it goes with
 * the last lease): what this one's rules use, added in one transaction.
 * Its sets and maps as they are ("add" leaves one there as it is); with
 * no map pub6 (before IPv6 publishing), the rules that use it and
 * pubip6; with no map masq (before the bridges' masquerading chains),
 * the rule that jumps through it, while its own masquerading of all
 * that leaves a bridge of ours stays, for its containers, until the
 * table goes. */
static int upgrade_table(struct cfs_err *e)
{
	char *cmds = NULL;
	size_t len;
	int pub6, masq, rc;
	FILE *f;

	if ((pub6 = cfs_nft_exists("map " TABLE " pub6", e)) < 0 ||
	    (masq = cfs_nft_exists("map " TABLE " masq", e)) < 0)
		return pub6 < 0 ? pub6 : masq;
	f = open_memstream(&cmds, &len);
	fputs(TABLE_SETS, f);
	if (!pub6)
		fputs("add rule " TABLE " publish dnat ip6 to ip6 daddr . meta "
		      "l4proto . th dport map @pubip6\n"
		      "add rule " TABLE " publish dnat ip6 to meta l4proto . "
		      "th dport map @pub6\n", f);
	if (!masq)
		fputs("add rule " TABLE " postrouting iifname vmap @masq\n", f);
	fclose(f);
	rc = cfs_nft(cmds, e);
	free(cmds);
	return rc;
}

/* The container's elements, L, in one transaction. With no table yet
 * (the first container, or one after the last had gone), the table
 * first, and with no chain of the bridge's yet (its first container),
 * that chain, BRIDGE; a table of an older cfs-net, brought up to date;
 * RULES (forwarding turned on: its rules, else "") before them. The
 * common case is the elements alone, without nft's run. */
static int container_rules(const char *rules, const struct elems *l,
			   const char *bridge, struct cfs_err *e)
{
	struct cfs_err first;
	int rc;

	if (!*rules) {
		rc = cfs_nft_elements(NFPROTO_INET, TABLE_NAME, true, l->v,
				      l->n, &first);
		if (rc != -ENOENT) {
			if (rc)
				*e = first;
			return rc;
		}
	}
	if ((rc = cfs_nft_exists("table " TABLE, e)) < 0)
		return rc;
	if ((rc = rc ? upgrade_table(e) : make_table(e)) ||
	    (rc = cfs_nft(bridge, e)) || (*rules && (rc = cfs_nft(rules, e))))
		return rc;
	return cfs_nft_elements(NFPROTO_INET, TABLE_NAME, true, l->v, l->n, e);
}

/* The name of the bridge's masquerading chain, into CHAIN: an nft
 * name, letters, digits, - and . as they are, the others (_ too) as _XX. */
static void masq_chain(const char *bridge, char *chain)
{
	char *c = chain + sprintf(chain, "masq-");

	for (const unsigned char *b = (const unsigned char *)bridge; *b; b++)
		c += isalnum(*b) || *b == '-' || *b == '.' ?
		     sprintf(c, "%c", *b) : sprintf(c, "_%02x", *b);
}

/* The bridge's masquerading, as nft commands into F: what leaves it for
 * another link from its subnets, and not what the other devices of a
 * bridge we did not make send through the host. A chain of the
 * bridge's, made by its first container (container_rules: adding a
 * chain costs nft a listing, 9 ms, that the attach of every container
 * would pay), with the subnets that container has; matched by a
 * prefix in the rule, not an interval set, whose elements nft would
 * fetch before each change. The attach adds its entry in the map masq
 * (make_bridge), and fails while the chain is missing. */
static void masquerade(const struct options *o, FILE *f)
{
	char chain[8 + 3 * IFNAMSIZ];

	masq_chain(o->bridge, chain);
	fprintf(f, "add chain " TABLE " %s\nflush chain " TABLE " %s\n"
		"add rule " TABLE " %s oifname != @bridges ip saddr %s "
		"masquerade\n", chain, chain, chain, o->subnet);
	if (!o->no_ipv6)
		fprintf(f, "add rule " TABLE " %s oifname != @bridges ip6 saddr "
			"%s masquerade\n", chain, o->subnet6);
}

/* The bridge and its addresses; its place in our table as elements
 * into L. Its index, or -errno. */
static int make_bridge(const struct options *o, const struct subnet *n4,
		       const struct subnet *n6, struct mnl_socket *nl,
		       struct elems *l, struct cfs_err *e)
{
	char gw[INET6_ADDRSTRLEN], path[600], sysctl[128], chain[8 + 3 * IFNAMSIZ];
	char name[IFNAMSIZ] = { 0 };
	struct cfs_nft_elem *x;
	unsigned char a[16];
	int index, rc;

	/* one we are about to make is ours: removed by us, with the last
	 * lease. Recorded first, so that a cfs-net killed right after the
	 * kernel made it leaves the record for --gc (a record of a bridge
	 * never made is removed as well). */
	if ((index = cfs_nl_link_index(nl, o->bridge, e)) < 0)
		return index;
	if (index == 0) {
		snprintf(path, sizeof(path), "%s/bridges", o->store);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/bridges/leases", o->store);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/bridges", o->store);
		if ((rc = cfs_lease_take(path, o->bridge, e)) && rc != -EEXIST)
			return rc;
	}
	if (index > 0)
		rc = cfs_nl_link_up(nl, index, e);
	else if ((rc = cfs_nl_bridge(nl, o->bridge, e)) >= 0 &&
		 (index = cfs_nl_link_index(nl, o->bridge, e)) <= 0)
		rc = index ?: cfs_fail(e, ENODEV, "find bridge %s", o->bridge);
	if (rc < 0)
		return rc;
	host(n4, 1, a, gw);
	if ((rc = cfs_nl_addr(nl, index, AF_INET, a, n4->prefix, e)))
		return rc;
	host(n6, 1, a, gw);
	if (!o->no_ipv6 && (rc = cfs_nl_addr(nl, index, AF_INET6, a, n6->prefix, e)))
		return rc;
	snprintf(sysctl, sizeof(sysctl), "net/ipv4/conf/%s/route_localnet", o->bridge);
	if ((rc = cfs_sysctl(sysctl, "1", NULL, e)))
		return rc;
	/* an ifname key: the name, zero-padded to IFNAMSIZ */
	memcpy(name, o->bridge, strlen(o->bridge));
	x = elem(l, "bridges");
	cfs_nft_put(&x->key, name, IFNAMSIZ);
	x = elem(l, "masq");
	cfs_nft_put(&x->key, name, IFNAMSIZ);
	masq_chain(o->bridge, chain);
	if (!(x->jump = strdup(chain)))
		return cfs_fail(e, ENOMEM, "nft");
	return index;
}

/* The container's hostname: its UTS namespace's, for /etc/hosts. */
static void container_hostname(const struct target *t, char *buf, size_t len)
{
	char path[64];
	struct utsname u;
	int self, fd;

	buf[0] = '\0';
	if (!t->pid)
		return;
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", t->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if ((self = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC)) >= 0 &&
	    setns(fd, CLONE_NEWUTS) == 0) {
		if (uname(&u) == 0)
			snprintf(buf, len, "%s", u.nodename);
		if (setns(self, CLONE_NEWUTS) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "return to our UTS namespace");
	}
	if (self >= 0)
		close(self);
	close(fd);
}

static int write_file(const char *dir, const char *name, const char *text,
		      struct cfs_err *e)
{
	char path[600], tmp[610];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if (!(f = fopen(tmp, "we")))
		return cfs_fail(e, errno, "create %s", tmp);
	fputs(text, f);
	if (fclose(f) || rename(tmp, path))
		return cfs_fail(e, errno, "write %s", path);
	return 0;
}

/* --etc DIR: made if missing, and ours alone, for files the container
 * will trust: owned by us, a directory, nobody else may write in it. */
static int own_dir(const char *dir, struct cfs_err *e)
{
	struct stat st;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return cfs_fail(e, errno, "mkdir %s", dir);
	if (lstat(dir, &st) < 0)
		return cfs_fail(e, errno, "stat %s", dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		return cfs_fail(e, 0, "use %s: %s", dir, !S_ISDIR(st.st_mode) ?
				"not a directory" : st.st_uid != geteuid() ?
				"owned by another user" : "writable by others");
	return 0;
}

/* DIR/hosts and DIR/resolv.conf for the container NAME at IP4 and IP6,
 * for cfs-pivot --bind. A resolver on the host's loopback is no use in
 * the container: as docker does, those lines go, replaced by FORWARDER
 * (pasta's or slirp4netns' DNS forwarder, which reaches them) or, with
 * none and no line left, public resolvers. */
static int write_names(const struct options *o, const char *name,
		       const char *ip4, const char *ip6, const char *forwarder,
		       struct cfs_err *e)
{
	char line[512], ns[64], *text = NULL;
	size_t len;
	int rc, servers = 0, forwarded = 0;
	FILE *f, *in;

	if ((rc = own_dir(o->etc, e)))
		return rc;
	f = open_memstream(&text, &len);
	fprintf(f, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	if (*name) {
		if (ip4 && *ip4)
			fprintf(f, "%s\t%s\n", ip4, name);
		if (ip6 && *ip6)
			fprintf(f, "%s\t%s\n", ip6, name);
	}
	fclose(f);
	rc = write_file(o->etc, "hosts", text, e);
	free(text);
	if (rc)
		return rc;
	f = open_memstream(&text, &len);
	for (const char **d = o->dns; d && *d; d++, servers++)
		fprintf(f, "nameserver %s\n", *d);
	if ((in = fopen("/etc/resolv.conf", "re"))) {
		while (fgets(line, sizeof(line), in)) {
			if (sscanf(line, "nameserver %63s", ns) == 1) {
				int local = !strncmp(ns, "127.", 4) || !strcmp(ns, "::1");
				if (o->dns || (local && (!forwarder || forwarded++)))
					continue;
				if (local)
					snprintf(line, sizeof(line), "nameserver %s\n",
						 forwarder);
				servers++;
			}
			fputs(line, f);
		}
		fclose(in);
	}
	if (!servers && forwarder)
		fprintf(f, "nameserver %s\n", forwarder);
	else if (!servers)
		fprintf(f, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	fclose(f);
	rc = write_file(o->etc, "resolv.conf", text, e);
	free(text);
	return rc;
}

static int write_etc(const struct options *o, const struct target *t,
		     const char *ip4, const char *ip6, struct cfs_err *e)
{
	char name[256];

	if (o->hostname)
		snprintf(name, sizeof(name), "%s", o->hostname);
	else
		container_hostname(t, name, sizeof(name));
	return write_names(o, name, ip4, ip6, NULL, e);
}

/* Inside the container: eth0's addresses, up, default routes. */
static int inside(const struct target *t, const struct subnet *n4,
		  const struct subnet *n6, unsigned long i, int ipv6,
		  struct cfs_err *e)
{
	struct mnl_socket *nl = cfs_nl_open(t->fd, e);
	unsigned char a[16], gw[16];
	char buf[INET6_ADDRSTRLEN];
	int index, rc;

	if (!nl)
		return -e->errnum;
	if ((index = cfs_nl_link_index(nl, "eth0", e)) <= 0) {
		rc = index ?: cfs_fail(e, ENODEV, "find eth0 in the container");
		goto out;
	}
	host(n4, i, a, buf);
	host(n4, 1, gw, buf);
	if ((rc = cfs_nl_addr(nl, index, AF_INET, a, n4->prefix, e)) ||
	    (rc = cfs_nl_link_up(nl, index, e)) ||
	    (rc = cfs_nl_default_route(nl, index, AF_INET, gw, e)))
		goto out;
	if (ipv6) {
		host(n6, i, a, buf);
		host(n6, 1, gw, buf);
		if ((rc = cfs_nl_addr(nl, index, AF_INET6, a, n6->prefix, e)) ||
		    (rc = cfs_nl_default_route(nl, index, AF_INET6, gw, e)))
			goto out;
	}
out:
	cfs_nl_close(nl);
	return rc;
}

/* Is the host port of publish line LINE taken: by the publish line of
 * a lease (but one being released, held: its ports are free), or by a
 * program of the host? */
static int port_taken(const char *store, const char *line, char *why,
		      size_t len, struct cfs_err *e)
{
	char **names, *text, *other;
	int taken = 0, fd;

	if (cfs_lease_list(store, &names, e))
		cfs_die_err(e);
	for (char **n = names; !taken && *n; n++) {
		if ((fd = cfs_lease_hold(store, *n, e)) < 0)
			continue;
		close(fd);
		if (cfs_lease_read(store, *n, &text, e))
			continue;
		for (int i = 0; !taken && (other = cfs_lease_get(text, "publish", i)); i++) {
			if (same_port(line, other)) {
				char *pid = cfs_lease_get(text, "pid", 0);
				snprintf(why, len, "published already for the "
					 "container at %s%s%s", *n,
					 pid ? ", PID " : "", pid ? pid : "");
				free(pid);
				taken = 1;
			}
			free(other);
		}
		free(text);
	}
	cfs_lease_list_free(names);
	return taken || port_free(line, why, len);
}

static int attach(const struct options *o, const char *arg)
{
	struct target target = { .fd = -1 }, *t = &target;
	struct subnet n4, n6;
	char ip4[INET6_ADDRSTRLEN], ip6[INET6_ADDRSTRLEN], veth[IFNAMSIZ];
	char *lines = NULL, *text = NULL, *masq = NULL, *line, why[256];
	unsigned char a[16];
	size_t len;
	unsigned long i;
	struct mnl_socket *nl;
	struct cfs_err e, e2;
	struct held *held = NULL;
	struct elems l = { 0 };
	int rc, lock, master, pidfd, n_held = 0;
	FILE *f;

	parse_subnet(o->subnet, AF_INET, &n4);
	parse_subnet(o->subnet6, AF_INET6, &n6);
	if (strlen(o->bridge) >= IFNAMSIZ)
		cfs_die(CFS_EXIT_FAILURE, 0, "--bridge %s: longer than %d "
			"characters", o->bridge, IFNAMSIZ - 1);
	f = open_memstream(&lines, &len);
	for (const char **p = o->publish; p && *p; p++)
		if (publish_lines(*p, f))
			cfs_die(CFS_EXIT_FAILURE, 0, "--publish %s: not "
				"[HOSTIP:]HOSTPORT[-END]:CTRPORT[-END][/tcp|/udp] "
				"with ranges of one length", *p);
	fclose(f);
	open_target(arg, t);
	pidfd = o->watch ? container_pidfd(t) : -1;
	if ((lock = lock_store(o->store, &e)) < 0 ||
	    collect(o->store, NULL, &held, &n_held, &e))
		cfs_die_err(&e);
	/* attached already? Not by the lease of a gone container, being
	 * released (by us, or by its detach, which removes the lease only
	 * once its veth is gone): a network namespace's inode number is
	 * reused, often by the very next one made. */
	{
		char **names, *other;
		if (cfs_lease_list(o->store, &names, &e))
			cfs_die_err(&e);
		for (char **n = names; *n; n++) {
			if (cfs_lease_read(o->store, *n, &other, &e))
				cfs_die_err(&e);
			char *ino = cfs_lease_get(other, "netns", 0);
			if (ino && strtoul(ino, NULL, 10) == t->ino && alive(other))
				cfs_die(CFS_EXIT_FAILURE, 0, "%s: attached already, "
					"at %s", t->path, *n);
			free(ino);
			free(other);
		}
		cfs_lease_list_free(names);
	}
	for (int k = 0; (line = cfs_lease_get(lines, "publish", k)); k++) {
		if (port_taken(o->store, line, why, sizeof(why), &e))
			cfs_die(CFS_EXIT_FAILURE, 0, "publish %s: host port taken: %s",
				line, why);
		free(line);
	}
	/* the lowest free address */
	for (i = 2, rc = -EEXIST; i <= hosts(&n4) && rc == -EEXIST; i++) {
		host(&n4, i, a, ip4);
		if ((rc = cfs_lease_take(o->store, ip4, &e)) && rc != -EEXIST)
			cfs_die_err(&e);
	}
	if (rc)
		cfs_die(CFS_EXIT_FAILURE, 0, "lease an address in %s: all %lu "
			"taken", o->subnet, hosts(&n4) - 1);
	i--;
	host(&n6, i, a, ip6);
	/* the host's end is named for the address: unique while leased */
	host(&n4, i, a, ip4);
	snprintf(veth, sizeof(veth), "vcfs%02x%02x%02x%02x", a[0], a[1], a[2],
		 a[3]);
	/* recorded before anything is made: what a kill leaves, gc finds */
	f = open_memstream(&text, &len);
	if (t->pid)
		fprintf(f, "pid=%d\n", t->pid);
	else
		fprintf(f, "nsfile=%s\n", t->path);
	fprintf(f, "netns=%lu\nbridge=%s\nveth=%s\nip=%s/%d\n", t->ino,
		o->bridge, veth, ip4, n4.prefix);
	if (!o->no_ipv6)
		fprintf(f, "ip6=%s/%d\n", ip6, n6.prefix);
	if (o->etc)
		fprintf(f, "etc=%s\n", o->etc);
	fputs(lines, f);
	fclose(f);
	if (cfs_lease_write(o->store, ip4, text, &e))
		goto fail;

	if (!(nl = cfs_nl_open(-1, &e)))
		goto fail;
	/* the bridge's elements and the ports into L, one transaction;
	 * forwarding's rules (turned on now) into TEXT */
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	rc = master = make_bridge(o, &n4, &n6, nl, &l, &e);
	if (master > 0)
		rc = forwarding(o->store, 0, f, &e);
	/* IPv6 forwarding only for IPv6 containers: turned on, it makes
	 * every link of the host ignore router advertisements */
	if (!rc && !o->no_ipv6)
		rc = forwarding(o->store, 1, f, &e);
	if (!rc)
		rc = cfs_nl_veth(nl, veth, master, "eth0", t->fd, &e);
	cfs_nl_close(nl);
	for (int k = 0; (line = cfs_lease_get(lines, "publish", k)); k++) {
		publish_elements(&l, line, ip4, o->no_ipv6 ? NULL : ip6, 0);
		free(line);
	}
	fclose(f);
	if (rc || (rc = inside(t, &n4, &n6, i, !o->no_ipv6, &e)))
		goto fail;
	if (o->etc && write_etc(o, t, ip4, o->no_ipv6 ? NULL : ip6, &e))
		goto fail;
	f = open_memstream(&masq, &len);
	masquerade(o, f);
	fclose(f);
	rc = container_rules(text, &l, masq, &e);
	free(masq);
	free_elems(&l);
	if (rc)
		goto fail;
	free(text);
	free(lines);
	close(lock);
	/* gone containers found above: their veths, now that ours is made */
	if (n_held && finish_later(o->store, held, n_held, t->fd, &e))
		cfs_die_err(&e);
	if (pidfd >= 0)
		watch(o, t, pidfd);
	return 0;
fail:
	if (release(o->store, ip4, &e2) == 0)
		remove_all(o->store, &e2);
	cfs_die_err(&e);
}

/* --publish for CNI: the portMappings capability argument, as the
 * portmap plugin takes it. */
static json_t *port_mappings(const char *lines)
{
	json_t *maps = json_array(), *m;
	char *line, proto[8], ip[64];
	long hport, cport;

	for (int k = 0; (line = cfs_lease_get(lines, "publish", k)); k++) {
		if (sscanf(line, "%7s %63s %ld %ld", proto, ip, &hport, &cport) == 4 &&
		    (m = json_pack("{s:I, s:I, s:s}", "hostPort", (json_int_t)hport,
				   "containerPort", (json_int_t)cport, "protocol", proto))) {
			if (strcmp(ip, "0.0.0.0"))
				json_object_set_new(m, "hostIP", json_string(ip));
			json_array_append_new(maps, m);
		}
		free(line);
	}
	return json_pack("{s:o}", "portMappings", maps);
}

/* CNI_ARGS: "KEY=VALUE" pairs joined by ";", as cnitool takes them. */
static void check_cni_args(const char *args)
{
	for (const char *p = args; p && *p;) {
		size_t n = strcspn(p, ";"), k = strcspn(p, "=");
		if (k == 0 || k + 1 >= n || memchr(p + k + 1, '=', n - k - 1))
			cfs_die(CFS_EXIT_FAILURE, 0, "--cni-args %s: not "
				"KEY=VALUE;KEY=VALUE...", args);
		p += n + (p[n] == ';');
	}
}

/* --etc for CNI: the addresses of ADD's RESULT in hosts. */
static int cni_etc(const struct options *o, const struct target *t,
		   json_t *result, struct cfs_err *e)
{
	char ip4[INET6_ADDRSTRLEN] = "", ip6[INET6_ADDRSTRLEN] = "";
	json_t *ip;
	size_t i;

	json_array_foreach(json_object_get(result, "ips"), i, ip) {
		const char *a = json_string_value(json_object_get(ip, "address"));
		char *buf = a && strchr(a, ':') ? ip6 : ip4;
		if (a && !*buf)
			snprintf(buf, INET6_ADDRSTRLEN, "%.*s", (int)strcspn(a, "/"), a);
	}
	if (!*ip4)
		return write_etc(o, t, ip6, NULL, e);
	return write_etc(o, t, ip4, *ip6 ? ip6 : NULL, e);
}

/* attach --cni NETWORK: ADD, the result on stdout. Recorded first, as a
 * lease naming the container (what --gc and detach find) and a cache
 * with the configuration (what DEL needs), before any plugin runs. */
static int cni_attach(const struct options *o, const char *arg)
{
	struct target target = { .fd = -1 }, *t = &target;
	struct cfs_cni c = { .path = o->cni_path, .ifname = o->cni_ifname,
			     .args = o->cni_args, .hold_fd = -1 };
	char id[64], name[512], kept[600], *lines = NULL, *text = NULL, *line;
	char why[256];
	json_t *result = NULL;
	struct mnl_socket *nl;
	struct cfs_err e, e2;
	struct held *held = NULL;
	int lock, rc, n_held = 0;
	size_t len;
	FILE *f;

	check_cni_args(o->cni_args);
	if (!*c.ifname || strlen(c.ifname) >= IFNAMSIZ || strchr(c.ifname, '/'))
		cfs_die(CFS_EXIT_FAILURE, 0, "--cni-ifname %s: not an interface "
			"name", c.ifname);
	f = open_memstream(&lines, &len);
	for (const char **p = o->publish; p && *p; p++)
		if (publish_lines(*p, f))
			cfs_die(CFS_EXIT_FAILURE, 0, "--publish %s: not "
				"[HOSTIP:]HOSTPORT[-END]:CTRPORT[-END][/tcp|/udp] "
				"with ranges of one length", *p);
	fclose(f);
	if (cfs_cni_load(o->cni_conf_dir, o->cni, &c.list, &e))
		cfs_die_err(&e);
	if (*lines && !cfs_cni_has_capability(c.list, "portMappings"))
		cfs_die(CFS_EXIT_FAILURE, 0, "--publish: no plugin of CNI network "
			"%s has the capability portMappings", o->cni);
	if (*lines)
		c.caps = port_mappings(lines);
	open_target(arg, t);
	snprintf(id, sizeof(id), "cfs-%lu", t->ino);
	c.id = o->id ? o->id : id;
	/* a plugin fails on it, and the DEL that undoes its ADD would
	 * delete it: whoever made it */
	if ((nl = cfs_nl_open(t->fd, &e)) && (rc = cfs_nl_link_index(nl, c.ifname, &e)) > 0)
		cfs_die(CFS_EXIT_FAILURE, 0, "%s: has an interface %s already",
			t->path, c.ifname);
	if (!nl || rc < 0)
		cfs_die_err(&e);
	cfs_nl_close(nl);

	if ((lock = lock_store(o->store, &e)) < 0 ||
	    collect(o->store, NULL, &held, &n_held, &e))
		cfs_die_err(&e);
	for (int k = 0; (line = cfs_lease_get(lines, "publish", k)); k++) {
		if (port_taken(o->store, line, why, sizeof(why), &e))
			cfs_die(CFS_EXIT_FAILURE, 0, "publish %s: host port taken: %s",
				line, why);
		free(line);
	}
	snprintf(name, sizeof(name), "cni-%s-%s-%s", o->cni, c.id, c.ifname);
	if ((rc = cfs_lease_take(o->store, name, &e)) == -EEXIST)
		cfs_die(CFS_EXIT_FAILURE, 0, "%s: attached already to CNI network "
			"%s as %s on %s", t->path, o->cni, c.id, c.ifname);
	if (rc)
		cfs_die_err(&e);
	f = open_memstream(&text, &len);
	if (t->pid)
		fprintf(f, "pid=%d\n", t->pid);
	else
		fprintf(f, "nsfile=%s\n", t->path);
	snprintf(kept, sizeof(kept), "%s/netns/%s", o->store, name);
	fprintf(f, "netns=%lu\ncni=%s\nid=%s\nifname=%s\ncni-path=%s\npin=%s\n%s",
		t->ino, o->cni, c.id, c.ifname, c.path, kept, lines);
	if (o->etc)
		fprintf(f, "etc=%s\n", o->etc);
	fclose(f);
	c.netns = kept;
	c.hold_fd = lock;
	if (cfs_lease_write(o->store, name, text, &e) ||
	    pin(o->store, kept, t->fd, &e) ||
	    cfs_cni_cache_write(o->store, &c, NULL, &e))
		goto undo;
	/* a plugin failed: cfs_cni_add has run DEL */
	if (cfs_cni_add(&c, &result, &e))
		goto undo;
	if (cfs_cni_cache_write(o->store, &c, result, &e) ||
	    (o->etc && cni_etc(o, t, result, &e))) {
		release(o->store, name, &e2);
		cfs_die_err(&e);
	}
	json_dumpf(result, stdout, JSON_INDENT(4));
	putchar('\n');
	json_decref(result);
	json_decref(c.list);
	json_decref(c.caps);
	free(text);
	free(lines);
	close(lock);
	/* gone containers found above: their veths, now that ours is made */
	if (n_held && finish_later(o->store, held, n_held, t->fd, &e))
		cfs_die_err(&e);
	return 0;
undo:
	cfs_cni_cache_remove(o->store, o->cni, c.id, c.ifname, &e2);
	unpin(kept);
	cfs_lease_remove(o->store, name, &e2);
	cfs_die_err(&e);
}

/* check [--cni NETWORK]: CHECK every CNI attachment of the container
 * (of that network), with the result its ADD cached. */
static int cni_check(const struct options *o, const char *arg)
{
	struct target t = { .fd = -1, .cni = o->cni, .id = o->id };
	char **names, *text, *net, *id, *ifname, *path, args[4096], ns[600];
	struct held *held = NULL;
	struct cfs_cni c;
	json_t *cache, *prev;
	struct cfs_err e;
	int lock, n = 0, n_held = 0;

	open_target(arg, &t);
	t.pid = 0; /* by its namespace: a PID of it may not be its first */
	if ((lock = lock_store(o->store, &e)) < 0 ||
	    collect(o->store, NULL, &held, &n_held, &e) ||
	    cfs_lease_list(o->store, &names, &e))
		cfs_die_err(&e);
	for (char **l = names; *l; l++) {
		if (cfs_lease_read(o->store, *l, &text, &e))
			cfs_die_err(&e);
		net = cfs_lease_get(text, "cni", 0);
		if (net && is_mine(text, &t)) {
			id = cfs_lease_get(text, "id", 0);
			ifname = cfs_lease_get(text, "ifname", 0);
			path = cfs_lease_get(text, "cni-path", 0);
			memset(&c, 0, sizeof(c));
			c.hold_fd = lock;
			if (!id || !ifname ||
			    cfs_cni_cache_read(o->store, net, id, ifname, &cache, &e) ||
			    cfs_cni_from_cache(cache, &c, args, sizeof(args), &prev, &e))
				cfs_die(CFS_EXIT_FAILURE, 0, "CHECK network %s: no "
					"cache of its ADD in %s", net, o->store);
			c.path = path ? path : o->cni_path;
			c.netns = lease_netns(text, ns, sizeof(ns));
			if (cfs_cni_check(&c, prev, &e))
				cfs_die_err(&e);
			n++;
			json_decref(cache);
			free(id);
			free(ifname);
			free(path);
		}
		free(net);
		free(text);
	}
	cfs_lease_list_free(names);
	if (!n)
		cfs_die(CFS_EXIT_FAILURE, 0, "%s: on no CNI network%s%s", t.path,
			o->cni ? " named " : "", o->cni ? o->cni : "");
	close(lock);
	if (n_held && finish(o->store, held, n_held, &e))
		cfs_die_err(&e);
	return 0;
}

/* --mode: bridge as root (of the host's network); else pasta, or
 * slirp4netns where pasta is missing. 1: one of those two, in PATH
 * (into PATH; with no PATH, the program is not looked for). */
static int usermode(struct options *o, char *path, size_t len)
{
	if (!o->mode)
		o->mode = cfs_usernet_needed() ? "user" : "bridge";
	if (!strcmp(o->mode, "bridge"))
		return 0;
	if (strcmp(o->mode, "user") && strcmp(o->mode, "pasta") &&
	    strcmp(o->mode, "slirp4netns"))
		cfs_die(CFS_EXIT_FAILURE, 0, "--mode %s: not bridge, pasta or "
			"slirp4netns", o->mode);
	if (!path)
		return 1;
	if (strcmp(o->mode, "slirp4netns") &&
	    cfs_usernet_find("pasta", path, len) == 0) {
		o->mode = "pasta";
		return 1;
	}
	if (strcmp(o->mode, "pasta") &&
	    cfs_usernet_find("slirp4netns", path, len) == 0) {
		o->mode = "slirp4netns";
		return 1;
	}
	cfs_die(CFS_EXIT_FAILURE, 0, "%s not found in PATH (Debian packages "
		"passt and slirp4netns)", !strcmp(o->mode, "user") ?
		"neither pasta nor slirp4netns" : o->mode);
}

/* The container a user's detach names: its PID, or (0) the inode of
 * its network namespace file, into INO (0: the file is gone, and so is
 * the program, which ended with it). */
static pid_t user_target(const char *arg, unsigned long *ino)
{
	struct stat st;
	long pid;

	*ino = 0;
	if (!arg)
		cfs_die(CFS_EXIT_FAILURE, 0, "no container: give its PID or "
			"network namespace file, or run under cfs-unshare "
			"--setup, which sets CFS_PID");
	if (cfs_parse_long(arg, 1, INT32_MAX, &pid) == 0)
		return pid;
	if (stat(arg, &st) == 0)
		*ino = st.st_ino;
	else if (errno != ENOENT)
		cfs_die(CFS_EXIT_FAILURE, errno, "stat %s", arg);
	return 0;
}

/* The DNS forwarders: slirp4netns' default, and the one we give pasta
 * (podman's). The container's resolv.conf (--etc) names them. */
#define SLIRP4NETNS_DNS "10.0.2.3"
#define PASTA_DNS "169.254.1.1"

/* The command line of pasta or slirp4netns for container T, into ARGV
 * (room for 26 + 2 a port), its strings in BUF; SOCK the API socket of
 * slirp4netns, or NULL. As podman runs them. */
static void usernet_command(const char *program, int slirp4netns,
			    const struct cfs_usernet_target *t,
			    const struct cfs_usernet_port *ports, int n,
			    const char *sock, const char **argv, char (*buf)[96])
{
	int a = 0, b = 0, tcp = 0, udp = 0;

	argv[a++] = program;
	if (slirp4netns) {
		argv[a++] = "--configure";
		argv[a++] = "--mtu=65520";
		/* the host's 127.0.0.1 is not the container's, as with
		 * the bridge (podman's default too) */
		argv[a++] = "--disable-host-loopback";
		snprintf(buf[b], sizeof(*buf), "--ready-fd=%d", CFS_USERNET_READY_FD);
		argv[a++] = buf[b++];
		if (sock) {
			argv[a++] = "--api-socket";
			argv[a++] = sock;
		}
		argv[a++] = "--netns-type=path";
		if (*t->userns) {
			snprintf(buf[b], sizeof(*buf), "--userns-path=%s", t->userns);
			argv[a++] = buf[b++];
		}
		argv[a++] = t->netns;
		argv[a++] = "eth0";
		argv[a] = NULL;
		return;
	}
	/* in the foreground, as the keeper's child; quiet but for errors */
	argv[a++] = "--foreground";
	argv[a++] = "--quiet";
	argv[a++] = "--config-net";
	argv[a++] = "--ns-ifname";
	argv[a++] = "eth0";
	/* the gateway is the gateway, not the host (podman's default) */
	argv[a++] = "--no-map-gw";
	/* DNS to this address goes to the host's resolver, wherever it is
	 * (podman's address); Debian's pasta has no default */
	argv[a++] = "--dns-forward";
	argv[a++] = PASTA_DNS;
	/* its PID file is the pipe that says it is up */
	snprintf(buf[b], sizeof(*buf), "/dev/fd/%d", CFS_USERNET_READY_FD);
	argv[a++] = "--pid";
	argv[a++] = buf[b++];
	for (int i = 0; i < n; i++) {
		argv[a++] = ports[i].udp ? "--udp-ports" : "--tcp-ports";
		snprintf(buf[b], sizeof(*buf), "%s%s%u:%u", ports[i].addr,
			 *ports[i].addr ? "/" : "", ports[i].host, ports[i].ctr);
		argv[a++] = buf[b++];
		*(ports[i].udp ? &udp : &tcp) = 1;
	}
	/* nothing else forwarded either way: pasta's default, auto, would
	 * publish every port the container binds, and give it the host's
	 * loopback */
	if (!tcp) {
		argv[a++] = "--tcp-ports";
		argv[a++] = "none";
	}
	if (!udp) {
		argv[a++] = "--udp-ports";
		argv[a++] = "none";
	}
	argv[a++] = "--tcp-ns";
	argv[a++] = "none";
	argv[a++] = "--udp-ns";
	argv[a++] = "none";
	if (*t->userns) {
		argv[a++] = "--userns";
		argv[a++] = t->userns;
	}
	argv[a++] = "--netns";
	argv[a++] = t->netns;
	argv[a] = NULL;
}

/* --etc DIR of user mode: the container's address as the program set
 * it up (slirp4netns' 10.0.2.100, pasta's the host's), and its DNS
 * forwarder. The keeper removes them when the container ends; if it
 * has ended already, we do. */
static void user_etc(const struct options *o, struct cfs_usernet *u,
		     int slirp4netns)
{
	char ip4[INET6_ADDRSTRLEN], ip6[INET6_ADDRSTRLEN], name[65], path[600];
	struct cfs_err e, ignore;

	if (cfs_usernet_inside(&u->target, ip4, ip6, name, &e) ||
	    write_names(o, o->hostname ? o->hostname : name, ip4, ip6,
			slirp4netns ? SLIRP4NETNS_DNS : PASTA_DNS, &e)) {
		cfs_usernet_stop(u->target.pid, u->target.ino, &ignore);
		cfs_die_err(&e);
	}
	if (waitpid(u->keeper, NULL, WNOHANG) == u->keeper) {
		snprintf(path, sizeof(path), "%s/hosts", o->etc);
		unlink(path);
		snprintf(path, sizeof(path), "%s/resolv.conf", o->etc);
		unlink(path);
		rmdir(o->etc);
	}
}

/* attach as an ordinary user: pasta or slirp4netns, which live as long
 * as the container (lib/net/usermode.h); nothing kept on disk. */
static int user_attach(const struct options *o, const char *program,
		       const char *arg)
{
	struct target target = { .fd = -1 };
	struct cfs_usernet_port ports[64];
	int slirp4netns = !strcmp(o->mode, "slirp4netns");
	struct cfs_usernet u = { .ports = ports, .ready_byte = slirp4netns };
	char *lines = NULL, *line, proto[8], ip[INET6_ADDRSTRLEN];
	char dir[256] = "", sock[300] = "", buf[8 + 64][96];
	const char *argv[26 + 2 * 64];
	int rc;
	long hport, cport;
	struct cfs_err e;
	size_t len;
	FILE *f;

	f = open_memstream(&lines, &len);
	for (const char **p = o->publish; p && *p; p++)
		if (publish_lines(*p, f))
			cfs_die(CFS_EXIT_FAILURE, 0, "--publish %s: not "
				"[HOSTIP:]HOSTPORT[-END]:CTRPORT[-END][/tcp|/udp] "
				"with ranges of one length", *p);
	fclose(f);
	if (cfs_usernet_settle(&e))
		cfs_die_err(&e);
	for (int k = 0; (line = cfs_lease_get(lines, "publish", k)); k++) {
		char why[256];

		if (port_free(line, why, sizeof(why)))
			cfs_die(CFS_EXIT_FAILURE, 0, "publish %s: host port taken: %s",
				line, why);
		if (k == 64)
			cfs_die(CFS_EXIT_FAILURE, 0, "--publish: 64 ports at most "
				"with %s", o->mode);
		sscanf(line, "%7s %45s %ld %ld", proto, ip, &hport, &cport);
		ports[k] = (struct cfs_usernet_port){ .udp = !strcmp(proto, "udp"),
						      .host = hport, .ctr = cport };
		if (strcmp(ip, "0.0.0.0"))
			snprintf(ports[k].addr, sizeof(ports[k].addr), "%s", ip);
		u.n_ports = k + 1;
		free(line);
	}
	free(lines);
	/* by PID, or by a namespace file, which the program joins by the
	 * keeper's fd (lib/net/usermode.h) */
	open_target(arg, &target);
	if (target.pid)
		close(target.fd);
	if (cfs_usernet_target(&u.target, target.pid, target.path,
			       target.pid ? -1 : target.fd, &e))
		cfs_die_err(&e);
	if (slirp4netns && u.n_ports) {
		/* its API socket, a moment, in a directory of ours alone */
		snprintf(dir, sizeof(dir), "%s/cfs-net.XXXXXX",
			 getenv("XDG_RUNTIME_DIR") ?: "/tmp");
		if (!mkdtemp(dir))
			cfs_die(CFS_EXIT_FAILURE, errno, "mkdtemp %s", dir);
		snprintf(sock, sizeof(sock), "%s/api.sock", dir);
		u.api_socket = sock;
	}
	usernet_command(program, slirp4netns, &u.target, ports, u.n_ports,
			u.api_socket, argv, buf);
	u.argv = argv;
	if (o->etc && own_dir(o->etc, &e))
		cfs_die_err(&e);
	u.etc = o->etc;
	rc = cfs_usernet_start(&u, &e);
	if (*dir) {
		unlink(sock);
		rmdir(dir);
	}
	if (rc)
		cfs_die_err(&e);
	if (o->etc)
		user_etc(o, &u, slirp4netns);
	return 0;
}

int main(int argc, const char **argv)
{
	struct options o = { .bridge = "cfs0", .subnet = "10.73.0.0/24",
			     .subnet6 = "fd73:cf5:cf5::/64", .store = "/run/cfs/net",
			     .cni_conf_dir = "/etc/cni/net.d", .cni_path = "/usr/lib/cni",
			     .cni_ifname = "eth0" };
	struct poptOption options[] = {
		{ "publish", 'p', POPT_ARG_ARGV, &o.publish, 0,
		  "attach: forward host port HOSTPORT (on HOSTIP, [IPV6] in "
		  "brackets, or every address of the host, 127.0.0.1 too) to "
		  "CTRPORT in the container; ranges as 8000-8009:80-89; "
		  "repeatable",
		  "[HOSTIP:]HOSTPORT:CTRPORT[/tcp|/udp]" },
		{ "bridge", 0, POPT_ARG_STRING, &o.bridge, 0,
		  "attach: the bridge, made if missing (default cfs0)", "NAME" },
		{ "subnet", 0, POPT_ARG_STRING, &o.subnet, 0,
		  "attach: the bridge's IPv4 network (default 10.73.0.0/24)",
		  "ADDRESS/PREFIX" },
		{ "subnet6", 0, POPT_ARG_STRING, &o.subnet6, 0,
		  "attach: the bridge's IPv6 network (default "
		  "fd73:cf5:cf5::/64)", "ADDRESS/PREFIX" },
		{ "no-ipv6", 0, POPT_ARG_NONE, &o.no_ipv6, 0,
		  "attach: IPv4 only", NULL },
		{ "etc", 0, POPT_ARG_STRING, &o.etc, 0,
		  "attach: write the container's hosts and resolv.conf into "
		  "DIR, for cfs-pivot to bind-mount", "DIR" },
		{ "hostname", 0, POPT_ARG_STRING, &o.hostname, 0,
		  "attach: the name for the container's address in DIR/hosts "
		  "(default: the container's hostname)", "NAME" },
		{ "dns", 0, POPT_ARG_ARGV, &o.dns, 0,
		  "attach: a nameserver for DIR/resolv.conf, instead of the "
		  "host's; repeatable", "ADDRESS" },
		{ "mode", 0, POPT_ARG_STRING, &o.mode, 0,
		  "bridge (root's default), pasta (an ordinary user's), or "
		  "slirp4netns (where pasta is missing)", "MODE" },
		{ "store", 0, POPT_ARG_STRING, &o.store, 0,
		  "where leases are kept (default /run/cfs/net)", "DIR" },
		{ "cni", 0, POPT_ARG_STRING, &o.cni, 0,
		  "attach: run the CNI network NAME's plugins instead (ADD); "
		  "detach, check: only NAME's attachments", "NAME" },
		{ "cni-conf-dir", 0, POPT_ARG_STRING, &o.cni_conf_dir, 0,
		  "where CNI networks are found (default /etc/cni/net.d)", "DIR" },
		{ "cni-path", 0, POPT_ARG_STRING, &o.cni_path, 0,
		  "where CNI plugins are found (default /usr/lib/cni)",
		  "DIR[:DIR...]" },
		{ "cni-args", 0, POPT_ARG_STRING, &o.cni_args, 0,
		  "attach --cni: CNI_ARGS for the plugins", "KEY=VALUE[;KEY=VALUE...]" },
		{ "cni-ifname", 0, POPT_ARG_STRING, &o.cni_ifname, 0,
		  "attach --cni: the interface in the container (default eth0)",
		  "NAME" },
		{ "id", 0, POPT_ARG_STRING, &o.id, 0,
		  "attach --cni: the CNI container id (default cfs-INODE, of the "
		  "network namespace); detach, check: only ID's attachments", "ID" },
		{ "gc", 0, POPT_ARG_NONE, &o.gc, 0,
		  "remove what belongs to containers that are gone, and exit",
		  NULL },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char *cmd = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
	poptContext ctx = cmd ? cfs_popt_context(argc - 1, argv + 1, options)
			      : cfs_popt_context(argc, argv, options);
	const char **args, *arg;
	char program[4096];
	struct target t = { .fd = -1 };
	struct held *held = NULL;
	struct cfs_err e;
	int rc, lock, n_held = 0;

	poptSetOtherOptionHelp(ctx, "attach|detach|check [OPTION...] [PID|NSFILE]\n"
				    "  or:  cfs-net --gc");
	while ((rc = poptGetNextOpt(ctx)) > 0)
		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
	cfs_popt_check(ctx, rc);
	args = cfs_popt_args(ctx);
	if (o.gc) {
		if (cmd || args[0])
			cfs_usage_error("--gc takes no command and no container");
		if ((lock = lock_store(o.store, &e)) < 0 ||
		    collect(o.store, NULL, &held, &n_held, &e))
			cfs_die_err(&e);
		close(lock);
		if (finish(o.store, held, n_held, &e))
			cfs_die_err(&e);
		return kept_leases ? CFS_EXIT_FAILURE : 0;
	}
	if (!cmd)
		cfs_usage_error("no command: attach, detach, check or --gc");
	if (strcmp(cmd, "attach") && strcmp(cmd, "detach") && strcmp(cmd, "check"))
		cfs_usage_error("%s: not a command (attach, detach, check, --gc)", cmd);
	if (o.cni && (!cfs_cni_valid_name(o.cni) || strlen(o.cni) > 100))
		cfs_usage_error("--cni %s: not a CNI network name (up to 100 "
				"letters, digits, _ . -, the first no _ . -)", o.cni);
	if (o.id && (!cfs_cni_valid_name(o.id) || strlen(o.id) > 63))
		cfs_usage_error("--id %s: not a CNI container id (up to 63 "
				"letters, digits, _ . -, the first no _ . -)", o.id);
	if (args[0] && args[1])
		cfs_usage_error("one container only, not %s and %s", args[0], args[1]);
	arg = args[0] ? args[0] : getenv("CFS_PID");
	o.watch = !args[0];
	/* CNI (attach --cni, check) runs the network's own plugins: no mode
	 * of ours, and no pasta for an ordinary user */
	if (o.cni || !strcmp(cmd, "check")) {
		if (o.mode)
			cfs_usage_error("--mode %s: not with --cni or check", o.mode);
	} else if (usermode(&o, strcmp(cmd, "attach") ? NULL : program,
			    sizeof(program))) {
		if (!strcmp(cmd, "attach"))
			return user_attach(&o, program, arg);
		/* the keeper ends the program; once the container is
		 * gone, it has */
		unsigned long ino;
		pid_t pid = user_target(arg, &ino);

		if ((rc = cfs_usernet_stop(pid, ino, &e)) < 0)
			cfs_die_err(&e);
		return 0;
	}
	if (!strcmp(cmd, "attach"))
		return o.cni ? cni_attach(&o, arg) : attach(&o, arg);
	if (!strcmp(cmd, "check"))
		return cni_check(&o, arg);
	/* detach: the container may be gone already (cfs-unshare --teardown) */
	t.cni = o.cni;
	t.id = o.id;
	if (!arg && !o.id)
		open_target(arg, &t);
	if (arg && cfs_parse_long(arg, 1, INT32_MAX, &(long){ 0 }) == 0)
		t.pid = atoi(arg);
	else if (arg) {
		struct stat st;
		if (stat(arg, &st) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "stat %s", arg);
		t.ino = st.st_ino;
	}
	if ((lock = lock_store(o.store, &e)) < 0 ||
	    collect(o.store, &t, &held, &n_held, &e))
		cfs_die_err(&e);
	close(lock);
	if (finish(o.store, held, n_held, &e))
		cfs_die_err(&e);
	cfs_popt_free(ctx);
	return 0;
}
