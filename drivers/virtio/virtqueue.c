/*
 * virtqueue.c — split virtqueues: rings in contiguous pages, a free-descriptor list,
 * any number of chains in flight, completion by the queue's MSI-X interrupt waking
 * the submitters.
 */
#include "drivers/virtio/virtio_internal.h"
#include "mm/mm.h"
#include "lib/log.h"

static void virtqueue_free_chain_locked(struct virtqueue *vq, uint16_t head)
{
	uint16_t i = head, n = 1;

	while ((vq->desc[i].flags & VRING_DESC_F_NEXT) && n < vq->size) {
		i = vq->desc[i].next % vq->size;
		n++;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
	vq->num_free += n;
}

/* The queue's interrupt: hands every used chain back to its submitter. */
static void virtqueue_interrupt(void *ctx)
{
	struct virtqueue *vq = ctx;
	uint64_t flags = spin_lock_irqsave(&vq->lock);

	while (vq->last_used != *(volatile uint16_t *)&vq->used->idx) {
		struct vring_used_elem e;
		struct virtqueue_req *req;

		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		e = vq->used->ring[vq->last_used % vq->size];
		vq->last_used++;
		if (e.id >= vq->size || !vq->pending[e.id]) {
			pr_warn("virtio: queue %u: device used unknown chain %u", vq->index, e.id);
			continue;
		}
		req = vq->pending[e.id];
		vq->pending[e.id] = NULL;
		virtqueue_free_chain_locked(vq, e.id);
		req->written = e.len;
		__atomic_store_n(&req->done, true, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&vq->lock, flags);
	wake_up(&vq->wq);
}

/* Allocates the rings and builds the free list; -ENOMEM. */
static int virtqueue_alloc_rings(struct virtqueue *vq)
{
	size_t desc_bytes = 16 * (size_t)vq->size;
	size_t used_off = (desc_bytes + 6 + 2 * (size_t)vq->size + PAGE_SIZE - 1) & PAGE_MASK;
	uint8_t *base;

	vq->ring_pages = (used_off + 6 + 8 * (size_t)vq->size + PAGE_SIZE - 1) / PAGE_SIZE;
	vq->ring_phys = pages_alloc_contiguous(vq->ring_pages);
	if (!vq->ring_phys)
		return -ENOMEM;
	vq->pending = kzalloc(vq->size * sizeof(*vq->pending));
	if (!vq->pending) {
		pages_free_contiguous(vq->ring_phys, vq->ring_pages);
		return -ENOMEM;
	}
	base = phys_to_virt(vq->ring_phys);
	vq->desc = (struct vring_desc *)base;
	vq->avail = (struct vring_avail *)(base + desc_bytes);
	vq->used = (struct vring_used *)(base + used_off);
	for (uint16_t i = 0; i < vq->size; i++)
		vq->desc[i].next = i + 1;
	vq->num_free = vq->size;
	return 0;
}

/* Tells the device where the rings are and enables the queue (selected already). */
static void virtqueue_enable(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vdev;
	uint64_t desc = vq->ring_phys, avail = virt_to_phys(vq->avail);
	uint64_t used = virt_to_phys(vq->used);

	common_write32(vdev, queue_desc_lo, (uint32_t)desc);
	common_write32(vdev, queue_desc_hi, desc >> 32);
	common_write32(vdev, queue_avail_lo, (uint32_t)avail);
	common_write32(vdev, queue_avail_hi, avail >> 32);
	common_write32(vdev, queue_used_lo, (uint32_t)used);
	common_write32(vdev, queue_used_hi, used >> 32);
	common_write16(vdev, queue_enable, 1);
}

/* Sets up queue `index` with at most max_size entries and its own MSI-X vector.
 * Returns the queue or ERR_PTR(-ENOENT, -ENOMEM, -ENOSPC). */
struct virtqueue *virtio_queue_setup(struct virtio_device *vdev, uint16_t index,
				     uint16_t max_size)
{
	struct virtqueue *vq;
	uint16_t size, notify_off;
	int err = -ENOENT;

	if (index >= VIRTIO_MAX_QUEUES || index >= common_read16(vdev, num_queues))
		return ERR_PTR(-ENOENT);
	common_write16(vdev, queue_select, index);
	size = MIN(common_read16(vdev, queue_size), max_size);
	while (size & (size - 1))
		size &= size - 1;	/* a power of two, as split rings need */
	notify_off = common_read16(vdev, queue_notify_off);
	if (!size || (uint64_t)notify_off * vdev->notify_mult + 2 > vdev->notify_len)
		return ERR_PTR(-ENOENT);
	vq = kzalloc(sizeof(*vq));
	if (!vq)
		return ERR_PTR(-ENOMEM);
	vq->vdev = vdev;
	vq->index = index;
	vq->size = size;
	vq->notify = (volatile uint16_t *)(vdev->notify_base +
					   (uint64_t)notify_off * vdev->notify_mult);
	spin_init(&vq->lock, "virtqueue");
	wait_queue_init(&vq->wq);
	err = virtqueue_alloc_rings(vq);
	if (err)
		goto free_vq;
	err = virtio_pci_msix_route(vdev, index, virtqueue_interrupt, vq);
	if (err)
		goto free_rings;
	common_write16(vdev, queue_size, size);
	common_write16(vdev, queue_msix_vector, index);
	if (common_read16(vdev, queue_msix_vector) != index) {
		err = -ENOSPC;
		goto free_rings;
	}
	virtqueue_enable(vq);
	vdev->queues[index] = vq;
	return vq;
free_rings:
	kfree(vq->pending);
	pages_free_contiguous(vq->ring_phys, vq->ring_pages);
free_vq:
	kfree(vq);
	return ERR_PTR(err);
}

/* Descriptors a chain needs: one per page-contiguous piece of each buffer. */
static unsigned virtqueue_count_segments(const struct virtio_buf *bufs, unsigned n)
{
	unsigned segs = 0;

	for (unsigned i = 0; i < n; i++) {
		uint64_t start = (uint64_t)bufs[i].addr, end = start + bufs[i].len;

		if (bufs[i].len)
			segs += ((end - 1) >> PAGE_SHIFT) - (start >> PAGE_SHIFT) + 1;
	}
	return segs;
}

/* Fills the free descriptors with the chain; returns its head. */
static uint16_t virtqueue_fill_locked(struct virtqueue *vq, const struct virtio_buf *bufs,
				      unsigned n, unsigned segs)
{
	uint16_t head = vq->free_head, idx = head;
	unsigned done = 0;

	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = bufs[i].addr;
		uint32_t left = bufs[i].len;

		while (left) {
			uint32_t piece = MIN(left, PAGE_SIZE - ((uint64_t)p & (PAGE_SIZE - 1)));
			struct vring_desc *d = &vq->desc[idx];

			d->addr = virt_to_phys(p);
			d->len = piece;
			d->flags = (bufs[i].device_writes ? VRING_DESC_F_WRITE : 0) |
				   (++done < segs ? VRING_DESC_F_NEXT : 0);
			idx = d->next;
			p += piece;
			left -= piece;
		}
	}
	vq->free_head = idx;
	vq->num_free -= segs;
	return head;
}

/* Queues the chain, kicks the device and sleeps until it is used. Returns the bytes
 * the device wrote, or -EINVAL for a chain that can never fit. */
long virtqueue_run(struct virtqueue *vq, const struct virtio_buf *bufs, unsigned n)
{
	struct virtqueue_req req = { 0 };
	unsigned segs = virtqueue_count_segments(bufs, n);
	uint64_t flags;
	uint16_t head;

	if (!segs || segs > vq->size)
		return -EINVAL;
	for (;;) {
		flags = spin_lock_irqsave(&vq->lock);
		if (vq->num_free >= segs)
			break;
		spin_unlock_irqrestore(&vq->lock, flags);
		wait_event(&vq->wq, __atomic_load_n(&vq->num_free, __ATOMIC_RELAXED) >= segs);
	}
	head = virtqueue_fill_locked(vq, bufs, n, segs);
	vq->pending[head] = &req;
	vq->avail->ring[vq->avail->idx % vq->size] = head;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*(volatile uint16_t *)&vq->avail->idx = vq->avail->idx + 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*vq->notify = vq->index;
	spin_unlock_irqrestore(&vq->lock, flags);
	wait_event(&vq->wq, __atomic_load_n(&req.done, __ATOMIC_ACQUIRE));
	return req.written;
}
