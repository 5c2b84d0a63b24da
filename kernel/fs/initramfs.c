/*
 * initramfs.c — unpacks the boot cpio archive into the root tmpfs, with modes,
 * owners, times and hard links as recorded.
 */
#include "fs/fs.h"
#include "fs/cpio.h"
#include "mm/mm.h"

/* A hard-link group seen earlier: later members link to `name`. */
struct cpio_link {
	uint32_t ino, dev_major, dev_minor;
	char *name;
	struct cpio_link *next;
};

struct unpack_ctx {
	struct cpio_link *links;
	char path[PATH_MAX_LEN];
};

static void unpack_set_attrs(struct inode *inode, const struct cpio_entry *e)
{
	fs_mutex_lock(&inode->sb->mutex);
	inode->mode = (inode->mode & S_IFMT) | (e->mode & 07777);
	inode->uid = e->uid;
	inode->gid = e->gid;
	inode->atime_ns = inode->mtime_ns = inode->ctime_ns = (uint64_t)e->mtime * 1000000000;
	fs_mutex_unlock(&inode->sb->mutex);
}

static int unpack_write(struct inode *inode, const struct cpio_entry *e)
{
	struct file *file;
	struct iobuf buf = { (char *)e->data, e->size, true };
	off_t pos = 0;
	ssize_t n;

	if (!e->size)
		return 0;
	file = file_alloc(inode->fops, NULL, O_WRONLY);
	if (IS_ERR(file))
		return PTR_ERR(file);
	inode_get(inode);
	file->inode = inode;
	do_truncate(inode, 0);
	n = file_write(file, &buf, &pos);
	file_put(file);
	return n == (ssize_t)e->size ? 0 : (n < 0 ? n : -ENOSPC);
}

static struct cpio_link *unpack_link_find(struct unpack_ctx *ctx, const struct cpio_entry *e)
{
	struct cpio_link *l;

	for (l = ctx->links; l; l = l->next)
		if (l->ino == e->ino && l->dev_major == e->dev_major && l->dev_minor == e->dev_minor)
			return l;
	return NULL;
}

static int unpack_remember(struct unpack_ctx *ctx, const struct cpio_entry *e)
{
	struct cpio_link *l = kzalloc(sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->ino = e->ino;
	l->dev_major = e->dev_major;
	l->dev_minor = e->dev_minor;
	l->name = kstrdup(ctx->path);
	if (!l->name) {
		kfree(l);
		return -ENOMEM;
	}
	l->next = ctx->links;
	ctx->links = l;
	return 0;
}

/* Creates the node of one entry in parent; *out counted. */
static int unpack_node(struct unpack_ctx *ctx, const struct path *parent, const char *name,
		       size_t len, const struct cpio_entry *e, struct inode **out)
{
	struct inode *dir = parent->inode;
	dev_t rdev = MKDEV(e->rdev_major, e->rdev_minor);
	char *target;
	int err;

	switch (e->mode & S_IFMT) {
	case S_IFLNK:
		if (e->size >= PATH_MAX_LEN)
			return -EINVAL;
		target = kstrndup(e->data, e->size);
		if (!target)
			return -ENOMEM;
		fs_mutex_lock(&dir->sb->mutex);
		err = dir->iops->symlink(dir, name, len, target);
		if (!err)
			err = dir->iops->lookup(dir, name, len, out);
		fs_mutex_unlock(&dir->sb->mutex);
		kfree(target);
		return err;
	case S_IFDIR:
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return vfs_create(parent, name, len, e->mode, rdev, out);
	}
	return -EINVAL;
}

static int unpack_hardlink(struct unpack_ctx *ctx, const struct path *parent, const char *name,
			   size_t len, const struct cpio_entry *e, struct cpio_link *l)
{
	struct path first;
	int err = path_lookup_at(AT_FDCWD, l->name, 0, &first);

	if (err)
		return err;
	fs_mutex_lock(&parent->inode->sb->mutex);
	err = parent->inode->iops->link(parent->inode, name, len, first.inode);
	fs_mutex_unlock(&parent->inode->sb->mutex);
	if (!err && e->size) {
		err = unpack_write(first.inode, e);
		unpack_set_attrs(first.inode, e);
	}
	path_put(&first);
	return err;
}

/* Removes an existing non-directory name, as Linux's unpacker does before creating. */
static int unpack_replace(const struct path *parent, const char *name, size_t len)
{
	struct inode *dir = parent->inode;
	int err;

	fs_mutex_lock(&dir->sb->mutex);
	err = dir->iops->unlink(dir, name, len, false);
	fs_mutex_unlock(&dir->sb->mutex);
	return err;
}

static int unpack_entry(const struct cpio_entry *e, void *arg)
{
	struct unpack_ctx *ctx = arg;
	struct cpio_link *l;
	struct inode *inode;
	struct path parent;
	const char *name;
	size_t len;
	bool trailing;
	int err;

	if (e->name_len + 2 > sizeof(ctx->path))
		return -EINVAL;
	ctx->path[0] = '/';
	memcpy(ctx->path + 1, e->name, e->name_len + 1);
	err = path_parent_at(AT_FDCWD, ctx->path, &parent, &name, &len, &trailing);
	if (err)
		return err;
	l = S_ISREG(e->mode) && e->nlink > 1 ? unpack_link_find(ctx, e) : NULL;
	if (l) {
		err = unpack_hardlink(ctx, &parent, name, len, e, l);
		goto out;
	}
	err = unpack_node(ctx, &parent, name, len, e, &inode);
	if (err == -EEXIST && !S_ISDIR(e->mode) && !unpack_replace(&parent, name, len))
		err = unpack_node(ctx, &parent, name, len, e, &inode);
	if (err == -EEXIST && S_ISDIR(e->mode))
		err = 0;	/* a directory listed twice */
	else if (!err) {
		if (S_ISREG(e->mode))
			err = unpack_write(inode, e);
		unpack_set_attrs(inode, e);
		if (!err && S_ISREG(e->mode) && e->nlink > 1)
			err = unpack_remember(ctx, e);
		inode_put(inode);
	}
out:
	path_put(&parent);
	return err;
}

/* Unpacks a cpio newc archive into the root file system; 0 or -errno (-EINVAL for a
 * malformed archive). Single-threaded boot code. */
int initramfs_unpack(const void *data, size_t size)
{
	struct unpack_ctx *ctx = kzalloc(sizeof(*ctx));
	struct cpio_link *l, *next;
	int err;

	if (!ctx)
		return -ENOMEM;
	err = cpio_parse(data, size, unpack_entry, ctx);
	for (l = ctx->links; l; l = next) {
		next = l->next;
		kfree(l->name);
		kfree(l);
	}
	kfree(ctx);
	return err;
}
