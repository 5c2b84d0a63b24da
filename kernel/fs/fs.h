/*
 * fs.h — the VFS's private structures, shared by the files of kernel/fs/ and the file
 * syscalls in kernel/sys/. Other subsystems use vfs.h only.
 *
 * Locking, from outer to inner:
 *   fifo_lock (sleeping)  fifo attach/detach (pipe.c), before a pipe's mutex.
 *   pipe->mutex (sleeping) a pipe's ring; held across user copies.
 *   sb->mutex (sleeping)  every namespace change and every read of a directory or of
 *                         file data in that file system; never held across a copy to
 *                         or from user memory, whose fault may read a page of a file
 *                         on the same file system.
 *   mount_lock (spin)     the mount list (mount.c).
 *   sb->ilock (spin)      inode reference counts and the "last reference" decision.
 *   file->lock (spin)     file position and flags.
 * A path walk takes one sb->mutex at a time. The one nesting: procfs's readlink
 * (/proc/PID/exe, /proc/PID/fd/N) formats a path on another file system while
 * procfs's mutex is held, so procfs's mutex always comes first.
 */
#ifndef LUMEN_FS_FS_H
#define LUMEN_FS_FS_H

#include "fs/vfs.h"
#include "lib/log.h"
#include "proc/proc.h"
#include <linux/stat.h>
#include <linux/fcntl.h>
#include <linux/magic.h>
#include <linux/fs.h>
#include <linux/mount.h>

/* getdents64 d_type values (dirent.h, not in the uapi headers). */
enum { DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8,
       DT_LNK = 10, DT_SOCK = 12 };

#define PATH_MAX_LEN 4096	/* including the NUL, like Linux's PATH_MAX */
#define NAME_MAX_LEN 255
#define SYMLOOP_MAX 40
#define NOFILE_MAX 1024		/* RLIMIT_NOFILE */

/* A sleeping lock; may be held across user copies and page faults. */
struct fs_mutex {
	spinlock_t lock;	/* protects held */
	bool held;
	struct wait_queue wq;
};
void fs_mutex_init(struct fs_mutex *m, const char *name);
void fs_mutex_lock(struct fs_mutex *m);
void fs_mutex_unlock(struct fs_mutex *m);

struct inode;
struct super_block;
struct file_system_type;
struct statfs;

/* Called by a directory iterator for each entry; false stops the iteration. */
typedef bool (*dir_emit_t)(void *ctx, const char *name, size_t len, uint64_t ino,
			   unsigned dtype, int64_t next_pos);

/* What a file system does with its inodes; all called with sb->mutex held. */
struct inode_operations {
	/* Finds name in dir; *out gets a reference. -ENOENT when absent. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	/* Creates a regular file, directory, device, fifo or socket (mode says which);
	 * *out gets a reference. */
	int (*create)(struct inode *dir, const char *name, size_t len, mode_t mode,
		      dev_t rdev, struct inode **out);
	int (*symlink)(struct inode *dir, const char *name, size_t len, const char *target);
	int (*link)(struct inode *dir, const char *name, size_t len, struct inode *inode);
	/* Removes a name; `dir_expected` says whether it must be a directory. */
	int (*unlink)(struct inode *dir, const char *name, size_t len, bool dir_expected);
	int (*rename)(struct inode *odir, const char *oname, size_t olen,
		      struct inode *ndir, const char *nname, size_t nlen, unsigned flags);
	/* Copies the link target (no NUL) into a kernel buffer; returns its length. */
	int (*readlink)(struct inode *inode, char *buf, size_t size);
	/* Emits the entries from position *pos on, "." and ".." included. */
	int (*iterate)(struct inode *dir, int64_t *pos, dir_emit_t emit, void *ctx);
	int (*truncate)(struct inode *inode, uint64_t size);
};

/*
 * An inode. Fields are protected by sb->mutex except refcount (sb->ilock). A tmpfs
 * inode lives while it has a name (nlink > 0) or a reference; a synthetic one
 * (procfs, sysfs) while it has a reference. A directory holds a reference on its
 * parent, so ".." always works.
 */
