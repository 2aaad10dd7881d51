/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cni.h: a container's network made by CNI plugins, as the CNI 1.0
 * specification (containernetworking/cni SPEC.md) tells a runtime to:
 * a network configuration list found by its name in a directory, its
 * plugins run as the programs they are (CNI_COMMAND and the other
 * parameters in their environment, their configuration on stdin, their
 * result or error on stdout), ADD in order with each result passed to
 * the next as prevResult, DEL in reverse and CHECK in order with the
 * cached result of the ADD, and that result cached as libcni caches it.
 * Failures as lib/core/err.h says; a plugin's own error is "CNI plugin
 * TYPE: COMMAND: error CODE: MSG[; DETAILS]". */
#ifndef CFS_CNI_H
#define CFS_CNI_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"

/* One attachment: the network and the parameters of every call. */
struct cfs_cni {
	json_t *list;	    /* the configuration list (cfs_cni_load) */
	const char *path;   /* CNI_PATH: where the plugins are, a colon list */
	const char *id;	    /* CNI_CONTAINERID */
	const char *netns;  /* CNI_NETNS; NULL or "" for a DEL of a container
			       whose namespace is gone */
	const char *ifname; /* CNI_IFNAME */
	const char *args;   /* CNI_ARGS, "K=V;K=V", or NULL */
	json_t *caps;	    /* capability arguments ({"portMappings": [...]}),
			       or NULL */
	int hold_fd;	    /* -1, or an fd every plugin keeps open (a lock,
			       held until the plugin ends: when we are
			       killed, it goes on, and whoever takes the
			       lock next finds its work done, not half) */
};

/* The configuration list named NAME in DIR, as libcni finds it: the
 * first .conflist file of DIR whose "name" it is, in the order of the
 * file names, else a single network in a .conf or .json file of DIR,
 * made a list of one.
 * *LIST is a new reference. -ENOENT when there is none. */
int cfs_cni_load(const char *dir, const char *name, json_t **list,
		 struct cfs_err *e);

/* Is NAME a network name, or ID a container id, as the specification
 * allows (a letter or digit, then letters, digits, _ . -)? */
bool cfs_cni_valid_name(const char *name);

/* Does a plugin of LIST declare the capability KEY ("portMappings")? */
bool cfs_cni_has_capability(const json_t *list, const char *key);

/* ADD: every plugin in order, each given the result of the one before
 * as prevResult; *RESULT is the last one's (a new reference). When a
 * plugin fails, the attachment is deleted (every plugin, in reverse,
 * as the specification asks) before E says why. */
int cfs_cni_add(const struct cfs_cni *c, json_t **result, struct cfs_err *e);

/* DEL: every plugin in reverse order, each given PREV (the result of
 * the ADD; NULL when there is none) as prevResult. */
int cfs_cni_del(const struct cfs_cni *c, json_t *prev, struct cfs_err *e);

/* CHECK: every plugin in order, given PREV; 0 at once when the list
 * says disableCheck. -ENOTSUP for a cniVersion before 0.4.0. */
int cfs_cni_check(const struct cfs_cni *c, json_t *prev, struct cfs_err *e);

/* The cache of an attachment, DIR/results/NETWORK-ID-IFNAME as libcni
 * keeps it (kind, containerId, ifName, networkName, cniArgs,
 * capabilityArgs, result), with the configuration list as JSON under
 * "config" rather than libcni's base64: what a DEL needs, even when the
 * configuration changed or is gone. RESULT may be NULL (an ADD not yet
 * done). Written whole, mode 0600. */
int cfs_cni_cache_write(const char *dir, const struct cfs_cni *c,
			json_t *result, struct cfs_err *e);

/* Read the cache of NETWORK, ID, IFNAME: *CACHE a new reference, to
 * fill a struct cfs_cni with cfs_cni_from_cache. -ENOENT when missing. */
int cfs_cni_cache_read(const char *dir, const char *network, const char *id,
		       const char *ifname, json_t **cache, struct cfs_err *e);

/* C's list, id, ifname, args and caps from CACHE (borrowed from it, and
 * ARGS, a buffer of LEN bytes); *RESULT the cached result, or NULL. */
int cfs_cni_from_cache(json_t *cache, struct cfs_cni *c, char *args,
		       size_t len, json_t **result, struct cfs_err *e);

/* Remove the cache (missing already: 0). */
int cfs_cni_cache_remove(const char *dir, const char *network, const char *id,
			 const char *ifname, struct cfs_err *e);

#endif
