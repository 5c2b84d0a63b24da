/*
 * stat.c — file status: stat and its variants, statx, statfs, access and readlink.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <asm/stat.h>
#include <asm/statfs.h>

#define ST_VALID 0x0020

/* Linux's user-visible dev_t encoding (new_encode_dev). */
static uint64_t dev_encode(dev_t dev)
{
	uint64_t major = MAJOR(dev), minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffUL) << 12);
}

/* Holds what stat needs: an inode and the mount it was found on (may be NULL). */
struct stat_target {
	struct path path;
	struct file *file;
};

static void stat_target_put(struct stat_target *t)
{
	if (t->file)
		file_put(t->file);
	else
		path_put(&t->path);
}

/* Resolves the (dirfd, upath, AT_* flags) of the *at calls; "" with AT_EMPTY_PATH is
 * dirfd itself, an anonymous file (pipe) included: an anon_inode file (eventfd...)
 * gives t->path.inode NULL, one without an anon_name -EBADF. */
static int stat_resolve_any(int dirfd, const char __user *upath, int flags, struct stat_target *t)
{
	unsigned lookup = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	char *path = getname(upath);
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	t->file = NULL;
	if (!path[0] && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		kfree(path);
		t->file = fd_get_file(dirfd);
		if (IS_ERR(t->file))
			return PTR_ERR(t->file);
		if (!t->file->inode && !t->file->ops->anon_name) {
			file_put(t->file);
			return -EBADF;
		}
		t->path.inode = t->file->inode;
		t->path.mnt = t->file->mnt;
		return 0;
	}
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	err = path_lookup_at(dirfd, path, lookup, &t->path);
	kfree(path);
	return err;
}

/* stat_resolve_any for the calls that need an inode: -EBADF for anon_inode files. */
static int stat_resolve(int dirfd, const char __user *upath, int flags, struct stat_target *t)
{
	int err = stat_resolve_any(dirfd, upath, flags, t);

	if (!err && !t->path.inode) {
		stat_target_put(t);
		err = -EBADF;
	}
	return err;
}

/* The inode stat shows for what stat_resolve_any found: anon_inode files (eventfd,
 * epoll...) share Linux's anon_inode_inode. NULL only when out of memory. */
static struct inode *stat_inode(struct stat_target *t)
{
	return t->path.inode ? t->path.inode : anon_inode_shared();
}

static int stat_fill(struct inode *inode, struct stat __user *ubuf)
{
	struct stat st;

	if (!inode)
		return -ENOMEM;
	memset(&st, 0, sizeof(st));
	fs_mutex_lock(&inode->sb->mutex);
	st.st_dev = dev_encode(inode->sb->dev);
	st.st_ino = inode->ino;
	st.st_mode = inode->mode;
	st.st_nlink = inode->nlink;
	st.st_uid = inode->uid;
	st.st_gid = inode->gid;
	st.st_rdev = dev_encode(inode->rdev);
	st.st_size = inode->size;
	st.st_blksize = inode->sb->blksize ? inode->sb->blksize : PAGE_SIZE;
	st.st_blocks = inode->blocks;
	st.st_atime = inode->atime_ns / 1000000000;
	st.st_atime_nsec = inode->atime_ns % 1000000000;
	st.st_mtime = inode->mtime_ns / 1000000000;
	st.st_mtime_nsec = inode->mtime_ns % 1000000000;
	st.st_ctime = inode->ctime_ns / 1000000000;
	st.st_ctime_nsec = inode->ctime_ns % 1000000000;
	fs_mutex_unlock(&inode->sb->mutex);
	return copy_to_user(ubuf, &st, sizeof(st));
}

static long do_stat(int dirfd, const char __user *path, struct stat __user *buf, int flags)
{
	struct stat_target t;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	err = stat_resolve_any(dirfd, path, flags, &t);
	if (err)
		return err;
	err = stat_fill(stat_inode(&t), buf);
	stat_target_put(&t);
	return err;
}

long sys_stat(const char __user *path, struct stat __user *buf)
{
	return do_stat(AT_FDCWD, path, buf, 0);
}

