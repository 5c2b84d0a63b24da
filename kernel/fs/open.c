/*
 * open.c — open(2)'s core: find or create the last component, check the access
 * the flags ask for, truncate, and open the file. Also the shared "create a node"
 * step of mkdir, mknod and open(O_CREAT).
 */
#include "fs/fs.h"
#include "fs/path.h"
#include "mm/mm.h"

static mode_t current_umask(void)
{
	struct fs_state *fs = current_fs();

	return fs ? READ_ONCE(fs->umask) : 022;
}

/* True when writes through mnt are refused (read-only mount). */
static bool mount_readonly(struct mount *mnt)
{
	return READ_ONCE(mnt->flags) & MS_RDONLY;
}

/* Creates name in the directory parent with mode (umask applied by the caller);
 * *out (may be NULL) gets the new inode, counted. */
int vfs_create(const struct path *parent, const char *name, size_t len, mode_t mode,
	       dev_t rdev, struct inode **out)
{
	struct inode *dir = parent->inode, *inode;
	int err;

	/* A read-only mount answers EROFS before the permission checks, but an existing
	 * name (a mount point on a read-only root, say) is EEXIST first, as Linux's
	 * filename_create. */
	if (mount_readonly(parent->mnt)) {
		struct path p;

		if (path_child(parent, name, len, &p))
			return -EROFS;
		path_put(&p);
		return -EEXIST;
	}
	if (!dir->iops || !dir->iops->create)
		return sb_readonly_create_errno(dir->sb, mode);
	err = inode_permission(dir, 3);
	if (err)
		return err;
	fs_mutex_lock(&dir->sb->mutex);
	err = dir->nlink ? dir->iops->create(dir, name, len, mode, rdev, &inode) : -ENOENT;
	fs_mutex_unlock(&dir->sb->mutex);
	if (err)
		return err;
	if (out)
		*out = inode;
	else
		inode_put(inode);
	return 0;
}

/* Checks that flags may open p: directory rules, permissions, read-only mounts. */
static int open_check(const struct path *p, int flags)
{
	struct inode *inode = p->inode;
	int acc = flags & O_ACCMODE, mask = 0;

	if (flags & O_PATH)
		return 0;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= 4;
	if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
		mask |= 2;
	if (S_ISDIR(inode->mode) && (mask & 2))
		return -EISDIR;
	if ((mask & 2) && mount_readonly(p->mnt) && !S_ISCHR(inode->mode) &&
	    !S_ISFIFO(inode->mode) && !S_ISSOCK(inode->mode))
		return -EROFS;
	return inode_permission(inode, mask);
}

/* Resolves the last component for O_CREAT: existing, or created. */
static int open_create(const struct path *parent, const char *name, size_t len, int flags,
		       mode_t mode, struct path *out)
{
	struct inode *inode;
	int err;

	err = path_child(parent, name, len, out);
	if (err == 0) {
		if (flags & O_EXCL) {
			path_put(out);
			return -EEXIST;
		}
		return 0;
	}
	if (err != -ENOENT)
		return err;
	err = vfs_create(parent, name, len, S_IFREG | (mode & 07777 & ~current_umask()), 0,
			 &inode);
	if (err == -EEXIST && !(flags & O_EXCL))
		return path_child(parent, name, len, out);
	if (err)
		return err;
	out->mnt = parent->mnt;
	mount_get(out->mnt);
	out->inode = inode;
	return 0;
}

/* Reads the target of the symlink name in dir into a kmalloc'd string. */
static char *link_target(const struct path *dir, const char *name, size_t len)
{
	struct path link;
	char *target;
	int n;

	if (path_child(dir, name, len, &link))
		return NULL;
	target = kmalloc(PATH_MAX_LEN);
	n = -EINVAL;
	if (target && S_ISLNK(link.inode->mode)) {
		fs_mutex_lock(&link.inode->sb->mutex);
		n = link.inode->iops->readlink(link.inode, target, PATH_MAX_LEN - 1);
		fs_mutex_unlock(&link.inode->sb->mutex);
	}
	path_put(&link);
	if (n <= 0) {
		kfree(target);
		return NULL;
	}
	target[n] = 0;
	return target;
}

