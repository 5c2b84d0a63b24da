/*
 * dir.c — the name space: directories (getdents64, mkdir, rmdir), names (unlink,
 * rename, link, symlink, mknod), the current and root directories, and attributes
 * (chmod, chown, umask, utimensat).
 */
#include "fs/fs.h"
#include "fs/path.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <linux/time_types.h>

#define UTIME_NOW ((1L << 30) - 1L)
#define UTIME_OMIT ((1L << 30) - 2L)

/* getdents64's record (dirent.h's struct dirent64, not in the uapi headers). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* Entries are gathered in a kernel buffer under the directory's lock and copied out
 * after it is dropped (the user buffer may fault in a page of a file on this fs). */
struct getdents_ctx {
	char *buf;
	size_t size, used;
	int64_t pos;
	int err;
};

static bool getdents_emit(void *arg, const char *name, size_t len, uint64_t ino,
			  unsigned dtype, int64_t next)
{
	struct getdents_ctx *c = arg;
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
	struct linux_dirent64 *d = (struct linux_dirent64 *)(c->buf + c->used);

	if (c->used + reclen > c->size) {
		if (!c->used)
			c->err = -EINVAL;
		return false;
	}
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = next;
	d->d_reclen = reclen;
	d->d_type = dtype;
	memcpy(d->d_name, name, len);
	c->used += reclen;
	c->pos = next;
	return true;
}

long sys_getdents64(int fd, void __user *ubuf, unsigned count)
{
	struct file *file = fd_get_file(fd);
	struct getdents_ctx c = { NULL, MIN(count, 65536u), 0, 0, 0 };
	struct inode *dir;
	int64_t pos;
	long ret;
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	dir = file->inode;
	if (!dir || !S_ISDIR(dir->mode) || !dir->iops || !dir->iops->iterate) {
		ret = (file->flags & O_PATH) ? -EBADF : -ENOTDIR;
		goto out_put;
	}
	c.buf = kmalloc(MAX(c.size, 1u));
	ret = -ENOMEM;
	if (!c.buf)
		goto out_put;
	fs_mutex_lock(&dir->sb->mutex);
	pos = c.pos = file->pos;
	err = dir->nlink ? dir->iops->iterate(dir, &pos, getdents_emit, &c) : 0;
	/* No access time on a read-only mount (Linux's touch_atime). */
	if (!file->mnt || !(READ_ONCE(file->mnt->flags) & MS_RDONLY))
		inode_touch(dir, true, false, false);
	fs_mutex_unlock(&dir->sb->mutex);
	/* Entries already copied win over a later error (a damaged block), as Linux. */
	ret = c.used ? (long)c.used : c.err ? c.err : err;
	if (c.used && copy_to_user(ubuf, c.buf, c.used))
		ret = -EFAULT;
	else
		file->pos = c.pos;
	kfree(c.buf);
out_put:
	file_put(file);
	return ret;
}

/* Resolves the parent of a user path; *name points into *kpath (kfree it). */
static int parent_at(int dirfd, const char __user *upath, char **kpath, struct path *parent,
		     const char **name, size_t *len, bool *trailing)
{
	int err;

	*kpath = getname(upath);
	if (IS_ERR(*kpath))
		return PTR_ERR(*kpath);
	err = path_parent_at(dirfd, *kpath, parent, name, len, trailing);
	if (err)
		kfree(*kpath);
	return err;
}

/* Checks that the directory parent may be changed: write+search, writable mount. */
static int may_change(const struct path *parent)
{
	int err = inode_permission(parent->inode, 3);

	if (err)
		return err;
	return (parent->mnt->flags & MS_RDONLY) ? -EROFS : 0;
}

/* The checks of Linux's filename_create before the file system is asked to add name
 * to parent: "." and ".." or an existing name are EEXIST, a missing name with a
 * trailing slash ENOENT, and only then a read-only mount EROFS. */
