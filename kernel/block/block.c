/*
 * block.c — the registry of disks and the bounds-checked entry points file systems use.
 * block_lock protects the list; disks are never removed.
 */
#include "block/block.h"
#include "lib/log.h"
#include <linux/stat.h>

static spinlock_t block_lock = SPINLOCK_INIT("block");
static LIST_HEAD(block_devices);

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
	if (!err)
		list_add_tail(&bdev->link, &block_devices);
	spin_unlock_irqrestore(&block_lock, flags);
	if (err)
		return err;
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
