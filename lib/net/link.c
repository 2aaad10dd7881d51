/* SPDX-License-Identifier: GPL-2.0-or-later */
/* link.c: links, addresses and routes through rtnetlink, with libmnl
 * building the messages (see net.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

struct mnl_socket *cfs_nl_open(int netns_fd, struct cfs_err *e)
{
	struct mnl_socket *nl = NULL;
	int self = -1, err = 0;

	/* a netlink socket speaks for the namespace it was made in */
	if (netns_fd >= 0) {
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0 || setns(netns_fd, CLONE_NEWNET) < 0) {
			err = errno;
			if (self >= 0)
				close(self);
			cfs_fail(e, err, "enter the container's network namespace");
			return NULL;
		}
	}
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		err = errno;
	else if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		mnl_socket_close(nl);
		nl = NULL;
	}
	if (self >= 0) {
		if (setns(self, CLONE_NEWNET) < 0 && !err) {
			/* cannot be: we came from there */
			err = errno;
			if (nl)
				mnl_socket_close(nl);
			nl = NULL;
		}
		close(self);
	}
	if (!nl)
		cfs_fail(e, err, "open a netlink socket");
	return nl;
}

void cfs_nl_close(struct mnl_socket *nl)
{
	if (nl)
		mnl_socket_close(nl);
}

/* Send NLH, with an ack asked for, and read the answer: CB for each
 * message of it (may be NULL). -errno with E saying WHAT. */
static int talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data, struct cfs_err *e, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int seq = nlh->nlmsg_seq = (unsigned int)time(NULL) ^ rand();
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int rc;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return cfs_fail(e, errno, "%s", what);
	do {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) < 0)
			return cfs_fail(e, errno, "%s", what);
		rc = mnl_cb_run(buf, n, seq, portid, cb, data);
	} while (rc > 0);
	return rc < 0 ? -errno : 0;
}

static struct nlmsghdr *link_msg(char *buf, int type, int flags, int index)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = index;
	return nlh;
}

static int get_index(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	*(int *)data = ifm->ifi_index;
	return MNL_CB_OK;
}

int cfs_nl_link_index(struct mnl_socket *nl, const char *name,
		      struct cfs_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, 0, 0);
	int index = 0, rc;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	rc = talk(nl, nlh, get_index, &index, e, "");
	if (rc == -ENODEV)
		return 0;
	if (rc < 0)
		return cfs_fail(e, -rc, "find link %s", name);
	return index;
}

int cfs_nl_bridge(struct mnl_socket *nl, const char *name, struct cfs_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct nlattr *info;
	int rc, index;

	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	rc = talk(nl, nlh, NULL, NULL, e, "");
	if (rc == 0)
		return 0;
	if (rc != -EEXIST)
		return cfs_fail(e, -rc, "create bridge %s", name);
	if ((index = cfs_nl_link_index(nl, name, e)) < 0)
		return index;
	return cfs_nl_link_up(nl, index, e) ?: 1;
}

int cfs_nl_veth(struct mnl_socket *nl, const char *host, int master,
		const char *peer, int netns_fd, struct cfs_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh), *peer_ifm;
	struct nlattr *info, *data, *peer_info;
	int rc;

	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, host);
	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	/* one queue each way, on both ends: what a veth uses anyway. Left
	 * to the kernel, it makes one per possible CPU and then cuts them
	 * to one, waiting for an expedited RCU grace period on each end */
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_info = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	peer_ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*peer_ifm));
	peer_ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, netns_fd);
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
	mnl_attr_nest_end(nlh, peer_info);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	if ((rc = talk(nl, nlh, NULL, NULL, e, "")) < 0)
		return cfs_fail(e, -rc, "create veth %s with %s in the container",
				host, peer);
	return 0;
}

int cfs_nl_link_up(struct mnl_socket *nl, int index, struct cfs_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, index);
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	int rc;

	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	if ((rc = talk(nl, nlh, NULL, NULL, e, "")) < 0)
		return cfs_fail(e, -rc, "set link %d up", index);
	return 0;
}

int cfs_nl_link_del(struct mnl_socket *nl, const char *name,
		    struct cfs_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_DELLINK, 0, 0);
	int rc;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	rc = talk(nl, nlh, NULL, NULL, e, "");
	if (rc < 0 && rc != -ENODEV)
		return cfs_fail(e, -rc, "delete link %s", name);
	return 0;
}

int cfs_nl_addr(struct mnl_socket *nl, int index, int family,
		const void *addr, int prefix, struct cfs_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	size_t len = family == AF_INET ? 4 : 16;
	struct ifaddrmsg *ifa;
	int rc;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefix;
	ifa->ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = index;
	mnl_attr_put(nlh, IFA_LOCAL, len, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, len, addr);
	rc = talk(nl, nlh, NULL, NULL, e, "");
	if (rc < 0 && rc != -EEXIST)
		return cfs_fail(e, -rc, "add an address to link %d", index);
	return 0;
}

int cfs_nl_default_route(struct mnl_socket *nl, int index, int family,
			 const void *gateway, struct cfs_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	int rc;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_GATEWAY, family == AF_INET ? 4 : 16, gateway);
	mnl_attr_put_u32(nlh, RTA_OIF, index);
	rc = talk(nl, nlh, NULL, NULL, e, "");
	if (rc < 0 && rc != -EEXIST)
		return cfs_fail(e, -rc, "add a default route (IPv%d)",
				family == AF_INET ? 4 : 6);
	return 0;
}

int cfs_sysctl(const char *path, const char *value, char *old,
	       struct cfs_err *e)
{
	char file[256], had[32];
	size_t len = strlen(value);
	int fd, err = 0;
	ssize_t n;

	snprintf(file, sizeof(file), "/proc/sys/%s", path);
	if ((fd = open(file, O_RDWR | O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "open %s", file);
	if ((n = read(fd, had, sizeof(had))) < 1)
		err = n < 0 ? errno : EIO;
	else if (old)
		*old = had[0];
	/* written only when it changes, as most calls find it set: a write
	 * of IPv6 forwarding, even unchanged, spins on rtnl_trylock and then
	 * walks every link of the namespace */
	if (!err && !((size_t)n == len + 1 && !memcmp(had, value, len) &&
		      had[len] == '\n') &&
	    (n = pwrite(fd, value, len, 0)) != (ssize_t)len)
		err = n < 0 ? errno : EIO;
	close(fd);
	return err ? cfs_fail(e, err, "write %s to %s", value, file) : 0;
}