static int may_create_name(const struct path *parent, const char *name, size_t len,
			   bool trailing)
{
	struct path child;

	if (!len || path_dots(name, len))
		return -EEXIST;
	if (!path_child(parent, name, len, &child)) {
		path_put(&child);
		return -EEXIST;
	}
	if (trailing)
		return -ENOENT;
	return (parent->mnt->flags & MS_RDONLY) ? -EROFS : 0;
}

static mode_t umask_get(void)
{
	return READ_ONCE(current_fs()->umask);
}

static long do_mknod(int dirfd, const char __user *upath, mode_t mode, dev_t rdev)
{
	struct path parent;
	const char *name;
	char *kpath;
	size_t len;
	bool trailing;
	int err = parent_at(dirfd, upath, &kpath, &parent, &name, &len, &trailing);

	if (err)
		return err;
	if (!len || path_dots(name, len))
		err = -EEXIST;
	else if (trailing && !S_ISDIR(mode))
		err = -ENOENT;
	else
		err = vfs_create(&parent, name, len, mode, rdev, NULL);
	path_put(&parent);
	kfree(kpath);
	return err;
}

long sys_mkdirat(int dirfd, const char __user *path, mode_t mode)
{
	return do_mknod(dirfd, path, S_IFDIR | (mode & 01777 & ~umask_get()), 0);
}

long sys_mkdir(const char __user *path, mode_t mode)
{
	return sys_mkdirat(AT_FDCWD, path, mode);
}

/* Linux's dev_t as user space encodes it (glibc's makedev). */
static dev_t dev_decode(uint64_t dev)
{
	unsigned major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffU);
	unsigned minor = (dev & 0xff) | ((dev >> 12) & ~0xffU);

	return MKDEV(major, minor & 0xfffff);
}

long sys_mknodat(int dirfd, const char __user *path, mode_t mode, unsigned long dev)
{
	mode_t type = mode & S_IFMT;

	if (type == S_IFDIR)
		return -EPERM;
	if (type == 0)
		type = S_IFREG;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	if ((type == S_IFCHR || type == S_IFBLK) && task_cred(current)->euid != 0)
		return -EPERM;
	return do_mknod(dirfd, path, type | (mode & 07777 & ~umask_get()), dev_decode(dev));
}

long sys_mknod(const char __user *path, mode_t mode, unsigned long dev)
{
	return sys_mknodat(AT_FDCWD, path, mode, dev);
}

static int do_remove(int dirfd, const char __user *upath, bool rmdir)
{
	struct inode *dir;
	struct path parent, child;
	const char *name;
	char *kpath;
	size_t len;
	bool trailing;
	int err = parent_at(dirfd, upath, &kpath, &parent, &name, &len, &trailing);

	if (err)
		return err;
	dir = parent.inode;
	if (!len || path_dots(name, len))
		err = !rmdir ? -EISDIR : path_dots(name, len) == 1 ? -EINVAL :
		      path_dots(name, len) == 2 ? -ENOTEMPTY : -EBUSY;
	else if (!rmdir && trailing && !(err = path_child(&parent, name, len, &child))) {
		err = S_ISDIR(child.inode->mode) ? -EISDIR : -ENOTDIR;
		path_put(&child);
	}
	if (!err)
		err = may_change(&parent);
	if (!err && (!dir->iops || !dir->iops->unlink))
		err = -EPERM;
	if (!err) {
		fs_mutex_lock(&dir->sb->mutex);
		err = dir->iops->unlink(dir, name, len, rmdir);
		fs_mutex_unlock(&dir->sb->mutex);
	}
	path_put(&parent);
	kfree(kpath);
	return err;
}

long sys_unlink(const char __user *path)
{
	return do_remove(AT_FDCWD, path, false);
}

long sys_rmdir(const char __user *path)
{
	return do_remove(AT_FDCWD, path, true);
}

long sys_unlinkat(int dirfd, const char __user *path, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_remove(dirfd, path, flags & AT_REMOVEDIR);
}

