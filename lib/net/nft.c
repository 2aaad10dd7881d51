/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nft.c: nftables through libnftables (commands: tables, chains, rules)
 * and libnftnl (set elements, the one change every container makes);
 * see net.h. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "net.h"

/* libnftables, loaded when a command is first run, not at every exec:
 * linked, it and what it links (libxtables, libgmp) cost each exec 0.5
 * ms here (1.70 against 1.20 ms), while most of a container's changes
 * are elements added or removed, through libnftnl. */
#define NFT_FUNCS(X) X(nft_ctx_new) X(nft_ctx_free) X(nft_ctx_buffer_output) \
	X(nft_ctx_buffer_error) X(nft_run_cmd_from_buffer) \
	X(nft_ctx_get_error_buffer) X(nft_ctx_get_output_buffer)
#define NFT_POINTER(f) typeof(f) *f;
static struct {
	void *lib;
	NFT_FUNCS(NFT_POINTER)
} so;

static int load(struct cfs_err *e)
{
	if (so.lib)
		return 0;
	if (!(so.lib = dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL)))
		return cfs_fail(e, ENOENT, "load libnftables.so.1: %s", dlerror());
#define NFT_LOOKUP(f) \
	if (!(so.f = dlsym(so.lib, #f))) \
		return cfs_fail(e, ENOENT, "libnftables.so.1: no " #f);
	NFT_FUNCS(NFT_LOOKUP)
	return 0;
}

/* One context for the process: making one reads nft's files (iproute2's
 * names, connlabels) and opens its sockets, about 1 ms each time. It
 * lives until the process ends. */
static struct nft_ctx *nft;

static int ready(struct cfs_err *e)
{
	int rc;

	if (!nft) {
		if ((rc = load(e)))
			return rc;
		if (!(nft = so.nft_ctx_new(NFT_CTX_DEFAULT)))
			return cfs_fail(e, ENOMEM, "nft");
		so.nft_ctx_buffer_output(nft);
		so.nft_ctx_buffer_error(nft);
	}
	return 0;
}

/* The socket for elements, also one for the process: closing a
 * netfilter socket waits until the kernel has freed what a deletion
 * released (an RCU grace period, 4 ms here), and the store's lock must
 * not be held that long. It is closed at exit, or by cfs_nft_free. */
static struct mnl_socket *elements_nl;

void cfs_nft_free(void)
{
	if (nft)
		so.nft_ctx_free(nft);
	nft = NULL;
	if (elements_nl)
		mnl_socket_close(elements_nl);
	elements_nl = NULL;
}

/* Run CMDS; with QUIET, a failure is only -ENOENT and no message. */
static int run(const char *cmds, bool quiet, struct cfs_err *e)
{
	const char *err, *line;
	int rc;

	if ((rc = ready(e)))
		return rc;
	rc = so.nft_run_cmd_from_buffer(nft, cmds);
	if (rc && !quiet) {
		err = so.nft_ctx_get_error_buffer(nft);
		/* "Error: Could not process rule: ...\n<the command>\n^^^" */
		line = strncmp(err, "Error: ", 7) ? err : err + 7;
		cfs_fail(e, 0, "nft: %.*s", (int)strcspn(line, "\n"), line);
	}
	/* read, and so emptied, even when not shown */
	so.nft_ctx_get_error_buffer(nft);
	so.nft_ctx_get_output_buffer(nft);
	return rc ? (quiet ? -ENOENT : -EINVAL) : 0;
}

int cfs_nft(const char *cmds, struct cfs_err *e)
{
	return run(cmds, false, e);
}

int cfs_nft_exists(const char *object, struct cfs_err *e)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "list %s", object);
	return run(cmd, true, e) == 0;
}

void cfs_nft_put(struct cfs_nft_value *v, const void *bytes, size_t n)
{
	/* each part of a concatenation fills whole 32-bit registers */
	size_t padded = (n + 3) & ~(size_t)3;

	/* no key or value of ours comes near: the longest is 24 bytes */
	if (v->len + padded > sizeof(v->bytes))
		return;
	memcpy(v->bytes + v->len, bytes, n);
	memset(v->bytes + v->len + n, 0, padded - n);
	v->len += padded;
}

/* The message, into BUF, that adds (ADD) or deletes element EL. */
static void elem_message(char *buf, int family, const char *table, bool add,
			 const struct cfs_nft_elem *el, uint32_t seq)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *x = nftnl_set_elem_alloc();
	struct nlmsghdr *nlh;

	nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, el->set);
	nftnl_set_elem_set(x, NFTNL_SET_ELEM_KEY, el->key.bytes, el->key.len);
	if (add && el->jump) {
		nftnl_set_elem_set_u32(x, NFTNL_SET_ELEM_VERDICT, NFT_JUMP);
		nftnl_set_elem_set_str(x, NFTNL_SET_ELEM_CHAIN, el->jump);
	} else if (add && el->data.len)
		nftnl_set_elem_set(x, NFTNL_SET_ELEM_DATA, el->data.bytes,
				   el->data.len);
	nftnl_set_elem_add(s, x);
	nlh = nftnl_nlmsg_build_hdr(buf, add ? NFT_MSG_NEWSETELEM
					     : NFT_MSG_DELSETELEM, family,
				    add ? NLM_F_CREATE : 0, seq);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
}

