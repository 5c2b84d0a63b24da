/*
 * file.c — open file descriptions: allocation and reference counting, opening a
 * resolved path (with device and fifo dispatch), open(2)'s lookup-or-create, and the
 * read/write/exec helpers other subsystems use.
 *
 * file->lock protects pos and flags; the inode and mount references are fixed for
 * the file's life.
 */
#include "fs/fs.h"
#include "block/block.h"
#include "fs/locks.h"
#include "mm/mm.h"
#include "proc/proc.h"
#include <asm-generic/signal.h>
#include <linux/resource.h>

static const struct file_operations empty_fops;

/* Copies into the buffer at off: memcpy for kernel buffers, copy_to_user otherwise;
 * -EFAULT past the buffer's end or on a bad user pointer. */
int iobuf_copy_out(struct iobuf *buf, size_t off, const void *src, size_t n)
{
	if (off > buf->len || n > buf->len - off)
		return -EFAULT;
	if (buf->kernel) {
		memcpy(buf->ptr + off, src, n);
		return 0;
	}
	return copy_to_user(buf->ptr + off, src, n);
}

/* Copies out of the buffer at off (the write direction); -EFAULT as above. */
int iobuf_copy_in(void *dst, const struct iobuf *buf, size_t off, size_t n)
{
	if (off > buf->len || n > buf->len - off)
		return -EFAULT;
	if (buf->kernel) {
		memcpy(dst, buf->ptr + off, n);
		return 0;
	}
	return copy_from_user(dst, buf->ptr + off, n);
}

/* A new file with one reference and no inode (see vfs.h). */
struct file *file_alloc(const struct file_operations *ops, void *private_data, unsigned flags)
{
	struct file *file = kzalloc(sizeof(*file));

	if (!file)
		return ERR_PTR(-ENOMEM);
	file->ops = ops ? ops : &empty_fops;
	file->private_data = private_data;
	file->flags = flags;
	file->refcount = 1;
	spin_init(&file->lock, "file");
	list_init(&file->epitems);
	return file;
}

/* Takes a reference on file. */
void file_get(struct file *file)
{
	__atomic_add_fetch(&file->refcount, 1, __ATOMIC_ACQ_REL);
}