/* O_CREAT through a dangling symlink: creates the file the link points to (following
 * up to 40 links, as Linux). */
static int open_create_via_link(const struct path *dir, const char *name, size_t len, int flags,
				mode_t mode, struct path *out, struct file_origin **origin)
{
	struct path cur = *dir, parent;
	char *target = NULL, *next;
	int err = -ELOOP, i;
	bool trailing;

	path_get(&cur);
	for (i = 0; i < SYMLOOP_MAX; i++) {
		next = link_target(&cur, name, len);
		kfree(target);
		target = next;
		if (!target) {
			err = -ENOENT;
			break;
		}
		err = path_parent_from(&cur, AT_FDCWD, target, &parent, &name, &len, &trailing);
		if (err)
			break;
		path_put(&cur);
		cur = parent;
		if (!len || path_dots(name, len) || trailing) {
			err = -EISDIR;
			break;
		}
		err = open_create(&cur, name, len, flags & ~O_EXCL, mode, out);
		if (err || !S_ISLNK(out->inode->mode))
			break;
		path_put(out);
		err = -ELOOP;
	}
	if (!err) {
		origin_put(*origin);
		*origin = origin_make(&cur, name, len);
	}
	path_put(&cur);
	kfree(target);
	return err;
}

/* Finds (or creates) what open(2) opens; *dir and *name tell where it was found. */
static int open_resolve(int dirfd, const char *path, int flags, mode_t mode,
			struct path *out, struct path *dir, const char **name, size_t *len,
			struct file_origin **origin)
{
	bool trailing;
	int err;

	err = path_parent_at(dirfd, path, dir, name, len, &trailing);
	if (err)
		return err;
	if (*len == 0 || path_dots(*name, *len)) {
		err = (flags & O_CREAT) ? -EISDIR :
		      path_lookup_at(dirfd, path, LOOKUP_FOLLOW, out);
		*len = 0;
	} else if (flags & O_CREAT) {
		err = trailing ? -EISDIR : open_create(dir, *name, *len, flags, mode, out);
	} else {
		err = path_child(dir, *name, *len, out);
	}
	if (!err && S_ISLNK(out->inode->mode) && !(flags & O_NOFOLLOW) &&
	    !((flags & O_CREAT) && (flags & O_EXCL))) {
		size_t link_len = *len;

		path_put(out);
		*len = 0;
		err = path_lookup_origin(dirfd, path, LOOKUP_FOLLOW, out, origin);
		if (err == -ENOENT && (flags & O_CREAT))
			err = open_create_via_link(dir, *name, link_len, flags, mode, out, origin);
	}
	if (!err && (trailing || (flags & O_DIRECTORY)) && !S_ISDIR(out->inode->mode) &&
	    !(S_ISLNK(out->inode->mode) && !trailing)) {
		path_put(out);
		err = -ENOTDIR;
	}
	if (err)
		path_put(dir);
	return err;
}

/* open(2) on a kernel path relative to dirfd; *out gets the file. */
int file_open_at(int dirfd, const char *path, int flags, mode_t mode, struct file **out)
{
	struct file_origin *origin = NULL;
	struct path p, dir;
	const char *name;
	struct file *file;
	size_t len;
	int err;

	err = open_resolve(dirfd, path, flags, mode, &p, &dir, &name, &len, &origin);
	if (err) {
		origin_put(origin);
		return err;
	}
	err = open_check(&p, flags);
	if (!err && (flags & O_CREAT) && S_ISDIR(p.inode->mode))
		err = -EISDIR;
	if (!err && (flags & O_TRUNC) && S_ISREG(p.inode->mode) && !(flags & O_PATH))
		err = do_truncate(p.inode, 0);
	if (err)
		goto out_put;
	file = file_open_path(&p, flags);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out_put;
	}
	if (len && !S_ISDIR(p.inode->mode))
		file->origin = origin_make(&dir, name, len);
	else if (!S_ISDIR(p.inode->mode)) {
		file->origin = origin;
		origin = NULL;
	}
	*out = file;
out_put:
	origin_put(origin);
	path_put(&p);
	path_put(&dir);
	return err;
}