long sys_lstat(const char __user *path, struct stat __user *buf)
{
	return do_stat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(int dirfd, const char __user *path, struct stat __user *buf, int flags)
{
	return do_stat(dirfd, path, buf, flags);
}

long sys_fstat(int fd, struct stat __user *buf)
{
	struct file *file = fd_get_file(fd);
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	err = file->inode ? stat_fill(file->inode, buf) :
	      file->ops->anon_name ? stat_fill(anon_inode_shared(), buf) : -EBADF;
	file_put(file);
	return err;
}

static void statx_time(struct statx_timestamp *ts, uint64_t ns)
{
	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
}

static int statx_fill(struct inode *inode, struct mount *mnt, unsigned mask,
		      struct statx __user *ubuf)
{
	struct statx sx;

	if (!inode)
		return -ENOMEM;
	memset(&sx, 0, sizeof(sx));
	fs_mutex_lock(&inode->sb->mutex);
	sx.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	sx.stx_mnt_id = mnt ? mnt->id : inode->sb->mnt_id;
	sx.stx_blksize = inode->sb->blksize ? inode->sb->blksize : PAGE_SIZE;
	sx.stx_nlink = inode->nlink;
	sx.stx_uid = inode->uid;
	sx.stx_gid = inode->gid;
	sx.stx_mode = inode->mode;
	sx.stx_ino = inode->ino;
	sx.stx_size = inode->size;
	sx.stx_blocks = inode->blocks;
	statx_time(&sx.stx_atime, inode->atime_ns);
	statx_time(&sx.stx_mtime, inode->mtime_ns);
	statx_time(&sx.stx_ctime, inode->ctime_ns);
	if (inode->btime_ns && (mask & STATX_BTIME)) {	/* tmpfs, as Linux's shmem */
		sx.stx_mask |= STATX_BTIME;
		statx_time(&sx.stx_btime, inode->btime_ns);
	}
	sx.stx_rdev_major = MAJOR(inode->rdev);
	sx.stx_rdev_minor = MINOR(inode->rdev);
	sx.stx_dev_major = MAJOR(inode->sb->dev);
	sx.stx_dev_minor = MINOR(inode->sb->dev);
	fs_mutex_unlock(&inode->sb->mutex);
	return copy_to_user(ubuf, &sx, sizeof(sx));
}

long sys_statx(int dirfd, const char __user *path, int flags, unsigned mask,
	       struct statx __user *buf)
{
	struct stat_target t;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	err = stat_resolve_any(dirfd, path, flags, &t);
	if (err)
		return err;
	err = statx_fill(stat_inode(&t), t.path.mnt, mask, buf);
	stat_target_put(&t);
	return err;
}

static int statfs_fill(struct super_block *sb, struct mount *mnt, struct statfs __user *ubuf)
{
	struct statfs st;
	unsigned mflags = mnt ? READ_ONCE(mnt->flags) : 0;

	memset(&st, 0, sizeof(st));
	st.f_type = sb->magic;
	st.f_bsize = PAGE_SIZE;
	st.f_frsize = PAGE_SIZE;
	st.f_namelen = NAME_MAX_LEN;
	if (sb->magic == TMPFS_MAGIC) {
		st.f_blocks = pages_total() / 2;
		st.f_bfree = st.f_bavail = MIN(pages_free(), (size_t)st.f_blocks);
		st.f_files = pages_total() / 2;
		st.f_ffree = st.f_files - MIN(sb->next_ino, (uint64_t)st.f_files);
	}
	if (sb->ops->statfs)
		sb->ops->statfs(sb, &st);
	st.f_flags = ST_VALID | (mflags & MS_RDONLY ? 1 : 0) | (mflags & MS_NOSUID ? 2 : 0) |
		     (mflags & MS_NODEV ? 4 : 0) | (mflags & MS_NOEXEC ? 8 : 0);
	return copy_to_user(ubuf, &st, sizeof(st));
}

long sys_statfs(const char __user *upath, struct statfs __user *buf)
{
	struct stat_target t;
	int err = stat_resolve(AT_FDCWD, upath, 0, &t);

	if (err)
		return err;
	err = statfs_fill(t.path.inode->sb, t.path.mnt, buf);
	stat_target_put(&t);
	return err;
}

long sys_fstatfs(int fd, struct statfs __user *buf)
{
	struct file *file = fd_get_file(fd);
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (file->inode)
		err = statfs_fill(file->inode->sb, file->mnt, buf);
	else if (!file->ops->anon_name)
		err = -EBADF;
	else
		err = anon_inode_shared() ? statfs_fill(anon_inode_shared()->sb, NULL, buf) : -ENOMEM;
	file_put(file);
	return err;
}

static long do_access(int dirfd, const char __user *upath, int mode, int flags)
{
	struct stat_target t;
	int err;

	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = stat_resolve(dirfd, upath, flags, &t);
	if (err)
		return err;
	if ((mode & 2) && t.path.mnt && (t.path.mnt->flags & MS_RDONLY) &&
	    (S_ISREG(t.path.inode->mode) || S_ISDIR(t.path.inode->mode) ||
	     S_ISLNK(t.path.inode->mode)))
		err = -EROFS;
	else if (mode)
		err = inode_permission(t.path.inode, mode);
	stat_target_put(&t);
	return err;
}

long sys_access(const char __user *path, int mode)
{
	return do_access(AT_FDCWD, path, mode, 0);
}

long sys_faccessat(int dirfd, const char __user *path, int mode)
{
	return do_access(dirfd, path, mode, 0);
}

long sys_faccessat2(int dirfd, const char __user *path, int mode, int flags)
{
	return do_access(dirfd, path, mode, flags);
}

static long do_readlink(int dirfd, const char __user *upath, char __user *buf, int bufsiz)
{
	struct stat_target t;
	struct inode *inode;
	char *target;
	int err, len;

	if (bufsiz <= 0)
		return -EINVAL;
	err = stat_resolve(dirfd, upath, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &t);
	if (err)
		return err;
	inode = t.path.inode;
	target = kmalloc(PATH_MAX_LEN);
	if (!target)
		err = -ENOMEM;
	else if (!S_ISLNK(inode->mode) || !inode->iops || !inode->iops->readlink)
		err = -EINVAL;
	else {
		fs_mutex_lock(&inode->sb->mutex);
		len = inode->iops->readlink(inode, target, PATH_MAX_LEN);
		fs_mutex_unlock(&inode->sb->mutex);
		err = len < 0 ? len : copy_to_user(buf, target, MIN(len, bufsiz));
		if (!err)
			err = MIN(len, bufsiz);
	}
	kfree(target);
	stat_target_put(&t);
	return err;
}

long sys_readlink(const char __user *path, char __user *buf, int bufsiz)
{
	return do_readlink(AT_FDCWD, path, buf, bufsiz);
}

long sys_readlinkat(int dirfd, const char __user *path, char __user *buf, int bufsiz)
{
	return do_readlink(dirfd, path, buf, bufsiz);
}

/* Extended attributes are not stored yet: every file has none, as a fresh tmpfs file
 * on Linux (names are still checked and paths resolved, for the right errnos). */
static long xattr_path(const char __user *upath, bool follow)
{
	struct path p;
	int err = user_path_at(AT_FDCWD, upath, 0, follow, &p);

	if (!err)
		path_put(&p);
	return err;
}

/* What reading attribute name gives on a file without attributes: ENODATA for the
 * namespaces tmpfs keeps (security., trusted., system.), EOPNOTSUPP for the rest. */
static long xattr_get_errno(const char __user *uname)
{
	char name[256];
	long len = strncpy_from_user(name, uname, sizeof(name));

	if (len == -ENAMETOOLONG)
		return -ERANGE;
	if (len < 0)
		return len;
	if (!strncmp(name, "security.", 9) || !strncmp(name, "trusted.", 8) ||
	    !strncmp(name, "system.", 7))
		return -ENODATA;
	return -EOPNOTSUPP;
}

static long xattr_fd(int fd)
{
	struct file *file = fd_get_file(fd);

	if (IS_ERR(file))
		return PTR_ERR(file);
	file_put(file);
	return 0;
}

long sys_getxattr(const char __user *path, const char __user *name, void __user *value, size_t size)
{
	long err = xattr_path(path, true);

	return err ? err : xattr_get_errno(name);
}

long sys_lgetxattr(const char __user *path, const char __user *name, void __user *value, size_t size)
{
	long err = xattr_path(path, false);

	return err ? err : xattr_get_errno(name);
}

long sys_fgetxattr(int fd, const char __user *name, void __user *value, size_t size)
{
	long err = xattr_fd(fd);

	return err ? err : xattr_get_errno(name);
}

long sys_listxattr(const char __user *path, char __user *list, size_t size)
{
	return xattr_path(path, true);
}

long sys_llistxattr(const char __user *path, char __user *list, size_t size)
{
	return xattr_path(path, false);
}

long sys_flistxattr(int fd, char __user *list, size_t size)
{
	return xattr_fd(fd);
}

long sys_setxattr(const char __user *path, const char __user *name, const void __user *value,
		  size_t size, int flags)
{
	long err = xattr_path(path, true);

	return err ? err : -EOPNOTSUPP;
}

long sys_lsetxattr(const char __user *path, const char __user *name, const void __user *value,
		   size_t size, int flags)
{
	long err = xattr_path(path, false);

	return err ? err : -EOPNOTSUPP;
}

long sys_fsetxattr(int fd, const char __user *name, const void __user *value, size_t size,
		   int flags)
{
	long err = xattr_fd(fd);

	return err ? err : -EOPNOTSUPP;
}
