/*
 * vfs.h — files, paths and file systems: what other subsystems use of kernel/fs/.
 * The structures (inode, dentry, file, superblock, fd_table, fs_state) are defined
 * in kernel/fs/ and extended there; this header lists the cross-subsystem calls.
 */
#ifndef LUMEN_VFS_H
#define LUMEN_VFS_H

#include "lib/lib.h"

struct file;
struct fd_table;
struct fs_state;

/* Mounts the root tmpfs, devtmpfs, procfs and sysfs types; before the first exec. */
void vfs_init(void);
/* Unpacks a cpio newc archive into the root file system. */
int initramfs_unpack(const void *data, size_t size);

/* Opens a path (relative to the current task's cwd and root) from kernel code, with
 * open(2)'s flags and mode. Returns the file or an ERR_PTR. */
struct file *vfs_open(const char *path, int flags, mode_t mode);
/* Reads from a file at an offset into a kernel buffer; bytes read or -errno. */
ssize_t kernel_read(struct file *file, void *buf, size_t len, uint64_t offset);
/* -EACCES unless the file is a regular file with an execute bit, on a mount without
 * noexec. */
int file_check_exec(struct file *file);
/* The absolute path the file was opened by (for /proc/PID/exe, /proc/PID/maps). */
int file_get_path(struct file *file, char *buf, size_t size);
void file_get(struct file *file);
void file_put(struct file *file);

/* Per-process open file tables (shared by CLONE_FILES threads). */
struct fd_table *fd_table_create(void);
struct fd_table *fd_table_clone(struct fd_table *table);	/* fork: ERR_PTR on failure */
void fd_table_get(struct fd_table *table);
void fd_table_put(struct fd_table *table);	/* closes every fd at the last put */
void fd_table_close_on_exec(struct fd_table *table);

/* Per-process root, cwd and umask (shared by CLONE_FS threads). */
struct fs_state *fs_state_create(void);		/* root and cwd at "/", umask 022 */
struct fs_state *fs_state_clone(struct fs_state *fs);
void fs_state_get(struct fs_state *fs);
void fs_state_put(struct fs_state *fs);

#endif
