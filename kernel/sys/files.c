/*
 * files.c — open, close, read, write and the calls around file descriptors: vectors,
 * positioned I/O, lseek, dup, fcntl, ioctl, truncate and sync.
 */
#include "fs/fs.h"
#include "fs/locks.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <linux/uio.h>
#include "block/block.h"
#include <asm-generic/ioctls.h>
#include <linux/close_range.h>

#define MAX_RW_COUNT 0x7ffff000L

/* Linux's access_ok for read/write buffers: the end of the range stays below the
 * kernel half (a non-canonical user-half pointer passes and faults later, if used). */
static bool user_range_ok(const void __user *ptr, size_t len)
{
	uintptr_t end = (uintptr_t)ptr + len;

	return (intptr_t)end >= 0 && end >= (uintptr_t)ptr;
}

static long do_open(int dirfd, const char __user *upath, int flags, mode_t mode)
{
	char *path = getname(upath);
	struct file *file;
	int err, fd;

	if (IS_ERR(path))
		return PTR_ERR(path);
	if ((flags & __O_TMPFILE) == __O_TMPFILE) {
		kfree(path);
		return -EOPNOTSUPP;
	}
	err = file_open_at(dirfd, path, flags | O_LARGEFILE, mode, &file);
	kfree(path);
	if (err)
		return err;
	fd = fd_install(current_files(), file, flags);
	if (fd < 0)
		file_put(file);
	return fd;
}

long sys_open(const char __user *path, int flags, mode_t mode)
{
	return do_open(AT_FDCWD, path, flags, mode);
}

long sys_openat(int dirfd, const char __user *path, int flags, mode_t mode)
{
	return do_open(dirfd, path, flags, mode);
}

