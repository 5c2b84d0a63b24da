/*
 * vfs.h — files, paths and file systems: what other subsystems use of kernel/fs/.
 * The structures (inode, dentry, file, superblock, fd_table, fs_state) are defined
 * in kernel/fs/ and extended there; this header lists the cross-subsystem calls.
 */
#ifndef LUMEN_VFS_H
#define LUMEN_VFS_H

#include "lib/lib.h"
#include "lib/spinlock.h"

struct file;
struct fd_table;
struct fs_state;
struct poll_table;
struct inode;
struct mount;
struct file_origin;
typedef uint32_t dev_t;
#define MKDEV(major, minor) (((dev_t)(major) << 20) | (minor))
#define MAJOR(dev) ((unsigned)((dev) >> 20))
#define MINOR(dev) ((unsigned)((dev) & 0xfffff))

/*
 * A buffer handed to read/write: user memory (copied with the fault-safe helpers,
 * -EFAULT on a bad pointer) or kernel memory (kernel_read, exec). File operations
 * only ever touch the data through iobuf_copy_out/iobuf_copy_in.
 */
struct iobuf {
	char *ptr;
	size_t len;
	bool kernel;
};
/* Copies n bytes from src to offset off of the buffer (read direction). */
int iobuf_copy_out(struct iobuf *buf, size_t off, const void *src, size_t n);
/* Copies n bytes at offset off of the buffer into dst (write direction). */
int iobuf_copy_in(void *dst, const struct iobuf *buf, size_t off, size_t n);

/* What a file (or a character device) does; every member may be NULL. */
struct file_operations {
	const char *anon_name;	/* anonymous files: "[eventfd]" for "anon_inode:[eventfd]" */
	/* MAP_SHARED mappings of the file are fresh shared anonymous memory, as
	 * Linux's mmap_zero gives for /dev/zero. */
	bool mmap_shared_anon;
	/* The file's pages are shmem (tmpfs: /dev/shm, memfd, shared anonymous memory):
	 * /proc counts those mapped as RssShmem, as Linux's MM_SHMEMPAGES. */
	bool shmem;
	/* Anonymous files whose /proc/PID/fd link Linux writes from their state (a
	 * dma-buf's "/dmabuf:NAME"): writes at most size bytes of it to buf and returns
	 * its full length. Used instead of anon_name there. */
	int (*dname)(struct file *file, char *buf, size_t size);
	int (*open)(struct file *file);		/* after the struct file exists */
	void (*release)(struct file *file);	/* at the last file_put */
	ssize_t (*read)(struct file *file, struct iobuf *buf, off_t *pos);
	ssize_t (*write)(struct file *file, const struct iobuf *buf, off_t *pos);
	/* fallocate(2) on a regular file, after sys_fallocate's argument checks; without
	 * it mode 0 grows the file and other modes are -EOPNOTSUPP. */
	long (*fallocate)(struct file *file, int mode, off_t offset, off_t len);
	off_t (*llseek)(struct file *file, off_t offset, int whence);
	long (*ioctl)(struct file *file, unsigned cmd, unsigned long arg);
	/* Returns the ready mask (POLLIN...) and, when pt is not NULL, queues the
	 * caller on the file's wait queues with poll_wait(). */
	unsigned (*poll)(struct file *file, struct poll_table *pt);
	/* For private file mappings: a counted reference to the page caching the
	 * page-aligned offset, only when the whole page lies within the file
	 * (*page = 0 otherwise: the caller reads a copy). Never writes the page.
	 * -ENXIO when the page lies wholly beyond the end of the file (SIGBUS). */
	int (*get_page)(struct file *file, uint64_t offset, uint64_t *page);
	/* For shared file mappings (MAP_SHARED): a counted reference to the file's own
	 * page at the page-aligned offset, allocated for a hole, mapped as it is so
	 * that writes reach the file and every other mapping; -ENXIO beyond the end
	 * of the file (SIGBUS), -ENOMEM/-ENOSPC. The file system unmaps pages beyond a
	 * shrinking size with vm_unmap_file_pages. */
	int (*share_page)(struct file *file, uint64_t offset, uint64_t *page);
	/* mincore(2) on a file mapping: true when the file caches the page at the
	 * page-aligned offset (whether or not anybody maps it). */
	bool (*page_cached)(struct file *file, uint64_t offset);
	/* Files with no place in the tree that still have a name (memfd): writes it
	 * to buf as /proc shows it; its length or -errno. */
	int (*get_path)(struct file *file, char *buf, size_t size);
	/* mmap(2) asks whether [offset, offset+len) may be mapped with these VM_*
	 * flags (0 or -errno); it may add VM_NOMAYWRITE (sealed tmpfs files). For
	 * files whose pages are device memory (DRM buffers), a
	 * fault takes a counted reference to the page at a page-aligned offset, mapped
	 * as it is (writes reach the device's page, never a copy); -errno gives
	 * SIGBUS-style failure of the access. */
	int (*mmap)(struct file *file, uint64_t offset, uint64_t len, uint32_t *vm_flags);
	int (*fault_page)(struct file *file, uint64_t offset, uint64_t *page);
	/* fsync/fdatasync (the whole file) and msync(MS_SYNC) (bytes [start, end]):
	 * writes the file's dirty data in the range and its inode back and flushes the
	 * disk; 0 or -errno. NULL: fsync syncs the file system, msync does nothing. */
	int (*fsync)(struct file *file, uint64_t start, uint64_t end, bool datasync);
};