struct inode {
	uint64_t ino;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	unsigned nlink;
	uint64_t size;
	uint64_t blocks;	/* 512-byte units */
	uint64_t atime_ns, mtime_ns, ctime_ns;
	uint64_t btime_ns;	/* creation (statx's btime); 0 when the file system keeps none */
	dev_t rdev;
	struct super_block *sb;
	const struct inode_operations *iops;
	const struct file_operations *fops;	/* for regular files and synthetic files */
	struct inode *parent;			/* directories: counted */
	void *priv;				/* the file system's */
	struct pipe *pipe;			/* fifos: created at first open */
	int refcount;
	int mounted;				/* how many mounts sit on this inode */
	bool dead;
	/* Shared mappings that may write the inode (Linux's i_mmap_writable): one per
	 * such VMA, or negative once writes are denied for good (F_SEAL_WRITE).
	 * Atomic, no lock (see inode_map_writable). */
	int mmap_writable;
};

/* A mounted instance of a file system. */
struct super_operations {
	/* True: free an inode at its last reference even with nlink > 0. */
	bool drop_unused;
	/* Frees the file system's private inode data. */
	void (*evict)(struct inode *inode);
	/* Fills statfs(2)'s sizes and counts (the caller zeroed st and set f_type,
	 * f_flags and page-sized defaults); NULL keeps the defaults. */
	void (*statfs)(struct super_block *sb, struct statfs *st);
	/* Writes every change back to the disk and flushes it (sync, syncfs, fsync,
	 * remount read-only, power-off); called without locks. */
	int (*sync_fs)(struct super_block *sb);
	/* Frees the super block after its last mount is gone (sb->refcount 0);
	 * called without locks. NULL: super blocks of the type live forever. */
	void (*put_super)(struct super_block *sb);
};
struct super_block {
	const struct file_system_type *type;
	const struct super_operations *ops;
	struct inode *root;		/* counted */
	struct fs_mutex mutex;
	spinlock_t ilock;
	uint64_t magic;
	uint64_t next_ino;		/* under ilock */
	dev_t dev;
	bool read_only;			/* every mount of it is read-only (fixed) */
	unsigned blksize;		/* st_blksize; 0 for PAGE_SIZE (fixed) */
	/* O_DIRECT's alignment of file offsets, lengths and buffers (the disk's logical
	 * block size); 0 when the file system has no O_DIRECT (fixed). */
	unsigned dio_align;
	void *priv;
	int refcount;			/* mounts using it; under mount_lock */
	int mnt_id;			/* internal instances (anon inodes): the
					   stx_mnt_id of their files, which have no mount */
};
struct file_system_type {
	const char *name;
	bool nodev;			/* "nodev" in /proc/filesystems */
	/* Returns a super block with a reference (new, or the shared one). */
	struct super_block *(*get_sb)(const struct file_system_type *type, const char *source);
	/* Appends the file system's own /proc/mounts options (",size=...") to buf. */
	size_t (*show_options)(struct super_block *sb, char *buf, size_t size);
	struct list_head link;
};

/* A mount: sb's root shown at (parent, mountpoint). Fields fixed once linked, except
 * flags (mount_lock) and refcount. */
struct mount {
	struct super_block *sb;
	struct inode *root;		/* counted; sb->root or a bind mount's directory */
	struct mount *parent;		/* NULL for the root mount */
	struct inode *mountpoint;	/* counted; in parent's file system */
	unsigned flags;			/* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC */
	char *source;
	int id;				/* statx's stx_mnt_id */
	int refcount;			/* open files, cwds and walks in progress */
	struct list_head link;		/* in the mount list */
};

/* Where a file was opened: its directory and name, for file_get_path. */
struct file_origin {
	struct mount *mnt;		/* counted */
	struct inode *dir;		/* counted */
	char name[];
};

/* A place in the tree: both counted. */
struct path {
	struct mount *mnt;
	struct inode *inode;
};

/* Per-process fs state. `lock` protects root, cwd and umask. */
struct fs_state {
	spinlock_t lock;
	struct path root, cwd;
	mode_t umask;
	int refcount;
};

