/*
 * virtio_internal.h — what the PCI transport and the virtqueue code share: accessors
 * of the common configuration structure and MSI-X routing.
 */
#ifndef LUMEN_VIRTIO_INTERNAL_H
#define LUMEN_VIRTIO_INTERNAL_H

#include "drivers/virtio/virtio.h"
#include "arch/x86_64/arch.h"
#include <linux/virtio_pci.h>

/* Device registers are little-endian, as x86 is; volatile accesses of the field's width. */
#define COMMON_FIELD(vdev, type, field) \
	(*(volatile type *)((vdev)->common + offsetof(struct virtio_pci_common_cfg, field)))
#define common_read8(vdev, f) COMMON_FIELD(vdev, uint8_t, f)
#define common_read16(vdev, f) COMMON_FIELD(vdev, uint16_t, f)
#define common_read32(vdev, f) COMMON_FIELD(vdev, uint32_t, f)
#define common_write8(vdev, f, v) (COMMON_FIELD(vdev, uint8_t, f) = (v))
#define common_write16(vdev, f, v) (COMMON_FIELD(vdev, uint16_t, f) = (v))
#define common_write32(vdev, f, v) (COMMON_FIELD(vdev, uint32_t, f) = (v))

/* Points MSI-X table entry `entry` at a new vector running handler(ctx) and enables
 * MSI-X on the function. 0 or -ENOSPC. */
int virtio_pci_msix_route(struct virtio_device *vdev, uint16_t entry,
			  irq_handler_t handler, void *ctx);

/* One chain in flight: the submitter waits for done; the interrupt handler sets it
 * with the written length (under the queue's lock). */
struct virtqueue_req {
	bool done;
	uint32_t written;
};

#endif