/* An open file description; shared by dup'd fds and across fork. */
struct file {
	const struct file_operations *ops;
	void *private_data;	/* the driver's */
	unsigned flags;		/* O_* given at open, O_NONBLOCK/O_APPEND changeable */
	off_t pos;
	struct inode *inode;	/* counted; NULL for anonymous files without one */
	struct mount *mnt;	/* counted; the mount it was opened on, or NULL */
	struct file_origin *origin;	/* directory and name it was opened by, or NULL */
	int refcount;
	spinlock_t lock;	/* protects pos and flags */
	struct list_head epitems;	/* epoll items watching it; epoll's global mutex */
};
/* What file_operations.poll gets: poll_wait hands it each wait queue the file's
 * readiness depends on. poll(2) queues the polling task; epoll queues a callback
 * waiter per watched file (kernel/sys/epoll.c). */
struct wait_queue;
struct poll_table {
	void (*queue)(struct file *file, struct wait_queue *wq, struct poll_table *pt);
};
/* Hands wq to pt->queue (see file_operations.poll); pt NULL does nothing. */
void poll_wait(struct file *file, struct wait_queue *wq, struct poll_table *pt);

/* Linux's mapping_map_writable: counts one more shared mapping that may write the
 * inode; -EPERM once writes are denied. Atomic, callable under any lock. */
int inode_map_writable(struct inode *inode);
/* Drops a count inode_map_writable took. */
void inode_unmap_writable(struct inode *inode);
/* Linux's mapping_deny_writable: denies writable shared mappings for good; -EBUSY
 * while one exists. Atomic. */
int inode_deny_writable(struct inode *inode);

/* The device number of a character or block device file; 0 otherwise. */
dev_t file_rdev(struct file *file);

/* memfd_create(2)'s file (memfd.c): an unlinked tmpfs file named "memfd:NAME",
 * sealable or sealed with F_SEAL_SEAL; one reference, or an ERR_PTR. */
struct file *memfd_file_create(const char *name, bool sealable);
/* The backing of shared anonymous memory (memfd.c): an unlinked tmpfs file of size
 * bytes that /proc/PID/maps names "/dev/zero (deleted)"; one reference, or an
 * ERR_PTR. */