long sys_creat(const char __user *path, mode_t mode)
{
	return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

long sys_close(int fd)
{
	return fd_close(current_files(), fd);
}

/* True for files without a position (pipes, sockets): pread/pwrite give ESPIPE. */
static bool file_is_stream(struct file *file)
{
	return !file->inode || S_ISFIFO(file->inode->mode) || S_ISSOCK(file->inode->mode);
}

/* Reads or writes through the file position (under file->lock for the update). */
static ssize_t rw_at_pos(struct file *file, struct iobuf *io, bool write, off_t *given)
{
	off_t pos;
	ssize_t n;
	uint64_t flags;

	if (given) {
		pos = *given;
		return write ? file_write(file, io, &pos) : file_read(file, io, &pos);
	}
	flags = spin_lock_irqsave(&file->lock);
	pos = file->pos;
	spin_unlock_irqrestore(&file->lock, flags);
	n = write ? file_write(file, io, &pos) : file_read(file, io, &pos);
	flags = spin_lock_irqsave(&file->lock);
	file->pos = pos;
	spin_unlock_irqrestore(&file->lock, flags);
	return n;
}

static long do_rw(int fd, char __user *ubuf, size_t count, bool write, off_t *pos)
{
	struct iobuf io = { ubuf, MIN(count, (size_t)MAX_RW_COUNT), false };
	struct file *file = fd_get_file(fd);
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (!user_range_ok(ubuf, io.len))
		n = -EFAULT;
	else if (pos && (file->flags & O_PATH))
		n = -EBADF;
	else if (pos && file_is_stream(file))
		n = -ESPIPE;
	else if (pos && *pos < 0)
		n = -EINVAL;
	else
		n = rw_at_pos(file, &io, write, pos);
	file_put(file);
	return n;
}

long sys_read(int fd, char __user *buf, size_t count)
{
	return do_rw(fd, buf, count, false, NULL);
}

long sys_write(int fd, const char __user *buf, size_t count)
{
	return do_rw(fd, (char __user *)buf, count, true, NULL);
}

long sys_pread64(int fd, char __user *buf, size_t count, off_t pos)
{
	return do_rw(fd, buf, count, false, &pos);
}

long sys_pwrite64(int fd, const char __user *buf, size_t count, off_t pos)
{
	return do_rw(fd, (char __user *)buf, count, true, &pos);
}

static long do_rwv(int fd, const struct iovec __user *uiov, int iovcnt, bool write)
{
	struct file *file;
	struct iovec iov;
	ssize_t total = 0, n = 0;
	int i;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	file = fd_get_file(fd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	for (i = 0; i < iovcnt; i++) {
		if (copy_from_user(&iov, &uiov[i], sizeof(iov))) {
			n = -EFAULT;
			break;
		}
		if ((ssize_t)iov.iov_len < 0) {
			n = -EINVAL;
			break;
		}
		if (!user_range_ok(iov.iov_base, iov.iov_len)) {
			n = -EFAULT;
			break;
		}
		if (!iov.iov_len)
			continue;
		struct iobuf io = { iov.iov_base, iov.iov_len, false };

		n = rw_at_pos(file, &io, write, NULL);
		if (n <= 0)
			break;
		total += n;
		if ((size_t)n < iov.iov_len)
			break;
	}
	file_put(file);
	return total ? total : (n < 0 ? n : 0);
}

long sys_readv(int fd, const struct iovec __user *iov, int iovcnt)
{
	return do_rwv(fd, iov, iovcnt, false);
}

long sys_writev(int fd, const struct iovec __user *iov, int iovcnt)
{
	return do_rwv(fd, iov, iovcnt, true);
}

/* Copies up to count bytes from in (at *pos, or its file position) to out (at *opos,
 * or its file position) through a kernel bounce buffer; the offsets advance. */
static ssize_t sendfile_copy(struct file *out, struct file *in, off_t *pos, off_t *opos,
			     size_t count)
{
	char *bounce = kmalloc(PAGE_SIZE);
	size_t done = 0;
	ssize_t n = 0, w;

	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		struct iobuf io = { bounce, MIN(count - done, PAGE_SIZE), true };

		n = rw_at_pos(in, &io, false, pos);
		if (n <= 0)
			break;
		io.len = n;
		w = rw_at_pos(out, &io, true, opos);
		if (w < 0) {
			n = w;
			break;
		}
		if (pos)
			*pos += w;
		if (opos)
			*opos += w;
		done += w;
		if (w < n)
			break;
	}
	kfree(bounce);
	return done ? (ssize_t)done : n;
}

long sys_sendfile(int out_fd, int in_fd, off_t __user *uoffset, size_t count)
{
	struct file *in = fd_get_file(in_fd), *out;
	off_t off;
	ssize_t n;

	if (IS_ERR(in))
		return PTR_ERR(in);
	out = fd_get_file(out_fd);
	if (IS_ERR(out)) {
		file_put(in);
		return PTR_ERR(out);
	}
	if (uoffset && copy_from_user(&off, uoffset, sizeof(off)))
		n = -EFAULT;
	else if (uoffset && off < 0)
		n = -EINVAL;
	else if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY)
		n = -EBADF;
	else if (out->flags & O_APPEND)
		n = -EINVAL;
	else
		n = sendfile_copy(out, in, uoffset ? &off : NULL, NULL,
				  MIN(count, (size_t)MAX_RW_COUNT));
	if (n >= 0 && uoffset && put_user(off, uoffset))
		n = -EFAULT;
	file_put(out);
	file_put(in);
	return n;
}

static off_t lseek_generic(struct file *file, off_t offset, int whence)
{
	off_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = file->pos;
		break;
	case SEEK_END:
		base = file->inode->size;
		break;
	default:
		return file->ops->llseek ? file->ops->llseek(file, offset, whence) : -EINVAL;
	}
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return -EINVAL;
	return base + offset;
}