/* Drops a reference; the last one releases the driver's state and the path. */
void file_put(struct file *file)
{
	if (!file || __atomic_sub_fetch(&file->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	if (!list_empty(&file->epitems))
		epoll_file_release(file);
	locks_remove_file(file);
	if (file->ops->release)
		file->ops->release(file);
	origin_put(file->origin);
	inode_put(file->inode);
	mount_put(file->mnt);
	kfree(file);
}

static const struct file_operations *file_pick_ops(struct path *p, int *err)
{
	struct inode *inode = p->inode;
	const struct file_operations *ops;

	*err = 0;
	switch (inode->mode & S_IFMT) {
	case S_IFCHR:
		if (p->mnt->flags & MS_NODEV) {
			*err = -EACCES;
			return NULL;
		}
		ops = chrdev_lookup(inode->rdev);
		if (!ops)
			*err = -ENXIO;
		return ops;
	case S_IFIFO:
		return &fifo_fops;
	case S_IFBLK:
		if (p->mnt->flags & MS_NODEV) {
			*err = -EACCES;
			return NULL;
		}
		return &blkdev_fops;
	case S_IFSOCK:
		*err = -ENXIO;
		return NULL;
	}
	return inode->fops ? inode->fops : &empty_fops;
}

/* Opens the resolved path p (counted by the caller, who keeps its reference) with
 * open(2) flags. Returns the file or an ERR_PTR. */
struct file *file_open_path(const struct path *p, int flags)
{
	struct path cp = *p;
	const struct file_operations *ops;
	struct file *file;
	int err;

	ops = (flags & O_PATH) ? &empty_fops : file_pick_ops(&cp, &err);
	if (!ops)
		return ERR_PTR(err);
	/* O_NOCTTY stays until ops->open ran: a tty's open decides by it whether the
	 * opener acquires it as controlling terminal. Linux drops it afterwards too. */
	file = file_alloc(ops, NULL, flags & ~(O_CREAT | O_EXCL | O_TRUNC));
	if (IS_ERR(file))
		return file;
	path_get(&cp);
	file->inode = cp.inode;
	file->mnt = cp.mnt;
	if (!(flags & O_PATH) && ops->open) {
		err = ops->open(file);
		if (err) {
			file->ops = &empty_fops;
			file_put(file);
			return ERR_PTR(err);
		}
	}
	file->flags &= ~O_NOCTTY;
	return file;
}

/* A copy of an origin record with its own references; NULL for none or no memory
 * (the clone then names its file by inode, as an anonymous open would). */
static struct file_origin *origin_dup(const struct file_origin *o)
{
	struct path dir;

	if (!o)
		return NULL;
	dir.mnt = o->mnt;
	dir.inode = o->dir;
	return origin_make(&dir, o->name, strlen(o->name));
}

/* See vfs.h. The new file gets the driver's open as any open of the path would. */
struct file *file_clone_open(struct file *file)
{
	struct file *clone = file_alloc(file->ops, NULL, READ_ONCE(file->flags));
	int err;

	if (IS_ERR(clone))
		return clone;
	clone->inode = file->inode;
	clone->mnt = file->mnt;
	if (clone->inode)
		inode_get(clone->inode);
	if (clone->mnt)
		mount_get(clone->mnt);
	clone->origin = origin_dup(file->origin);
	if (clone->ops->open && (err = clone->ops->open(clone))) {
		clone->ops = &empty_fops;
		file_put(clone);
		return ERR_PTR(err);
	}
	return clone;
}

/* O_DIRECT on a regular file of a file system that has it: a transfer of len bytes
 * at pos must have them and the buffer aligned to sb->dio_align (Linux's iomap
 * direct I/O: -EINVAL). The data itself takes the file system's ordinary path. */
static int direct_check(struct file *file, const struct iobuf *buf, uint64_t pos)
{
	unsigned align = file->inode && S_ISREG(file->inode->mode) ?
			 file->inode->sb->dio_align : 0;

	if (!(file->flags & O_DIRECT) || !align || !buf->len)
		return 0;
	return ((pos | buf->len | (uintptr_t)buf->ptr) & (align - 1)) ? -EINVAL : 0;
}

/* read(2) on an open file after the access-mode checks: -EBADF when not open for
 * reading, -EISDIR on directories, -EINVAL without a read operation or for a
 * misaligned O_DIRECT read that does not start at or past the end of the file. */
ssize_t file_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	if ((file->flags & O_PATH) || (file->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (file->inode && S_ISDIR(file->inode->mode))
		return -EISDIR;
	if (!file->ops->read)
		return -EINVAL;
	if (file->inode && (uint64_t)*pos < READ_ONCE(file->inode->size) &&
	    direct_check(file, buf, *pos))
		return -EINVAL;
	return file->ops->read(file, buf, pos);
}

/* RLIMIT_FSIZE against a regular file growing to size bytes: -EFBIG with SIGXFSZ to
 * the caller past the limit (Linux's inode_newsize_ok), else 0. */
static int fsize_check(uint64_t size)
{
	if (size <= task_rlimit(current, RLIMIT_FSIZE))
		return 0;
	signal_send_thread(current, SIGXFSZ);
	return -EFBIG;
}

/* write(2) on an open file after the access-mode checks (as file_read). A write to a
 * regular file is cut at RLIMIT_FSIZE, and one starting there is -EFBIG with SIGXFSZ
 * (Linux's generic_write_check_limits; an O_APPEND write starts at the size read
 * here, which a concurrent writer may move); a misaligned O_DIRECT one is -EINVAL. */
ssize_t file_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct iobuf cut;
	uint64_t limit, at;

	if ((file->flags & O_PATH) || (file->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!file->ops->write)
		return -EINVAL;
	if (!buf->len || !file->inode || !S_ISREG(file->inode->mode))
		return file->ops->write(file, buf, pos);
	limit = task_rlimit(current, RLIMIT_FSIZE);
	at = (file->flags & O_APPEND) ? READ_ONCE(file->inode->size) : (uint64_t)*pos;
	if (direct_check(file, buf, at))
		return -EINVAL;
	if (at >= limit)
		return fsize_check(at + 1);
	cut = *buf;
	cut.len = MIN(cut.len, limit - at);
	return file->ops->write(file, &cut, pos);
}

/* Reads len bytes at offset into a kernel buffer, looping over short reads; returns
 * the bytes read (short at end of file) or -errno. */
ssize_t kernel_read(struct file *file, void *buf, size_t len, uint64_t offset)
{
	struct iobuf io = { buf, len, true };
	off_t pos = offset;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		io.ptr = (char *)buf + done;
		io.len = len - done;
		n = file_read(file, &io, &pos);
		if (n < 0)
			return done ? (ssize_t)done : n;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

/* exec's permission check: a regular file with an x bit on a mount without noexec. */
int file_check_exec(struct file *file)
{
	struct inode *inode = file->inode;

	if (!inode || !S_ISREG(inode->mode))
		return -EACCES;
	if (file->mnt && (file->mnt->flags & MS_NOEXEC))
		return -EACCES;
	return inode_permission(inode, 1);
}

/* Writes the absolute path the file was opened by into buf; returns its length or
 * -ENOENT (anonymous or unreachable) / -ENAMETOOLONG. */
int file_get_path(struct file *file, char *buf, size_t size)
{
	struct file_origin *o = file->origin;
	struct path p;
	int len;

	if (!o && file->ops && file->ops->get_path)
		return file->ops->get_path(file, buf, size);
	if (!o) {
		if (!file->inode || !file->mnt)
			return -ENOENT;
		p.mnt = file->mnt;
		p.inode = file->inode;
		return path_format(&p, buf, size);
	}
	p.mnt = o->mnt;
	p.inode = o->dir;
	len = path_format(&p, buf, size);
	if (len < 0)
		return len;
	if (len + 1 + strlen(o->name) + 1 > size)
		return -ENAMETOOLONG;
	if (len > 1)
		buf[len++] = '/';
	strlcpy(buf + len, o->name, size - len);
	return len + strlen(o->name);
}

/* The device number of a device file; 0 for other files. */
dev_t file_rdev(struct file *file)
{
	if (!file->inode || !(S_ISCHR(file->inode->mode) || S_ISBLK(file->inode->mode)))
		return 0;
	return file->inode->rdev;
}

/* The device and inode numbers /proc/PID/maps shows for a mapped file. */
void file_get_ids(struct file *file, dev_t *dev, uint64_t *ino)
{
	*dev = file->inode ? file->inode->sb->dev : 0;
	*ino = file->inode ? file->inode->ino : 0;
}

/* Truncates a regular file to size (the caller checked permissions); growing it past
 * RLIMIT_FSIZE is -EFBIG with SIGXFSZ. */
int do_truncate(struct inode *inode, uint64_t size)
{
	int err;

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	if (!inode->iops || !inode->iops->truncate)
		return -EPERM;
	if (size > READ_ONCE(inode->size)) {
		err = fsize_check(size);
		if (err)
			return err;
	}
	fs_mutex_lock(&inode->sb->mutex);
	err = inode->iops->truncate(inode, size);
	fs_mutex_unlock(&inode->sb->mutex);
	return err;
}

/* open(2) from kernel code, relative to the current task's cwd and root. */
struct file *vfs_open(const char *path, int flags, mode_t mode)
{
	struct file *file;
	int err = file_open_at(AT_FDCWD, path, flags, mode, &file);

	return err ? ERR_PTR(err) : file;
}
