/*
 * virtio_blk.c — virtio block devices (vda, vdb...): capacity and block size from the
 * configuration, read-only disks, flush, reads and writes as header + data + status
 * chains on request queue 0, several in flight.
 */
#include "block/block.h"
#include "drivers/virtio/virtio.h"
#include "mm/mm.h"
#include "lib/log.h"
#include <linux/virtio_blk.h>

/* Linux's virtio_blk takes the first dynamic block major (254 on Debian's kernel) and
 * 16 minors per disk (partitions). */
#define VIRTBLK_MAJOR 254
#define VIRTBLK_MINORS 16
#define VIRTBLK_MAX_DISKS 26
/* Sectors per request: 64 KiB keeps a chain at 19 descriptors at most. */
#define VIRTBLK_MAX_SECTORS 128
#define VIRTBLK_QUEUE_SIZE 128

/* One disk: set up once at init, then read-only. */
struct virtblk {
	struct block_device bdev;
	struct virtio_device *vdev;
	struct virtqueue *vq;
};

/* Runs one request: header, optional data, status. 0, -EIO or -EOPNOTSUPP. */
static int virtblk_request(struct virtblk *vb, uint32_t type, uint64_t sector,
			   void *buf, size_t count)
{
	struct virtio_blk_outhdr hdr = { .type = type, .sector = sector };
	uint8_t status = 0xff;
	struct virtio_buf bufs[3];
	unsigned n = 0;
	long ret;

	bufs[n++] = (struct virtio_buf){ &hdr, sizeof(hdr), false };
	if (count)
		bufs[n++] = (struct virtio_buf){ buf, count * SECTOR_SIZE,
						 type == VIRTIO_BLK_T_IN };
	bufs[n++] = (struct virtio_buf){ &status, 1, true };
	ret = virtqueue_run(vb->vq, bufs, n);
	if (ret < 0)
		return ret;
	if (status == VIRTIO_BLK_S_UNSUPP)
		return -EOPNOTSUPP;
	return status == VIRTIO_BLK_S_OK ? 0 : -EIO;
}

static int virtblk_rw(struct block_device *bdev, bool write, uint64_t sector, void *buf,
		      size_t count)
{
	struct virtblk *vb = bdev->driver_data;
	int err = 0;

	if (write && bdev->read_only)
		return -EROFS;
	while (count && !err) {
		size_t n = MIN(count, (size_t)VIRTBLK_MAX_SECTORS);

		err = virtblk_request(vb, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector,
				      buf, n);
		sector += n;
		buf = (uint8_t *)buf + n * SECTOR_SIZE;
		count -= n;
	}
	return err;
}

/* Without VIRTIO_BLK_F_FLUSH the device has no volatile cache: nothing to do. */
static int virtblk_flush(struct block_device *bdev)
{
	struct virtblk *vb = bdev->driver_data;

	if (!virtio_has(vb->vdev, VIRTIO_BLK_F_FLUSH))
		return 0;
	return virtblk_request(vb, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
}

static const struct block_device_ops virtblk_ops = {
	.rw = virtblk_rw,
	.flush = virtblk_flush,
};

/* Reads capacity and block size from the configuration. */
static int virtblk_read_config(struct virtblk *vb)
{
	struct virtio_device *vdev = vb->vdev;
	uint64_t capacity;
	uint32_t blk_size = SECTOR_SIZE;
	int err;

	err = virtio_config_read(vdev, offsetof(struct virtio_blk_config, capacity),
				 &capacity, sizeof(capacity));
	if (err)
		return err;
	if (virtio_has(vdev, VIRTIO_BLK_F_BLK_SIZE)) {
		err = virtio_config_read(vdev, offsetof(struct virtio_blk_config, blk_size),
					 &blk_size, sizeof(blk_size));
		if (err)
			return err;
		/* Linux accepts 512..PAGE_SIZE powers of two, else falls back to 512. */
		if (blk_size < SECTOR_SIZE || blk_size > PAGE_SIZE || (blk_size & (blk_size - 1)))
			blk_size = SECTOR_SIZE;
	}
	/* A byte offset on the disk must fit an off_t. */
	vb->bdev.sectors = MIN(capacity, (uint64_t)INT64_MAX / SECTOR_SIZE);
	vb->bdev.logical_block_size = blk_size;
	vb->bdev.read_only = virtio_has(vdev, VIRTIO_BLK_F_RO);
	return 0;
}

/* Brings up one device as disk number `index`. */
static int virtblk_probe(struct virtio_device *vdev, unsigned index)
{
	struct virtblk *vb = kzalloc(sizeof(*vb));
	int err;

	if (!vb)
		return -ENOMEM;
	vb->vdev = vdev;
	err = virtio_negotiate(vdev, 1ULL << VIRTIO_BLK_F_RO | 1ULL << VIRTIO_BLK_F_FLUSH |
				     1ULL << VIRTIO_BLK_F_BLK_SIZE);
	if (err)
		goto free_vb;
	err = virtblk_read_config(vb);
	if (err)
		goto failed;
	vb->vq = virtio_queue_setup(vdev, 0, VIRTBLK_QUEUE_SIZE);
	if (IS_ERR(vb->vq)) {
		err = PTR_ERR(vb->vq);
		goto failed;
	}
	if (vb->vq->size < 2 + VIRTBLK_MAX_SECTORS * SECTOR_SIZE / PAGE_SIZE + 1) {
		err = -ENODEV;
		goto failed;
	}
	err = virtio_driver_ok(vdev);
	if (err)
		goto failed;
	ksnprintf(vb->bdev.name, sizeof(vb->bdev.name), "vd%c", 'a' + index);
	vb->bdev.dev = MKDEV(VIRTBLK_MAJOR, index * VIRTBLK_MINORS);
	vb->bdev.ops = &virtblk_ops;
	vb->bdev.driver_data = vb;
	vb->bdev.parent = &vdev->dev;
	pr_info("virtio_blk virtio%u: [%s] %lu 512-byte logical blocks%s", index,
		vb->bdev.name, (unsigned long)vb->bdev.sectors,
		vb->bdev.read_only ? " (read-only)" : "");
	return block_device_register(&vb->bdev);
failed:
	virtio_fail(vdev);
free_vb:
	kfree(vb);
	return err;
}

/* Finds every virtio block device and registers it as vda, vdb... After virtio_init
 * and devtmpfs (vfs_init). */
void virtio_blk_init(void)
{
	struct virtio_device *vdev;
	unsigned index = 0;
	int err;

	while (index < VIRTBLK_MAX_DISKS && (vdev = virtio_find(VIRTIO_ID_BLOCK))) {
		err = virtblk_probe(vdev, index);
		if (err)
			pr_warn("virtio_blk: a disk failed to come up (%d)", err);
		else
			index++;
	}
}