long sys_symlinkat(const char __user *utarget, int dirfd, const char __user *upath)
{
	char *target = getname(utarget), *kpath;
	struct path parent;
	const char *name;
	size_t len;
	bool trailing;
	int err;

	if (IS_ERR(target))
		return PTR_ERR(target);
	err = target[0] ? parent_at(dirfd, upath, &kpath, &parent, &name, &len, &trailing)
			: -ENOENT;
	if (err) {
		kfree(target);
		return err;
	}
	err = may_create_name(&parent, name, len, trailing);
	if (!err)
		err = may_change(&parent);
	if (!err) {
		struct inode *dir = parent.inode;

		if (!dir->iops->symlink)
			err = sb_readonly_create_errno(dir->sb, S_IFLNK);
		fs_mutex_lock(&dir->sb->mutex);
		if (!err)
			err = dir->nlink ? dir->iops->symlink(dir, name, len, target) : -ENOENT;
		fs_mutex_unlock(&dir->sb->mutex);
	}
	path_put(&parent);
	kfree(kpath);
	kfree(target);
	return err;
}

long sys_symlink(const char __user *target, const char __user *path)
{
	return sys_symlinkat(target, AT_FDCWD, path);
}

static int rename_check_names(const char *oname, size_t olen, const char *nname, size_t nlen,
			      unsigned flags)
{
	if (!olen || path_dots(oname, olen))
		return -EBUSY;
	if (!nlen || path_dots(nname, nlen))
		return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	return 0;
}

/* With both parents resolved: the checks that need both, then the rename itself. */
static int rename_locked_step(struct path *op, const char *oname, size_t olen, bool otrail,
			      struct path *np, const char *nname, size_t nlen, bool ntrail,
			      unsigned flags)
{
	struct inode *odir = op->inode, *ndir = np->inode;
	struct path child;
	int err = rename_check_names(oname, olen, nname, nlen, flags);

	if (err)
		return err;
	if (op->mnt != np->mnt)
		return -EXDEV;
	err = may_change(op);
	if (!err)
		err = may_change(np);
	if (!err && (otrail || ntrail)) {
		err = path_child(op, oname, olen, &child);
		if (!err) {
			err = S_ISDIR(child.inode->mode) ? 0 : -ENOTDIR;
			path_put(&child);
		}
	}
	if (err)
		return err;
	if (!odir->iops->rename)
		return odir->sb->magic == PROC_SUPER_MAGIC ? -ENOENT : -EPERM;
	fs_mutex_lock(&odir->sb->mutex);
	err = odir->nlink && ndir->nlink ?
	      odir->iops->rename(odir, oname, olen, ndir, nname, nlen, flags) : -ENOENT;
	fs_mutex_unlock(&odir->sb->mutex);
	return err;
}

long sys_renameat2(int olddirfd, const char __user *oldpath, int newdirfd,
		   const char __user *newpath, unsigned flags)
{
	struct path op, np;
	const char *oname, *nname;
	char *okpath, *nkpath;
	size_t olen, nlen;
	bool otrail, ntrail;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	err = parent_at(olddirfd, oldpath, &okpath, &op, &oname, &olen, &otrail);
	if (err)
		return err;
	err = parent_at(newdirfd, newpath, &nkpath, &np, &nname, &nlen, &ntrail);
	if (!err) {
		err = rename_locked_step(&op, oname, olen, otrail, &np, nname, nlen, ntrail, flags);
		path_put(&np);
		kfree(nkpath);
	}
	path_put(&op);
	kfree(okpath);
	return err;
}