/* Each element is a message of its own in the batch, so that a failure
 * names the set. The kernel handles a batch while we send it: once the
 * send returns, an error of each message that failed is queued, and
 * nothing for one that did not (no ack asked: thousands of ports would
 * overflow the socket). */
int cfs_nft_elements(int family, const char *table, bool add,
		     const struct cfs_nft_elem *el, size_t n, struct cfs_err *e)
{
	/* at most 128 bytes a message here; the batch's two, and room */
	size_t size = (n + 2) * 256, reply_size = MNL_SOCKET_BUFFER_SIZE;
	char *buf = malloc(size), *reply = malloc(reply_size);
	uint32_t seq = time(NULL), first = seq + 1;
	struct mnl_nlmsg_batch *b = NULL;
	struct mnl_socket *nl = elements_nl;
	int rc = 0, bufsize = size, len;

	if (!buf || !reply) {
		rc = cfs_fail(e, ENOMEM, "nft");
		goto out;
	}
	if (!nl) {
		if (!(nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC)) ||
		    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
			rc = cfs_fail(e, errno, "nft: open a netlink socket");
			if (nl)
				mnl_socket_close(nl);
			goto out;
		}
		/* errors without a copy of the message */
		mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &(int){ 1 },
				      sizeof(int));
		elements_nl = nl;
	}
	/* a batch of many ports past the socket's default buffer (root
	 * may raise it, as nft does) */
	if (size > 200000)
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE,
			   &bufsize, sizeof(bufsize));
	b = mnl_nlmsg_batch_start(buf, size);
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq);
	mnl_nlmsg_batch_next(b);
	for (size_t i = 0; i < n; i++) {
		elem_message(mnl_nlmsg_batch_current(b), family, table, add,
			     &el[i], first + i);
		mnl_nlmsg_batch_next(b);
	}
	nftnl_batch_end(mnl_nlmsg_batch_current(b), first + n);
	mnl_nlmsg_batch_next(b);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0) {
		rc = cfs_fail(e, errno, "nft: send");
		goto out;
	}
	while ((len = recv(mnl_socket_get_fd(nl), reply, reply_size,
			   MSG_DONTWAIT)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)reply;
		     mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(h);
			size_t i = h->nlmsg_seq - first;

			if (h->nlmsg_type != NLMSG_ERROR || !err->error || rc ||
			    i >= n)
				continue;
			rc = cfs_fail(e, -err->error, "nft: %s an element of "
				      "set %s of table %s", add ? "add" : "delete",
				      el[i].set, table);
		}
	}
	if (len < 0 && errno != EAGAIN && !rc)
		rc = cfs_fail(e, errno, "nft: receive");
out:
	if (b)
		mnl_nlmsg_batch_stop(b);
	free(buf);
	free(reply);
	return rc;
}