struct file *shmem_zero_file_create(uint64_t size);
/* fcntl(F_GET_SEALS/F_ADD_SEALS) on a file; EINVAL for files other than tmpfs's. */
long memfd_fcntl(struct file *file, unsigned cmd, unsigned long arg);

/* Registers the operations of character devices major:[first, first+count). */
int chrdev_register(unsigned major, unsigned first_minor, unsigned count,
		    const char *name, const struct file_operations *ops);
/* Creates /dev/<name> (subdirectories as needed) as a device node in devtmpfs. */
int devtmpfs_create_node(const char *name, mode_t mode, dev_t dev);

/* devpts (/dev/pts): the node of pty index (136:index) while its master is open. */
int devpts_add(unsigned index, uid_t uid, gid_t gid);
void devpts_remove(unsigned index);

/* sysfs (/sys): directories, attribute files and links added by drivers. A NULL
 * parent is /sys itself; names are copied. */
struct sysfs_node;
struct sysfs_node *sysfs_root(void);
/* Returns the directory parent/name, creating it when missing; NULL on failure. */
struct sysfs_node *sysfs_mkdir(struct sysfs_node *parent, const char *name);
/* Adds a read-only file whose text show(ctx, buf, size) writes (returning the full
 * length, like snprintf). -EEXIST when the name is taken. */
int sysfs_add_file(struct sysfs_node *dir, const char *name, mode_t mode,
		   size_t (*show)(void *ctx, char *buf, size_t size), void *ctx);
/* The same with a store(ctx, buf, len) that takes what is written to the file (a
 * NUL-terminated kernel copy of at most 4096 bytes) and returns the bytes consumed
 * or -errno. */
int sysfs_add_file_rw(struct sysfs_node *dir, const char *name, mode_t mode,
		      size_t (*show)(void *ctx, char *buf, size_t size),
		      ssize_t (*store)(void *ctx, const char *buf, size_t len), void *ctx);
/* Adds a symbolic link to target (relative, as Linux's "../../devices/..."). */
int sysfs_add_link(struct sysfs_node *dir, const char *name, const char *target);

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
/* The device number of the file's file system and its inode number, as stat(2)
 * reports them (for /proc/PID/maps); both 0 for a file without an inode. */
void file_get_ids(struct file *file, dev_t *dev, uint64_t *ino);
/* At the last file_put: removes the file from every epoll set watching it. */
void epoll_file_release(struct file *file);
void file_get(struct file *file);
void file_put(struct file *file);
/* An anonymous file (pipe, eventfd, socket...) with ops and private_data; flags are
 * O_* (O_NONBLOCK, O_RDONLY/O_WRONLY/O_RDWR). Returns it with one reference, or an
 * ERR_PTR. */
struct file *file_alloc(const struct file_operations *ops, void *private_data, unsigned flags);
/* A new open of what file was opened from (the same inode, mount, name and flags),
 * as Linux's file_clone_open: one reference, or an ERR_PTR (the driver's open may
 * fail). */
struct file *file_clone_open(struct file *file);
/* The current task's file at fd, with a reference (file_put it), or ERR_PTR(-EBADF). */
struct file *fd_get_file(int fd);
/* Installs file at the lowest free fd of table (O_CLOEXEC in flags sets close-on-exec);
 * takes over the caller's reference on success. Returns the fd or -EMFILE. */
int fd_install(struct fd_table *table, struct file *file, unsigned flags);
/* A two-step install for a caller that must not fail once it has acted (Linux's
 * get_unused_fd_flags, fd_install, put_unused_fd): fd_reserve gives the lowest free
 * fd (or -EMFILE), held until fd_install_reserved installs file there (taking the
 * caller's reference) or fd_unreserve gives it back. */
int fd_reserve(struct fd_table *table);
void fd_install_reserved(struct fd_table *table, int fd, struct file *file, bool cloexec);
void fd_unreserve(struct fd_table *table, int fd);

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
