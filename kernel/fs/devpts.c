/*
 * devpts.c — the pseudo-terminal file system (/dev/pts): one tmpfs instance shared
 * by every mount of type devpts, holding "ptmx" (5:2, mode 0000 as Linux's default
 * ptmxmode) and a node N (136:N, mode 0600, owned by the opener of /dev/ptmx) for
 * each pseudo-terminal pair while its master is open. kernel/dev/pty.c adds and
 * removes the nodes. Its sb->mutex protects the tree.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include <linux/magic.h>

static struct super_block *devpts_sb;

/* The name of pty N: its decimal number. */
static size_t devpts_name(unsigned index, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%u", index);
}

/* Adds /dev/pts/<index> for 136:index with the given owner; 0 or -errno. Takes
 * devpts's sb->mutex. */
int devpts_add(unsigned index, uid_t uid, gid_t gid)
{
	struct inode *dir, *node;
	char name[16];
	size_t len = devpts_name(index, name, sizeof(name));
	int err;

	if (!devpts_sb)
		return -ENODEV;
	dir = devpts_sb->root;
	fs_mutex_lock(&devpts_sb->mutex);
	err = dir->iops->create(dir, name, len, S_IFCHR | 0600, MKDEV(136, index), &node);
	if (!err) {
		node->uid = uid;
		node->gid = gid;
		inode_put(node);
	}
	fs_mutex_unlock(&devpts_sb->mutex);
	return err;
}

/* Removes /dev/pts/<index>; open files keep their inode. Takes devpts's sb->mutex. */
void devpts_remove(unsigned index)
{
	struct inode *dir;
	char name[16];
	size_t len = devpts_name(index, name, sizeof(name));

	if (!devpts_sb)
		return;
	dir = devpts_sb->root;
	fs_mutex_lock(&devpts_sb->mutex);
	dir->iops->unlink(dir, name, len, false);
	fs_mutex_unlock(&devpts_sb->mutex);
}

static struct super_block *devpts_get_sb(const struct file_system_type *type,
					 const char *source)
{
	return devpts_sb ? devpts_sb : ERR_PTR(-ENOMEM);
}

static size_t devpts_show_options(struct super_block *sb, char *buf, size_t size)
{
	return ksnprintf(buf, size, ",mode=600,ptmxmode=000");
}

struct file_system_type devpts_type = {
	.name = "devpts",
	.nodev = true,
	.get_sb = devpts_get_sb,
	.show_options = devpts_show_options,
};

/* Creates the shared instance with its ptmx node; from vfs_init. */
int devpts_init(void)
{
	struct inode *root, *node;
	int err;

	devpts_sb = tmpfs_create_sb(&devpts_type);
	if (!devpts_sb)
		return -ENOMEM;
	devpts_sb->magic = DEVPTS_SUPER_MAGIC;
	root = devpts_sb->root;
	root->mode = S_IFDIR | 0755;
	err = root->iops->create(root, "ptmx", 4, S_IFCHR, MKDEV(5, 2), &node);
	if (err)
		return err;
	node->mode = S_IFCHR;
	inode_put(node);
	return 0;
}