long sys_lseek(int fd, off_t offset, unsigned whence)
{
	struct file *file = fd_get_file(fd);
	uint64_t flags;
	off_t pos;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (file->flags & O_PATH)
		pos = -EBADF;
	else if (whence > SEEK_HOLE)
		pos = -EINVAL;
	else if (!file->inode && file->ops->llseek)
		pos = file->ops->llseek(file, offset, whence);	/* anon_inode files */
	else if (file_is_stream(file) || (S_ISCHR(file->inode->mode) && !file->ops->llseek))
		pos = -ESPIPE;
	else if (S_ISCHR(file->inode->mode) || S_ISBLK(file->inode->mode))
		pos = file->ops->llseek(file, offset, whence);	/* sets file->pos itself */
	else {
		flags = spin_lock_irqsave(&file->lock);
		pos = lseek_generic(file, offset, whence);
		if (pos >= 0)
			file->pos = pos;
		spin_unlock_irqrestore(&file->lock, flags);
	}
	file_put(file);
	return pos;
}

long sys_dup(int oldfd)
{
	struct file *file = fd_get_file(oldfd);
	int fd;

	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = fd_install(current_files(), file, 0);
	if (fd < 0)
		file_put(file);
	return fd;
}

static long do_dup3(int oldfd, int newfd, int flags)
{
	struct file *file;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (newfd < 0 || newfd >= NOFILE_MAX)
		return -EBADF;
	file = fd_get_file(oldfd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	newfd = fd_install_at(current_files(), newfd, file, flags & O_CLOEXEC);
	if (newfd < 0)
		file_put(file);
	return newfd;
}

long sys_dup2(int oldfd, int newfd)
{
	struct file *file;

	if (oldfd == newfd) {
		file = fd_get_file(oldfd);
		if (IS_ERR(file))
			return PTR_ERR(file);
		file_put(file);
		return newfd;
	}
	return do_dup3(oldfd, newfd, 0);
}

long sys_dup3(int oldfd, int newfd, int flags)
{
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup3(oldfd, newfd, flags);
}

static long fcntl_dupfd(struct file *file, unsigned long arg, bool cloexec)
{
	int fd;

	if (arg >= NOFILE_MAX)
		return -EINVAL;
	file_get(file);
	fd = fd_install_from(current_files(), file, arg, cloexec);
	if (fd < 0)
		file_put(file);
	return fd;
}

/* F_SETFL: O_APPEND, O_NONBLOCK and O_DIRECT (-EINVAL where the file system has no
 * O_DIRECT, as Linux without a direct_IO operation). */
static long fcntl_setfl(struct file *file, unsigned long arg)
{
	unsigned mask = O_APPEND | O_NONBLOCK | O_DIRECT;
	uint64_t flags;

	if ((arg & O_DIRECT) && !(file->inode && file->inode->sb && file->inode->sb->dio_align))
		return -EINVAL;
	flags = spin_lock_irqsave(&file->lock);

	file->flags = (file->flags & ~mask) | (arg & mask);
	spin_unlock_irqrestore(&file->lock, flags);
	return 0;
}

long sys_fcntl(int fd, unsigned cmd, unsigned long arg)
{
	struct file *file = fd_get_file(fd);
	long ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		ret = fcntl_dupfd(file, arg, cmd == F_DUPFD_CLOEXEC);
		break;
	case F_GETFD:
		ret = fd_get_cloexec(fd);
		break;
	case F_SETFD:
		ret = fd_set_cloexec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		ret = READ_ONCE(file->flags);
		break;
	case F_SETFL:
		ret = fcntl_setfl(file, arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		ret = (file->flags & O_PATH) ? -EBADF :
		      locks_fcntl(file, cmd, (struct flock __user *)arg);
		break;
	case F_GETOWN:
	case F_SETOWN:
		ret = 0;
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		ret = memfd_fcntl(file, cmd, arg);
		break;
	case F_GETPIPE_SZ:
		ret = file->inode && S_ISFIFO(file->inode->mode) ? 65536 : -EBADF;
		break;
	default:
		ret = -EINVAL;
	}
	file_put(file);
	return ret;
}

static long ioctl_common(int fd, struct file *file, unsigned cmd, unsigned long arg)
{
	int on;

	switch (cmd) {
	case FIONBIO:
		if (get_user(on, (int __user *)arg))
			return -EFAULT;
		fcntl_setfl(file, on ? (file->flags | O_NONBLOCK) : (file->flags & ~O_NONBLOCK));
		return 0;
	case FIOCLEX:
	case FIONCLEX:
		return fd_set_cloexec(fd, cmd == FIOCLEX);
	case FIOASYNC:
		return get_user(on, (int __user *)arg) ? -EFAULT : 0;
	case FIONREAD:
		if (file->inode && S_ISREG(file->inode->mode))
			return put_user((int)MAX((off_t)file->inode->size - file->pos, 0),
					(int __user *)arg);
		break;
	}
	if (file->ops->ioctl)
		return file->ops->ioctl(file, cmd, arg);
	return -ENOTTY;
}

long sys_ioctl(int fd, unsigned cmd, unsigned long arg)
{
	struct file *file = fd_get_file(fd);
	long ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = (file->flags & O_PATH) ? -EBADF : ioctl_common(fd, file, cmd, arg);
	file_put(file);
	return ret;
}

long sys_ftruncate(int fd, off_t length)
{
	struct file *file = fd_get_file(fd);
	long ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (length < 0)
		ret = -EINVAL;
	else if ((file->flags & O_PATH))
		ret = -EBADF;
	else if (!file->inode || !S_ISREG(file->inode->mode) ||
		 (file->flags & O_ACCMODE) == O_RDONLY)
		ret = -EINVAL;
	else
		ret = do_truncate(file->inode, length);
	file_put(file);
	return ret;
}

long sys_truncate(const char __user *upath, off_t length)
{
	char *path = getname(upath);
	struct path p;
	long err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	err = length < 0 ? -EINVAL : path_lookup_at(AT_FDCWD, path, LOOKUP_FOLLOW, &p);
	kfree(path);
	if (err)
		return err;
	if (S_ISDIR(p.inode->mode))
		err = -EISDIR;
	else if (!(err = inode_permission(p.inode, 2)))
		err = (p.mnt->flags & MS_RDONLY) ? -EROFS : do_truncate(p.inode, length);
	path_put(&p);
	return err;
}

/* A disk opened as a block special file has its volatile write cache flushed; a file
 * whose file system keeps its data (ext2's page cache) writes that back with its
 * fsync; other files on a disk file system have their file system written back;
 * syncfs always writes the whole file system. */
static long do_fsync(int fd, bool whole_fs, bool datasync)
{
	struct file *file = fd_get_file(fd);
	long err = 0;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (file->ops == &blkdev_fops)
		err = block_flush(file->private_data);
	else if (!whole_fs && file->ops && file->ops->fsync)
		err = file->ops->fsync(file, 0, UINT64_MAX, datasync);
	else if (file->inode && file->inode->sb->ops->sync_fs)
		err = file->inode->sb->ops->sync_fs(file->inode->sb);
	file_put(file);
	return err;
}

long sys_fsync(int fd)
{
	return do_fsync(fd, false, false);
}

long sys_fdatasync(int fd)
{
	return do_fsync(fd, false, true);
}

long sys_sync(void)
{
	sync_all_fs();
	block_flush_all();
	return 0;
}

long sys_syncfs(int fd)
{
	return do_fsync(fd, true, false);
}

/* flock(2): LOCK_SH/LOCK_EX/LOCK_UN on the open file description, LOCK_NB for
 * EWOULDBLOCK instead of a wait; O_PATH files may only unlock (EBADF). */
long sys_flock(int fd, unsigned cmd)
{
	struct file *file = fd_get_file(fd);
	unsigned op = cmd & ~LOCK_NB;
	long ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN)
		ret = -EINVAL;
	else if (op != LOCK_UN && (file->flags & O_PATH))
		ret = -EBADF;
	else
		ret = locks_flock(file, op, cmd & LOCK_NB);
	file_put(file);
	return ret;
}

