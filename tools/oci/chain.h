/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/chain.h, cfs-oci's own (it names tools and options, as lib/
 * may not): an OCI bundle's config.json (runtime-spec 1.1, Linux) as the
 * cfs chain that makes the same container:
 *
 *   cfs-cgroup LIMITS NAME -- cfs-unshare NAMESPACES -- cfs-pivot ROOT -- ARGS
 *
 * every field mapped to an option of one of those tools, or refused
 * with a message naming the field ("linux.sysctl: not mapped by cfs-oci"): nothing in the config is silently ignored. */
#ifndef CFS_OCI_CHAIN_H
#define CFS_OCI_CHAIN_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "core/err.h"
#include "core/strv.h"

/* config.json larger than this is refused before it is parsed. */
enum { CFS_OCI_CONFIG_MAX = 4 << 20 };

/* Read BUNDLE/config.json: a JSON object, at most CFS_OCI_CONFIG_MAX
 * bytes. 0, or -errno with E naming the file and what is wrong. */
int cfs_oci_load(const char *bundle, json_t **config, struct cfs_err *e);

/* What the lifecycle adds to the chain; NULL or -1 for none. */
struct cfs_oci_life {
	const char *pidfile;   /* the init's PID, written by cfs-unshare */
	const char *exec_fifo; /* the init waits on it before the exec */
	int ready_fd;          /* cfs-pivot says it is done on it */
	bool no_wait;          /* cfs-unshare leaves the init to our reaper */
	bool no_pivot;
	int preserve_fds;      /* fds 3 to 2 + N passed on */
	const char *console_socket; /* process.terminal's pty master goes
				       there */
	const char *setup;     /* cfs-unshare --setup: prestart and
				  createRuntime, or NULL */
	const char *pivot_hooks; /* cfs-pivot --hooks FILE, or NULL */
};

struct cfs_oci_chain {
	struct cfs_strv argv;	/* the chain, NULL-terminated */
	char cgroup[200];	/* cfs-cgroup's NAME; "" without cfs-cgroup */
	char no_cgroup[512];	/* why not, when made by a rootless caller
				   on cgroups not delegated to it
				   (nocgroup.h), or "" */
	const char *asked;	/* the first linux.resources field that asks
				   for a limit ("linux.resources.memory"),
				   or NULL */
	json_t *seccomp;	/* linux.seccomp (borrowed), to be written to
				   SECCOMP_FILE, or NULL */
};

/* Map CONFIG of the bundle BUNDLE (an absolute path) for container ID
 * into C (zeroed by the caller). SECCOMP_FILE is where the chain's
 * cfs-pivot reads the profile of linux.seccomp from, written by the
 * caller (cfs_oci_write_seccomp). 0, or -errno with E naming the field
 * that is wrong or not mapped. */
int cfs_oci_chain(json_t *config, const char *bundle, const char *id,
		  const char *seccomp_file, const struct cfs_oci_life *life,
		  struct cfs_oci_chain *c, struct cfs_err *e);

/* Write C's seccomp profile to FILE (0644: the init, maybe the root of a
 * user namespace, reads it). 0 or -errno. */
int cfs_oci_write_seccomp(const struct cfs_oci_chain *c, const char *file,
			  struct cfs_err *e);

void cfs_oci_chain_free(struct cfs_oci_chain *c);

/* What cfs-oci exec adds to the process it maps. */
struct cfs_oci_exec {
	pid_t pid;		    /* the container's init */
	const char *seccomp_file;   /* its profile (the state's), or NULL */
	const char *console_socket; /* with process.terminal, or NULL */
	int preserve_fds;
	int pid_fd;		    /* cfs-enter --pid-fd, or -1 */
	bool no_wait;		    /* --detach */
	bool no_cgroup;		    /* the container has none to join */
};

/* PROCESS, an OCI process object (config.json's, or exec's
 * process.json), mapped by the same reader as create's into the
 * cfs-enter command line that runs it in the container X names, into
 * ARGV. 0, or -errno with E naming the field. */
int cfs_oci_exec_chain(json_t *process, const struct cfs_oci_exec *x,
		       struct cfs_strv *argv, struct cfs_err *e);

/* RESOURCES, a linux.resources object (update -r), mapped by the same
 * reader as create's into the cfs-cgroup command line that writes those
 * limits to the container's cgroup NAME, the init PID in it:
 * cfs-cgroup LIMITS --target=PID NAME. 0, or -errno naming the field. */
int cfs_oci_update_chain(json_t *resources, const char *cgroup, pid_t pid,
			 struct cfs_strv *argv, struct cfs_err *e);

#endif