long sys_renameat(int olddirfd, const char __user *oldpath, int newdirfd,
		  const char __user *newpath)
{
	return sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

long sys_rename(const char __user *oldpath, const char __user *newpath)
{
	return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

long sys_linkat(int olddirfd, const char __user *oldpath, int newdirfd,
		const char __user *newpath, int flags)
{
	struct path old, parent;
	const char *name;
	char *kpath;
	size_t len;
	bool trailing;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(olddirfd, oldpath, flags, false, &old);
	if (err)
		return err;
	err = parent_at(newdirfd, newpath, &kpath, &parent, &name, &len, &trailing);
	if (err)
		goto out_old;
	/* Linux's order: the new name's checks, then EXDEV, permissions, directories. */
	err = may_create_name(&parent, name, len, trailing);
	if (!err && old.mnt != parent.mnt)
		err = -EXDEV;
	if (!err)
		err = may_change(&parent);
	if (!err && S_ISDIR(old.inode->mode))
		err = -EPERM;
	if (!err) {
		fs_mutex_lock(&parent.inode->sb->mutex);
		err = !parent.inode->nlink ? -ENOENT : !old.inode->nlink ? -ENOENT :
		      parent.inode->iops->link(parent.inode, name, len, old.inode);
		fs_mutex_unlock(&parent.inode->sb->mutex);
	}
	path_put(&parent);
	kfree(kpath);
out_old:
	path_put(&old);
	return err;
}

long sys_link(const char __user *oldpath, const char __user *newpath)
{
	return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

static long set_dir(const struct path *p, bool root)
{
	int err;

	if (!S_ISDIR(p->inode->mode))
		return -ENOTDIR;
	err = inode_permission(p->inode, 1);
	if (err)
		return err;
	if (root && task_cred(current)->euid != 0)
		return -EPERM;
	if (root)
		fs_state_set_root(p);
	else
		fs_state_set_cwd(p);
	return 0;
}

static long chdir_common(const char __user *upath, bool root)
{
	struct path p;
	long err = user_path_at(AT_FDCWD, upath, 0, true, &p);

	if (err)
		return err;
	err = set_dir(&p, root);
	path_put(&p);
	return err;
}

long sys_chdir(const char __user *path)
{
	return chdir_common(path, false);
}

long sys_chroot(const char __user *path)
{
	return chdir_common(path, true);
}

long sys_fchdir(int fd)
{
	struct file *file = fd_get_file(fd);
	struct path p;
	long err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (!file->inode || !file->mnt) {
		err = -ENOTDIR;
	} else {
		p.mnt = file->mnt;
		p.inode = file->inode;
		err = set_dir(&p, false);
	}
	file_put(file);
	return err;
}

long sys_getcwd(char __user *buf, unsigned long size)
{
	char *kbuf = kmalloc(PATH_MAX_LEN);
	struct path cwd;
	long len;

	if (!kbuf)
		return -ENOMEM;
	fs_state_get_cwd(&cwd);
	len = path_format(&cwd, kbuf, PATH_MAX_LEN);
	path_put(&cwd);
	if (len >= 0 && (unsigned long)len + 1 > size)
		len = -ERANGE;
	else if (len >= 0 && copy_to_user(buf, kbuf, len + 1))
		len = -EFAULT;
	else if (len >= 0)
		len++;
	kfree(kbuf);
	return len;
}

/* Changes attributes of p's inode: the owner (or root) only, on a writable mount. */
static int setattr_check(const struct path *p, bool owner_only)
{
	struct cred *cred = task_cred(current);

	if (owner_only && cred->fsuid != 0 && cred->fsuid != p->inode->uid)
		return -EPERM;
	if (p->mnt && (p->mnt->flags & MS_RDONLY))
		return -EROFS;
	return 0;
}

static long do_chmod(struct path *p, mode_t mode)
{
	struct inode *inode = p->inode;
	int err = setattr_check(p, true);

	if (!err) {
		fs_mutex_lock(&inode->sb->mutex);
		inode->mode = (inode->mode & S_IFMT) | (mode & 07777);
		inode_touch(inode, false, false, true);
		fs_mutex_unlock(&inode->sb->mutex);
	}
	path_put(p);
	return err;
}

long sys_fchmodat(int dirfd, const char __user *path, mode_t mode)
{
	struct path p;
	int err = user_path_at(dirfd, path, 0, true, &p);

	return err ? err : do_chmod(&p, mode);
}

long sys_chmod(const char __user *path, mode_t mode)
{
	return sys_fchmodat(AT_FDCWD, path, mode);
}

/* The inode (and mount) open at fd, counted; -EBADF for O_PATH or anonymous files. */
static int fd_path(int fd, struct path *p)
{
	struct file *file = fd_get_file(fd);
	int err = 0;

	if (IS_ERR(file))
		return PTR_ERR(file);
	p->mnt = file->mnt;
	p->inode = file->inode;
	if (!p->inode || (file->flags & O_PATH))
		err = -EBADF;
	else
		path_get(p);
	file_put(file);
	return err;
}

long sys_fchmod(int fd, mode_t mode)
{
	struct path p;
	int err = fd_path(fd, &p);

	return err ? err : do_chmod(&p, mode);
}

static long do_chown(struct path *p, uid_t uid, gid_t gid)
{
	struct inode *inode = p->inode;
	struct cred *cred = task_cred(current);
	int err = setattr_check(p, true);

	if (!err && cred->fsuid != 0 &&
	    ((uid != (uid_t)-1 && uid != inode->uid) || (gid != (gid_t)-1 && !cred_in_group(cred, gid) &&
							 gid != inode->gid)))
		err = -EPERM;
	if (!err) {
		fs_mutex_lock(&inode->sb->mutex);
		if (uid != (uid_t)-1)
			inode->uid = uid;
		if (gid != (gid_t)-1)
			inode->gid = gid;
		if (!S_ISDIR(inode->mode) && (uid != (uid_t)-1 || gid != (gid_t)-1))
			inode->mode &= ~(S_ISUID | ((inode->mode & S_IXGRP) ? S_ISGID : 0));
		inode_touch(inode, false, false, true);
		fs_mutex_unlock(&inode->sb->mutex);
	}
	path_put(p);
	return err;
}

long sys_fchownat(int dirfd, const char __user *path, uid_t uid, gid_t gid, int flags)
{
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dirfd, path, flags, true, &p);
	return err ? err : do_chown(&p, uid, gid);
}

long sys_chown(const char __user *path, uid_t uid, gid_t gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, 0);
}

long sys_lchown(const char __user *path, uid_t uid, gid_t gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(int fd, uid_t uid, gid_t gid)
{
	struct path p;
	int err = fd_path(fd, &p);

	return err ? err : do_chown(&p, uid, gid);
}

long sys_umask(int mask)
{
	struct fs_state *fs = current_fs();

	return __atomic_exchange_n(&fs->umask, mask & 0777, __ATOMIC_ACQ_REL);
}

/* One utimensat time: now, unchanged (returns false) or as given. */
static int utime_pick(const struct __kernel_timespec *ts, uint64_t *out)
{
	if (!ts || ts->tv_nsec == UTIME_NOW) {
		*out = fs_now_ns();
		return 1;
	}
	if (ts->tv_nsec == UTIME_OMIT)
		return 0;
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	*out = ts->tv_sec * 1000000000ULL + ts->tv_nsec;
	return 1;
}

static long utimes_apply(struct path *p, const struct __kernel_timespec *times)
{
	struct inode *inode = p->inode;
	uint64_t at = 0, mt = 0;
	int a = utime_pick(times ? &times[0] : NULL, &at);
	int m = utime_pick(times ? &times[1] : NULL, &mt);
	int err = a < 0 || m < 0 ? -EINVAL : setattr_check(p, times && (a || m) &&
							  times[0].tv_nsec != UTIME_NOW);

	if (!err && (a || m)) {
		fs_mutex_lock(&inode->sb->mutex);
		if (a)
			inode->atime_ns = at;
		if (m)
			inode->mtime_ns = mt;
		inode_touch(inode, false, false, true);
		fs_mutex_unlock(&inode->sb->mutex);
	}
	return err;
}

long sys_utimensat(int dirfd, const char __user *path, const struct __kernel_timespec __user *utimes,
		   int flags)
{
	struct __kernel_timespec times[2];
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes && copy_from_user(times, utimes, sizeof(times)))
		return -EFAULT;
	if (!path)
		err = fd_path(dirfd, &p);
	else
		err = user_path_at(dirfd, path, flags, true, &p);
	if (err)
		return err;
	err = utimes_apply(&p, utimes ? times : NULL);
	path_put(&p);
	return err;
}