/* Per-process fd table. `lock` protects files and cloexec. */
struct fd_table {
	spinlock_t lock;
	struct file *files[NOFILE_MAX];
	uint64_t cloexec[NOFILE_MAX / 64];
	uint64_t reserved[NOFILE_MAX / 64];	/* fd_reserve'd, not yet installed */
	int refcount;
};

/* ---- inode.c ---- */
struct inode *inode_alloc(struct super_block *sb, mode_t mode);
void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
void inode_touch(struct inode *inode, bool atime, bool mtime, bool ctime);
bool inode_is_ancestor(struct inode *inode, struct inode *dir);
bool inode_emit_dots(struct inode *dir, int64_t *pos, dir_emit_t emit, void *ctx);
struct super_block *sb_alloc(const struct file_system_type *type,
			     const struct super_operations *ops, uint64_t magic);
uint64_t fs_now_ns(void);

/* ---- mount.c ---- */
extern spinlock_t mount_lock;
extern struct mount *root_mount;
void mount_get(struct mount *mnt);
void mount_put(struct mount *mnt);
void path_get(struct path *p);
void path_put(struct path *p);
/* The mount sitting on (mnt, inode), or NULL; takes mount_lock. */
struct mount *mount_lookup_child(struct mount *mnt, struct inode *inode);
int fs_type_register(struct file_system_type *type);
const struct file_system_type *fs_type_find(const char *name);
int do_mount(const char *source, const struct path *target, const char *type,
	     unsigned long flags);
int do_bind_mount(const struct path *source, const struct path *target, unsigned long flags);
int mount_root(struct super_block *sb);
/* A new mount id (statx's stx_mnt_id), for mounts and internal instances. */
int mount_new_id(void);
#define MNT_FORCE 1		/* umount2 flags (sys/mount.h, not in the uapi) */
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8
int do_umount(const struct path *target, int flags);
/* Syncs every mounted file system that has a sync_fs (sync(2), power-off). */
void sync_all_fs(void);
/* Formats /proc/mounts; returns the length it would have. */
size_t mounts_format(char *buf, size_t size, bool mountinfo);
int do_move_mount(const struct path *source, const struct path *target);
size_t fs_types_format(char *buf, size_t size);

/* ---- namei.c ---- */
#define LOOKUP_FOLLOW 0x1	/* follow a trailing symlink */
#define LOOKUP_DIRECTORY 0x2	/* the result must be a directory */
#define LOOKUP_EMPTY 0x4	/* AT_EMPTY_PATH: "" means dirfd itself */
/* Resolves a kernel path relative to dirfd (AT_FDCWD or an fd). */
int path_lookup_at(int dirfd, const char *path, unsigned flags, struct path *out);
int path_lookup_origin(int dirfd, const char *path, unsigned flags, struct path *out,
		       struct file_origin **origin);
/* A new origin record (name in dir, references taken) or NULL; origin_put frees it. */
struct file_origin *origin_make(const struct path *dir, const char *name, size_t len);
void origin_put(struct file_origin *o);
/*
 * Resolves all but the last component: *parent gets the directory, *name and *len the
 * last component (pointing into path). Fails with -ENOENT on "" and returns
 * *trailing_slash when the path ends in '/'. "." and ".." last components give
 * *len 0 and the directory they name in *parent when dot_ok, else -EEXIST/-EBUSY
 * style errors are the caller's.
 */
int path_parent_at(int dirfd, const char *path, struct path *parent, const char **name,
		   size_t *len, bool *trailing_slash);
int path_parent_from(const struct path *start, int dirfd, const char *path,
		     struct path *parent, const char **name, size_t *len, bool *trailing_slash);
/* Looks name up in parent (which the caller keeps); crosses mounts. */
int path_child(const struct path *parent, const char *name, size_t len, struct path *out);
/* Resolves the (dirfd, user path, AT_SYMLINK_NOFOLLOW/AT_SYMLINK_FOLLOW/AT_EMPTY_PATH)
 * of the *at calls; follow says whether trailing links are followed by default.
 * "" with AT_EMPTY_PATH is dirfd itself, anonymous files included (out->mnt NULL). */
int user_path_at(int dirfd, const char __user *upath, int at_flags, bool follow,
		 struct path *out);
