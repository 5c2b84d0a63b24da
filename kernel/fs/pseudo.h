/*
 * pseudo.h — synthetic file systems (procfs, sysfs): a tree of nodes whose files are
 * generated on open by a show callback and whose links are computed on readlink.
 * The tree of one file system is protected by its sb->mutex.
 */
#ifndef LUMEN_FS_PSEUDO_H
#define LUMEN_FS_PSEUDO_H

#include "fs/fs.h"

struct pseudo_node;
/* Writes the file's text into buf; returns the full length (may exceed size: the
 * caller retries with a larger buffer). ctx is the node's, or the pid for per-process
 * nodes. */
typedef size_t (*pseudo_show_t)(void *ctx, char *buf, size_t size);
/* Takes what user space wrote to the file (a kernel copy of at most 4 KiB); returns
 * the bytes consumed or -errno. */
typedef ssize_t (*pseudo_store_t)(void *ctx, const char *buf, size_t len);
/* Writes a link target (no NUL); returns its length or -errno. */
typedef int (*pseudo_link_t)(void *ctx, char *buf, size_t size);
/* Dynamic children of a directory (procfs's pids and fds): lookup gives the template
 * node and the ctx for name; iterate emits names from *pos on (positions >= 0x10000).
 * dir_ctx is the directory's own ctx (the pid for /proc/PID/fd). */
struct pseudo_dyn {
	int (*lookup)(void *dir_ctx, const char *name, size_t len, struct pseudo_node **tmpl,
		      void **ctx);
	void (*iterate)(void *dir_ctx, int64_t *pos, dir_emit_t emit, void *emit_ctx);
};

struct pseudo_node {
	const char *name;
	mode_t mode;
	uint32_t ino;
	pseudo_show_t show;
	pseudo_store_t store;		/* NULL: writes fail with EIO */
	pseudo_link_t readlink;
	const char *target;		/* a fixed link target */
	void *ctx;			/* for show/readlink, unless the inode gives one */
	const struct pseudo_dyn *dyn;
	uint32_t size;			/* st_size of a file (sysfs: 4096; procfs: 0) */
	struct pseudo_node *parent;
	struct list_head children;
	struct list_head link;
};

/* The ctx a per-process inode carries, and its template node. */
struct pseudo_inode {
	struct pseudo_node *node;
	void *ctx;
	bool has_ctx;
};

struct super_block *pseudo_create_sb(const struct file_system_type *type, uint64_t magic,
				     struct pseudo_node *root);
/* Adds a node under parent; returns it or NULL. Needs the file system's mutex or the
 * single-threaded boot. */
struct pseudo_node *pseudo_add(struct pseudo_node *parent, const char *name, mode_t mode);
/* An inode for node with ctx, below dir (counted). */
struct inode *pseudo_inode_new(struct inode *dir, struct pseudo_node *node, void *ctx,
			       bool has_ctx, uint64_t ino);

/* procfs_fd.c: adds fd/ to the per-process directory template. */
bool procfs_fd_init(struct pseudo_node *pid_dir);

/* procfs_pid.c: stat, status, statm, comm, environ and auxv of a process or thread
 * directory template; task/ under the process template, tid_dir its entries. */
bool procfs_pid_files_init(struct pseudo_node *dir);
bool procfs_task_init(struct pseudo_node *pid_dir, struct pseudo_node *tid_dir);
/* procfs_sys.c: /proc/sys/kernel under the /proc root. */
bool procfs_sys_init(struct pseudo_node *root);

#endif
