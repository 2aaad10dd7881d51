/* SPDX-License-Identifier: GPL-2.0-or-later */
/* recvtty SOCKET: the receiving end of a console socket (runc's
 * protocol), for bench/run: listen on SOCKET, take the one pty master a
 * runtime sends, and copy what comes out of it to stdout until no slave
 * is open. The peer of cfs-unshare --tty's relay in the terminal
 * throughput case, without a terminal of its own. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	char name[4096], buf[65536];
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c;
	int s, conn, master = -1;
	ssize_t n;

	if (argc != 2 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: recvtty SOCKET\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(s, 1) < 0 || (conn = accept4(s, NULL, NULL, SOCK_CLOEXEC)) < 0 ||
	    recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0) {
		perror("recvtty");
		return 1;
	}
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&master, CMSG_DATA(c), sizeof(int));
	if (master < 0) {
		fprintf(stderr, "recvtty: no fd came\n");
		return 1;
	}
	while ((n = read(master, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && write(STDOUT_FILENO, buf, n) != n)
			return 1;
	return 0;
}