long sys_fadvise64(int fd, off_t offset, off_t len, int advice)
{
	struct file *file = fd_get_file(fd);
	long ret = 0;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (file_is_stream(file))
		ret = -ESPIPE;
	else if (advice < 0 || advice > 5 || len < 0)
		ret = -EINVAL;
	file_put(file);
	return ret;
}

/* fallocate(2): the file system's operation, or without one, mode 0 makes the file at
 * least offset+len long (tmpfs holes read as zeroes, so no pages are reserved) and
 * other modes are EOPNOTSUPP. An end past 2^63 is EFBIG, as Linux's vfs_fallocate. */
long sys_fallocate(int fd, int mode, off_t offset, off_t len)
{
	struct file *file = fd_get_file(fd);
	struct inode *inode;
	off_t end;
	long ret = 0;

	if (IS_ERR(file))
		return PTR_ERR(file);
	inode = file->inode;
	if (offset < 0 || len <= 0)
		ret = -EINVAL;
	else if ((file->flags & O_ACCMODE) == O_RDONLY)
		ret = -EBADF;
	else if (file_is_stream(file))
		ret = -ESPIPE;
	else if (S_ISDIR(inode->mode))
		ret = -EISDIR;
	else if (!S_ISREG(inode->mode))
		ret = -ENODEV;
	else if (__builtin_add_overflow(offset, len, &end))
		ret = -EFBIG;
	else if (file->ops->fallocate)
		ret = file->ops->fallocate(file, mode, offset, len);
	else if (mode)
		ret = -EOPNOTSUPP;
	else if ((uint64_t)end > READ_ONCE(inode->size))
		ret = do_truncate(inode, end);
	file_put(file);
	return ret;
}