/* Copies a user path into a kmalloc'd buffer (freed with kfree). */
char *getname(const char __user *upath);
/* Writes the absolute path of p (relative to the caller's root) into buf. */
int path_format(const struct path *p, char *buf, size_t size);
/* Permission check of the current task against inode for MAY_* bits (4 r, 2 w, 1 x). */
int inode_permission(struct inode *inode, int mask);

/* ---- open.c ---- */
/* Creates name in the directory parent with mode (type bits included, umask already
 * applied); *out (may be NULL) gets the new inode, counted. */
int vfs_create(const struct path *parent, const char *name, size_t len, mode_t mode,
	       dev_t rdev, struct inode **out);
/* An inode of the anonymous file system (pipes, sockets...), counted. */
struct inode *anon_inode_new(mode_t mode);
/* The one inode of anon_inode files (eventfd, epoll...) for stat; not counted, never
 * freed; NULL when out of memory. */
struct inode *anon_inode_shared(void);

/* ---- file.c ---- */
struct file *file_open_path(const struct path *p, int flags);
int file_open_at(int dirfd, const char *path, int flags, mode_t mode, struct file **out);
ssize_t file_read(struct file *file, struct iobuf *buf, off_t *pos);
ssize_t file_write(struct file *file, const struct iobuf *buf, off_t *pos);
int do_truncate(struct inode *inode, uint64_t size);

/* ---- fdtable.c ---- */
struct fd_table *current_files(void);
struct fs_state *current_fs(void);
/* Closes fd; -EBADF when it is not open. */
int fd_close(struct fd_table *table, int fd);
/* Puts file at newfd (closing what was there); returns newfd. */
int fd_install_at(struct fd_table *table, int newfd, struct file *file, bool cloexec);
int fd_install_from(struct fd_table *table, struct file *file, int minfd, bool cloexec);
int fd_get_cloexec(int fd);
int fd_table_max_fds(struct fd_table *table);
int fd_set_cloexec(int fd, bool on);
/* Snapshot of the current root or cwd, counted. */
void fs_state_get_root(struct path *out);
void fs_state_get_cwd(struct path *out);
void fs_state_set_root(const struct path *p);
void fs_state_set_cwd(const struct path *p);

/* ---- tmpfs.c ---- */
struct super_block *tmpfs_create_sb(const struct file_system_type *type);
extern const struct inode_operations tmpfs_dir_iops;
extern struct file_system_type tmpfs_type;
extern struct file_system_type rootfs_type;
size_t tmpfs_show_size(struct super_block *sb, char *buf, size_t size);
/* memfd.c: creates the internal instance of memfds and shared anonymous memory;
 * first in vfs_init. 0 or -ENOMEM. */
int shm_init(void);
/* memfd.c's files: an unlinked file named memfd_name (kmalloc'd, taken over) with
 * these first seals, open O_RDWR; one reference or an ERR_PTR. */
struct file *tmpfs_open_unlinked(struct super_block *sb, char *memfd_name, unsigned seals);
/* A tmpfs file's seals (under its sb->mutex), or NULL for other files. */
unsigned *tmpfs_seals(struct file *file);
extern struct file_system_type devtmpfs_type;
extern struct file_system_type proc_type;
int devtmpfs_init(void);
extern struct file_system_type devpts_type;
int devpts_init(void);
int procfs_init(void);
int sysfs_init(void);
extern struct file_system_type sysfs_type;
extern struct file_system_type ext2_type;

/* ---- chrdev.c / pipe.c ---- */
const struct file_operations *chrdev_lookup(dev_t dev);
int fifo_open(struct file *file);
extern const struct file_operations fifo_fops;
int pipe_create(struct file **rd, struct file **wr, unsigned flags);

/* The errno of creating mode in a file system without create operations: procfs
 * says ENOENT, sysfs EPERM for directories and EACCES for files (as Linux). */
static inline int sb_readonly_create_errno(struct super_block *sb, mode_t mode)
{
	if (sb->magic == PROC_SUPER_MAGIC)
		return -ENOENT;
	return S_ISDIR(mode) ? -EPERM : -EACCES;
}

/* ---- dir entry types ---- */
static inline unsigned mode_to_dtype(mode_t mode) { return (mode & S_IFMT) >> 12; }

#endif
