/*
 * devtmpfs.c — the device file system: one tmpfs instance, shared by every mount of
 * type devtmpfs (as Linux), into which drivers add their nodes.
 */
#include "fs/fs.h"
#include "fs/path.h"
#include "mm/mm.h"

static struct super_block *devtmpfs_sb;

/* Finds or creates the directory name (len bytes) in dir; *out is counted. */
static int devtmpfs_subdir(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	int err = dir->iops->lookup(dir, name, len, out);

	if (err == -ENOENT)
		err = dir->iops->create(dir, name, len, S_IFDIR | 0755, 0, out);
	if (!err && !S_ISDIR((*out)->mode)) {
		inode_put(*out);
		err = -ENOTDIR;
	}
	return err;
}

static int devtmpfs_add_locked(const char *path, mode_t mode, dev_t dev)
{
	struct inode *dir = devtmpfs_sb->root, *next, *node;
	const char *cursor = path, *name;
	size_t len;
	int err;

	inode_get(dir);
	while ((err = path_component_next(&cursor, &name, &len)) > 0) {
		if (path_at_end(cursor)) {
			err = dir->iops->create(dir, name, len, mode, dev, &node);
			if (!err)
				inode_put(node);
			break;
		}
		err = devtmpfs_subdir(dir, name, len, &next);
		if (err)
			break;
		inode_put(dir);
		dir = next;
	}
	inode_put(dir);
	return err;
}

/* Adds /dev/<name> (parents created as needed) to the shared devtmpfs instance.
 * Takes devtmpfs's sb->mutex; -EEXIST when the name is taken. */
int devtmpfs_create_node(const char *name, mode_t mode, dev_t dev)
{
	int err;

	if (!devtmpfs_sb)
		return -ENODEV;
	fs_mutex_lock(&devtmpfs_sb->mutex);
	err = devtmpfs_add_locked(name, mode, dev);
	fs_mutex_unlock(&devtmpfs_sb->mutex);
	return err;
}

static struct super_block *devtmpfs_get_sb(const struct file_system_type *type,
					   const char *source)
{
	return devtmpfs_sb ? devtmpfs_sb : ERR_PTR(-ENOMEM);
}

static size_t devtmpfs_show_options(struct super_block *sb, char *buf, size_t size)
{
	size_t len = tmpfs_show_size(sb, buf, size);

	return len + ksnprintf(buf + MIN(len, size), size - MIN(len, size), ",mode=755,inode64");
}

struct file_system_type devtmpfs_type = {
	.name = "devtmpfs",
	.nodev = true,
	.get_sb = devtmpfs_get_sb,
	.show_options = devtmpfs_show_options,
};

/* Creates the shared instance; from vfs_init. */
int devtmpfs_init(void)
{
	devtmpfs_sb = tmpfs_create_sb(&devtmpfs_type);
	if (!devtmpfs_sb)
		return -ENOMEM;
	devtmpfs_sb->root->mode = S_IFDIR | 0755;
	return 0;
}