/* close_range(2): closes (or marks close-on-exec) every open fd in [first, last]. */
long sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	struct fd_table *table = current_files();
	unsigned fd;

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last)
		return -EINVAL;
	for (fd = first; fd < NOFILE_MAX && fd <= last; fd++) {
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec(fd, true);
		else
			fd_close(table, fd);
	}
	return 0;
}

/* copy_file_range(2) between regular files, through sendfile's bounce buffer. */
long sys_copy_file_range(int fd_in, off_t __user *uoff_in, int fd_out, off_t __user *uoff_out,
			 size_t len, unsigned flags)
{
	struct file *in, *out;
	off_t off_in, off_out;
	ssize_t n;

	if (flags)
		return -EINVAL;
	if ((uoff_in && get_user(off_in, uoff_in)) || (uoff_out && get_user(off_out, uoff_out)))
		return -EFAULT;
	in = fd_get_file(fd_in);
	if (IS_ERR(in))
		return PTR_ERR(in);
	out = fd_get_file(fd_out);
	if (IS_ERR(out)) {
		file_put(in);
		return PTR_ERR(out);
	}
	if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY ||
	    (out->flags & O_APPEND))
		n = -EBADF;
	else if (!in->inode || !out->inode || S_ISDIR(in->inode->mode) || S_ISDIR(out->inode->mode))
		n = -EISDIR;
	else if (!S_ISREG(in->inode->mode) || !S_ISREG(out->inode->mode))
		n = -EINVAL;
	else
		n = sendfile_copy(out, in, uoff_in ? &off_in : NULL, uoff_out ? &off_out : NULL,
				  MIN(len, (size_t)MAX_RW_COUNT));
	if (n >= 0 && ((uoff_in && put_user(off_in, uoff_in)) || (uoff_out && put_user(off_out, uoff_out))))
		n = -EFAULT;
	file_put(out);
	file_put(in);
	return n;
}

long sys_readahead(int fd, off_t offset, size_t count)
{
	struct file *file = fd_get_file(fd);
	long ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = file->inode && S_ISREG(file->inode->mode) ? 0 : -EINVAL;
	file_put(file);
	return ret;
}

long sys_sync_file_range(int fd, off_t offset, off_t nbytes, unsigned flags)
{
	if (flags & ~7U || offset < 0 || nbytes < 0)
		return -EINVAL;
	return do_fsync(fd, false, true);
}
