/*
 * block.h — block devices: what file systems (ext2) use and what disk drivers
 * (virtio-blk) provide. A driver fills in a struct block_device with its operations
 * and registers it; the core creates /dev/<name> and hands it to file systems.
 */
#ifndef LUMEN_BLOCK_H
#define LUMEN_BLOCK_H

#include "lib/lib.h"
#include "fs/vfs.h"
#include "base/device.h"

#define SECTOR_SIZE 512

struct block_device;

/* What a disk driver does. Both calls may sleep; several tasks may call them at once
 * (the driver keeps several requests in flight). */
struct block_device_ops {
	/* Reads (write false) or writes count sectors starting at sector, to or from buf
	 * (kernel memory, any alignment the driver copes with). 0 or -EIO; -EROFS for a
	 * write to a read-only disk. */
	int (*rw)(struct block_device *bdev, bool write, uint64_t sector, void *buf,
		  size_t count);
	/* Makes completed writes durable (the device's cache flush). */
	int (*flush)(struct block_device *bdev);
};

/* One disk. Owned by its driver; registered once, never freed today. */
struct block_device {
	char name[16];			/* "vda": the /dev name */
	dev_t dev;			/* MKDEV(major, minor), as Linux numbers it */
	uint64_t sectors;		/* capacity in 512-byte sectors */
	uint32_t logical_block_size;	/* bytes, from the device */
	bool read_only;
	const struct block_device_ops *ops;
	void *driver_data;
	struct device *parent;		/* the driver's device (virtioN), set by the driver */
	struct device sysdev;		/* /sys/.../block/<name>, set up by registration */
	uint64_t diskseq;		/* Linux's disk sequence number, from 1 */
	struct list_head link;		/* in the registry, under its lock */
};

/* Adds a disk, its sysfs device (class "block" under bdev->parent, with size, ro,
 * removable, diskseq and queue/) and its /dev node (block special). 0 or -errno. */
int block_device_register(struct block_device *bdev);
/* The registered disk with this device number, or NULL. */
struct block_device *block_device_find(dev_t dev);
/* Bounds-checked I/O through the driver: -EINVAL past the end, else the driver's. */
int block_read(struct block_device *bdev, uint64_t sector, void *buf, size_t count);
int block_write(struct block_device *bdev, uint64_t sector, const void *buf, size_t count);
int block_flush(struct block_device *bdev);
/* Flushes every disk (sync(2)); errors are not reported, as sync's are not. */
void block_flush_all(void);

/* Sets up the block layer; before the first disk registers. */
void block_init(void);
/* What opening a block special file gives (kernel/block/blkdev_file.c): byte-offset
 * read/write/lseek on the disk and the BLK* size ioctls. Open fails with ENXIO for a
 * device number no disk has. */
extern const struct file_operations blkdev_fops;

/* Disk drivers' entry points, called once at boot after virtio_init and vfs_init. */
void virtio_blk_init(void);

#endif
