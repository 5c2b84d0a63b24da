/*
 * virtio.h — the virtio 1.x transport over modern PCI, as drivers (virtio-blk, later
 * virtio-gpu and virtio-input) use it: find a device, negotiate features, read its
 * configuration, set up queues and run buffer chains through them.
 *
 * A driver's life: virtio_find(type, prev) → virtio_negotiate → virtio_queue_setup for
 * each queue → virtio_driver_ok → virtqueue_run from any number of tasks at once.
 * Completion is by MSI-X, one vector per queue.
 */
#ifndef LUMEN_VIRTIO_H
#define LUMEN_VIRTIO_H

#include "lib/lib.h"
#include "lib/spinlock.h"
#include "base/device.h"
#include "proc/proc.h"
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#define VIRTIO_MAX_QUEUES 8

struct pci_device;

/* One split virtqueue. `lock` (taken with interrupts off: the interrupt handler takes
 * it) protects the rings, free list, num_free and the pending array; `wq` is where
 * submitters wait for their completion or for free descriptors. */
struct virtqueue {
	struct virtio_device *vdev;
	uint16_t index, size;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t ring_phys;		/* the rings' pages, pages_alloc_contiguous */
	size_t ring_pages;
	volatile uint16_t *notify;	/* where the queue's index is written to kick it */
	spinlock_t lock;
	uint16_t free_head, num_free, last_used;
	struct virtqueue_req **pending;	/* per head descriptor: whom to tell */
	struct wait_queue wq;
};

/* A device found on the PCI bus. The transport fields are set at discovery and then
 * read-only; queues[] is filled by virtio_queue_setup before virtio_driver_ok. */
struct virtio_device {
	struct pci_device *pci;
	uint16_t type;			/* VIRTIO_ID_* */
	unsigned index;			/* N of Linux's virtioN: discovery (PCI) order */
	volatile uint8_t *common;	/* struct virtio_pci_common_cfg */
	volatile uint8_t *notify_base;
	uint32_t notify_mult, notify_len;
	volatile uint8_t *device_cfg;
	uint32_t device_cfg_len;
	uint8_t msix_cap;		/* config-space offset of the MSI-X capability */
	volatile uint32_t *msix_table;
	uint16_t msix_entries;
	uint64_t features;		/* negotiated */
	struct virtqueue *queues[VIRTIO_MAX_QUEUES];
	bool claimed;			/* a driver took it (virtio_find skips it) */
	struct device dev;		/* virtioN on the "virtio" bus, under the PCI function */
	struct list_head link;		/* in the device list; never removed */
};

/* One buffer of a chain: kernel memory (direct map or kernel image, any alignment;
 * split at page boundaries as needed). device_writes: the device fills it. */
struct virtio_buf {
	void *addr;
	uint32_t len;
	bool device_writes;
};

/* Scans PCI for virtio devices (transitional or modern) and maps their structures.
 * After pci_init; once. */
void virtio_init(void);
/* The first unclaimed device of the type, now claimed by the caller; NULL when there
 * is none. Called by drivers' init functions, one after the other. */
struct virtio_device *virtio_find(uint16_t type);
/* Resets the device and negotiates: the device's features that are in wanted, plus
 * VIRTIO_F_VERSION_1 which is required. 0, or -ENODEV when the device refuses. The
 * result is in vdev->features. */
int virtio_negotiate(struct virtio_device *vdev, uint64_t wanted);
/* True when feature bit `bit` was negotiated. */
static inline bool virtio_has(struct virtio_device *vdev, unsigned bit)
{
	return (vdev->features >> bit) & 1;
}
/* Copies len bytes of the device-specific configuration at offset into buf, retried
 * until the config generation is stable. -EINVAL when out of the structure. */
int virtio_config_read(struct virtio_device *vdev, uint32_t offset, void *buf, size_t len);
/* Copies len bytes of buf into the device-specific configuration at offset (a
 * driver acknowledging events). -EINVAL when out of the structure. */
int virtio_config_write(struct virtio_device *vdev, uint32_t offset, const void *buf,
			size_t len);
/* Has handler(ctx) run, in interrupt context, whenever the device's configuration
 * changes. After the queues are set up (the vector follows theirs), before
 * virtio_driver_ok. 0, -ENOSPC without a free MSI-X entry, -EIO if refused. */
int virtio_config_irq(struct virtio_device *vdev, void (*handler)(void *ctx), void *ctx);
/* Sets up queue `index` (at most max_size entries) with its MSI-X vector. After
 * virtio_negotiate, before virtio_driver_ok. Returns the queue or an ERR_PTR. */
struct virtqueue *virtio_queue_setup(struct virtio_device *vdev, uint16_t index,
				     uint16_t max_size);
/* Tells the device the driver is ready (DRIVER_OK); 0 or -EIO when it reports failure. */
int virtio_driver_ok(struct virtio_device *vdev);
/* Marks the device failed after a setup error (the driver gives it up). */
void virtio_fail(struct virtio_device *vdev);
/*
 * Puts the chain bufs[0..n) on the queue, kicks the device and sleeps (uninterruptibly)
 * until the device has used it. The device-readable buffers must come before the
 * device-writable ones. Returns the number of bytes the device wrote, or -EINVAL
 * when the chain can never fit the queue. Any task may call it; no locks held.
 */
long virtqueue_run(struct virtqueue *vq, const struct virtio_buf *bufs, unsigned n);

#endif
