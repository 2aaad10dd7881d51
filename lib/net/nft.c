/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nft.c: nftables commands through libnftables (see net.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

#include "net.h"

/* One context for the process: making one reads nft's files (iproute2's
 * names, connlabels) and opens its sockets, about 1 ms each time. It
 * lives until the process ends. */
static struct nft_ctx *nft;

int cfs_nft_ready(struct cfs_err *e)
{
	if (!nft) {
		if (!(nft = nft_ctx_new(NFT_CTX_DEFAULT)))
			return cfs_fail(e, ENOMEM, "nft");
		nft_ctx_buffer_output(nft);
		nft_ctx_buffer_error(nft);
	}
	return 0;
}

void cfs_nft_free(void)
{
	if (nft)
		nft_ctx_free(nft);
	nft = NULL;
}

/* Run CMDS; with QUIET, a failure is only -ENOENT and no message. */
static int run(const char *cmds, bool quiet, struct cfs_err *e)
{
	const char *err, *line;
	int rc;

	if ((rc = cfs_nft_ready(e)))
		return rc;
	rc = nft_run_cmd_from_buffer(nft, cmds);
	if (rc && !quiet) {
		err = nft_ctx_get_error_buffer(nft);
		/* "Error: Could not process rule: ...\n<the command>\n^^^" */
		line = strncmp(err, "Error: ", 7) ? err : err + 7;
		cfs_fail(e, 0, "nft: %.*s", (int)strcspn(line, "\n"), line);
	}
	/* read, and so emptied, even when not shown */
	nft_ctx_get_error_buffer(nft);
	nft_ctx_get_output_buffer(nft);
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
