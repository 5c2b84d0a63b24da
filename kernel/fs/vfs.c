/*
 * vfs.c — bringing the VFS up: the root tmpfs, the file system types, and the
 * anonymous file system that gives pipes and sockets their inodes.
 */
#include "fs/fs.h"
#include "lib/log.h"
#include "mm/mm.h"

static struct super_block *anon_sb;

static const struct super_operations anon_sops = {
	.drop_unused = true,
};

static struct file_system_type anon_type = {
	.name = "anon_inodefs",
	.nodev = true,
};

/* A new anonymous inode with mode (S_IFIFO, S_IFSOCK...), counted; NULL when out of
 * memory. It is freed at its last reference. */
struct inode *anon_inode_new(mode_t mode)
{
	return inode_alloc(anon_sb, mode);
}

/* What Linux's built-in initramfs gives before the external one is unpacked: /dev and
 * /dev/console, so PID 1 has a console even when its archive lacks the node. */
static void vfs_default_root(struct super_block *root)
{
	struct inode *dev, *console;

	if (tmpfs_dir_iops.create(root->root, "dev", 3, S_IFDIR | 0755, 0, &dev))
		return;
	if (!tmpfs_dir_iops.create(dev, "console", 7, S_IFCHR | 0600, MKDEV(5, 1), &console))
		inode_put(console);
	inode_put(dev);
}

/* Mounts the root tmpfs (with /dev/console), registers the file system types and
 * builds devtmpfs, devpts, procfs and sysfs. Panics when memory runs out this early. */
void vfs_init(void)
{
	struct super_block *root;

	root = tmpfs_create_sb(&rootfs_type);
	anon_sb = sb_alloc(&anon_type, &anon_sops, PIPEFS_MAGIC);
	if (!root || !anon_sb || mount_root(root))
		panic("vfs: cannot create the root file system");
	root->root->mode = S_IFDIR | 0755;
	vfs_default_root(root);
	fs_type_register(&sysfs_type);
	fs_type_register(&tmpfs_type);
	fs_type_register(&proc_type);
	fs_type_register(&devtmpfs_type);
	fs_type_register(&devpts_type);
	fs_type_register(&ext2_type);
	if (devtmpfs_init() || devpts_init() || procfs_init() || sysfs_init())
		panic("vfs: cannot create devtmpfs, devpts, procfs or sysfs");
	pr_info("vfs: root tmpfs mounted");
}
