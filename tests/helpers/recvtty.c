/* SPDX-License-Identifier: GPL-2.0-or-later */
/* recvtty [-v] SOCKET: the receiving end of a console socket (runc's
 * protocol: one message on an AF_UNIX stream socket, the pty's master in
 * SCM_RIGHTS, the slave's name as the data), the one the tests and
 * bench/run use. Listen on SOCKET, take the one pty master a runtime
 * sends, and copy what comes out of it to stdout until no slave is open.
 *
 * -v, for the tests: print "listening" once SOCKET listens, then
 * "name NAME fds N tty True|False" when the master comes, and its output
 * without carriage returns. Without -v, the output alone, as it comes:
 * the peer of a relay in bench/run's terminal throughput case. */
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
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} control;
	char name[4096], buf[65536];
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c;
	int s, conn, master = -1, fds = 0, verbose = argc == 3 &&
					   !strcmp(argv[1], "-v");
	const char *path = argv[argc - 1];
	ssize_t n;

	if ((argc != 2 && !verbose) || strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: recvtty [-v] SOCKET\n");
		return 2;
	}
	strcpy(addr.sun_path, path);
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(s, 1) < 0) {
		perror("recvtty");
		return 1;
	}
	if (verbose) {
		printf("listening\n");
		fflush(stdout);
	}
	if ((conn = accept4(s, NULL, NULL, SOCK_CLOEXEC)) < 0 ||
	    (n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC)) < 0) {
		perror("recvtty");
		return 1;
	}
	name[n] = '\0';
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS) {
		fds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(&master, CMSG_DATA(c), sizeof(int));
	}
	if (master < 0) {
		fprintf(stderr, "recvtty: no fd came\n");
		return 1;
	}
	if (verbose) {
		printf("name %s fds %d tty %s\n", name, fds,
		       isatty(master) ? "True" : "False");
		fflush(stdout);
	}
	while ((n = read(master, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		ssize_t len = 0;

		for (ssize_t i = 0; i < n; i++)
			if (!verbose || buf[i] != '\r')
				buf[len++] = buf[i];
		if (len > 0 && write(STDOUT_FILENO, buf, len) != len)
			return 1;
	}
	return 0;
}
