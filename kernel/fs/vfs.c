/*
 * vfs.c — bringing the VFS up: the root tmpfs, the file system types, and the
 * anonymous file system that gives pipes and sockets their inodes, and the one inode
 * of anon_inode files.
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

/* Linux's anon_inodefs: the instance of the one inode eventfd, timerfd, signalfd and
 * epoll files share. Both set once; anon_inode_lock. */
static const struct super_operations anon_inode_sops;
static struct super_block *anon_inode_sb;
static struct inode *anon_inode;
static spinlock_t anon_inode_lock = SPINLOCK_INIT("anon_inode");

/* The inode every anon_inode file shows to fstat, statx and fstatfs, as Linux's
 * anon_inode_inode: mode 0600 without a type, owned by root, one link, stamped at
 * the first call. Never freed; NULL when out of memory. Takes anon_inode_lock. */
struct inode *anon_inode_shared(void)
{
	struct inode *inode = READ_ONCE(anon_inode), *fresh;
	uint64_t flags;

	if (inode)
		return inode;
	fresh = inode_alloc(anon_inode_sb, S_IRUSR | S_IWUSR);
	if (!fresh)
		return NULL;
	fresh->uid = 0;
	fresh->gid = 0;
	flags = spin_lock_irqsave(&anon_inode_lock);
	if (!anon_inode) {
		WRITE_ONCE(anon_inode, fresh);
		fresh = NULL;
	}
	inode = anon_inode;
	spin_unlock_irqrestore(&anon_inode_lock, flags);
	kfree(fresh);		/* lost a race with another first caller */
	return inode;
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

/* Creates the internal tmpfs of shared memory, mounts the root tmpfs (with
 * /dev/console), registers the file system types and builds devtmpfs, devpts,
 * procfs and sysfs. Panics when memory runs out this early. */
void vfs_init(void)
{
	struct super_block *root;

	if (shm_init())
		panic("vfs: cannot create the internal tmpfs");
	root = tmpfs_create_sb(&rootfs_type);
	anon_sb = sb_alloc(&anon_type, &anon_sops, PIPEFS_MAGIC);
	anon_inode_sb = sb_alloc(&anon_type, &anon_inode_sops, ANON_INODE_FS_MAGIC);
	if (!root || !anon_sb || !anon_inode_sb || mount_root(root))
		panic("vfs: cannot create the root file system");
	root->root->mode = S_IFDIR | 0755;
	vfs_default_root(root);
	fs_type_register(&sysfs_type);
	fs_type_register(&tmpfs_type);
	fs_type_register(&proc_type);
	fs_type_register(&devtmpfs_type);
	fs_type_register(&devpts_type);
	fs_type_register(&ext2_type);
	anon_inode_sb->mnt_id = mount_new_id();
	if (devtmpfs_init() || devpts_init() || procfs_init() || sysfs_init())
		panic("vfs: cannot create devtmpfs, devpts, procfs or sysfs");
	pr_info("vfs: root tmpfs mounted");
}
