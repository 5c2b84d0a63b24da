/*
 * block.c — the registry of disks and the bounds-checked entry points file systems use.
 * block_lock protects the list; disks are never removed.
 */
#include "block/block.h"
#include "lib/log.h"
#include <linux/stat.h>

static spinlock_t block_lock = SPINLOCK_INIT("block");
static LIST_HEAD(block_devices);
static uint64_t block_diskseq;		/* under block_lock */

static size_t block_show_size(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%lu\n", (unsigned long)((struct block_device *)ctx)->sectors);
}

static size_t block_show_ro(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%d\n", ((struct block_device *)ctx)->read_only);
}

static size_t block_show_removable(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "0\n");
}

static size_t block_show_diskseq(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%lu\n", (unsigned long)((struct block_device *)ctx)->diskseq);
}

static size_t block_show_block_size(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%u\n", ((struct block_device *)ctx)->logical_block_size);
}

/* The disk type's uevent variable, as Linux's disk_uevent adds it. */
static size_t block_uevent(struct device *dev, char *buf, size_t size)
{
	return ksnprintf(buf, size, "DISKSEQ=%lu\n",
			 (unsigned long)((struct block_device *)dev->data)->diskseq);
}

static const struct {
	const char *name;
	size_t (*show)(void *ctx, char *buf, size_t size);
} block_attrs[] = {
	{ "size", block_show_size }, { "ro", block_show_ro },
	{ "removable", block_show_removable }, { "diskseq", block_show_diskseq },
};

/* The disk's sysfs device: .../<parent>/block/<name> and its attributes. */
static int block_sysfs_add(struct block_device *bdev)
{
	struct device *dev = &bdev->sysdev;
	struct sysfs_node *queue;
	int err;

	strlcpy(dev->name, bdev->name, sizeof(dev->name));
	dev->parent = bdev->parent;
	dev->class = "block";
	dev->devt = bdev->dev;
	dev->devtype = "disk";
	dev->uevent = block_uevent;
	dev->data = bdev;
	err = device_register(dev);
	for (size_t i = 0; i < ARRAY_SIZE(block_attrs) && !err; i++)
		err = device_add_file(dev, block_attrs[i].name, 0444, block_attrs[i].show, NULL,
				      bdev);
	queue = err ? NULL : sysfs_mkdir(dev->dir, "queue");
	if (!err && !queue)
		err = -ENOMEM;
	if (!err)
		err = sysfs_add_file(queue, "logical_block_size", 0444, block_show_block_size,
				     bdev);
	if (!err)
		err = sysfs_add_file(queue, "hw_sector_size", 0444, block_show_block_size, bdev);
	return err;
}

/* Adds bdev to the registry and creates /dev/<name> (block special, 0600 root as
 * Linux's devtmpfs makes it). 0, -EINVAL, -EEXIST or devtmpfs's error. */
int block_device_register(struct block_device *bdev)
{
	struct block_device *other;
	uint64_t flags;
	int err = 0;

	if (!bdev->name[0] || !bdev->ops || !bdev->ops->rw || !bdev->ops->flush ||
	    bdev->logical_block_size < SECTOR_SIZE)
		return -EINVAL;
	flags = spin_lock_irqsave(&block_lock);
	list_for_each_entry(other, &block_devices, link) {
		if (other->dev == bdev->dev)
			err = -EEXIST;
	}
	if (!err) {
		bdev->diskseq = ++block_diskseq;
		list_add_tail(&bdev->link, &block_devices);
	}
	spin_unlock_irqrestore(&block_lock, flags);
	if (err)
		return err;
	err = block_sysfs_add(bdev);
	if (err)
		pr_warn("block: %s: incomplete sysfs entries (%d)", bdev->name, err);
	return devtmpfs_create_node(bdev->name, S_IFBLK | 0600, bdev->dev);
}

/* The registered disk numbered dev, or NULL. */
struct block_device *block_device_find(dev_t dev)
{
	struct block_device *bdev, *found = NULL;
	uint64_t flags = spin_lock_irqsave(&block_lock);

	list_for_each_entry(bdev, &block_devices, link) {
		if (bdev->dev == dev) {
			found = bdev;
			break;
		}
	}
	spin_unlock_irqrestore(&block_lock, flags);
	return found;
}

static bool block_in_range(struct block_device *bdev, uint64_t sector, size_t count)
{
	return sector <= bdev->sectors && count <= bdev->sectors - sector;
}

/* Reads count sectors at sector into buf; -EINVAL past the end, else the driver's. */
int block_read(struct block_device *bdev, uint64_t sector, void *buf, size_t count)
{
	if (!block_in_range(bdev, sector, count))
		return -EINVAL;
	if (!count)
		return 0;
	return bdev->ops->rw(bdev, false, sector, buf, count);
}

/* Writes count sectors at sector from buf; -EINVAL past the end, -EROFS on a read-only
 * disk, else the driver's. */
int block_write(struct block_device *bdev, uint64_t sector, const void *buf, size_t count)
{
	if (!block_in_range(bdev, sector, count))
		return -EINVAL;
	if (bdev->read_only)
		return -EROFS;
	if (!count)
		return 0;
	return bdev->ops->rw(bdev, true, sector, (void *)buf, count);
}

/* Makes completed writes durable. 0 or -EIO. */
int block_flush(struct block_device *bdev)
{
	return bdev->ops->flush(bdev);
}

/* Flushes every registered disk; disks are never removed, so the walk needs the lock
 * only to step (the flush itself sleeps). */
void block_flush_all(void)
{
	struct block_device *bdev;
	struct list_head *next;
	uint64_t flags = spin_lock_irqsave(&block_lock);

	next = block_devices.next;
	while (next != &block_devices) {
		bdev = list_entry(next, struct block_device, link);
		spin_unlock_irqrestore(&block_lock, flags);
		block_flush(bdev);
		flags = spin_lock_irqsave(&block_lock);
		next = bdev->link.next;
	}
	spin_unlock_irqrestore(&block_lock, flags);
}
