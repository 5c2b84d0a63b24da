/*
 * heap.c — kmalloc: power-of-two size classes from 16 bytes to 2 KiB carved out of
 * whole pages (the page's tag in the allocator records its class), and larger
 * blocks as contiguous pages behind a 16-byte header. Freed small objects go back
 * on their class's free list; their pages stay with the heap.
 */
#include "lib/log.h"
#include "mm/mm_internal.h"

#define HEAP_MIN_SHIFT 4	/* 16 bytes */
#define HEAP_CLASSES 8		/* 16 .. 2048 */
#define TAG_LARGE 0xff

struct heap_free {
	struct heap_free *next;
};

/* One size class: a list of free objects under its own lock. */
struct heap_class {
	spinlock_t lock;
	struct heap_free *free;
	size_t size;
};

/* Precedes a large block; 16 bytes so the block stays 16-byte aligned. */
struct heap_large {
	uint64_t npages;
	uint64_t magic;
};
#define HEAP_LARGE_MAGIC 0x6c756d656e6b6d6cUL

static struct heap_class classes[HEAP_CLASSES];

/* Sets up the size classes; mm_init calls it once the page allocator works. */
void heap_init(void)
{
	for (int i = 0; i < HEAP_CLASSES; i++) {
		spin_init(&classes[i].lock, "heap");
		classes[i].size = 1UL << (HEAP_MIN_SHIFT + i);
	}
}

static int heap_class_of(size_t size)
{
	int c = 0;

	while ((1UL << (HEAP_MIN_SHIFT + c)) < size)
		c++;
	return c;
}

/* Carves a fresh page into objects of class c; called with the class lock held. */
static bool heap_class_grow_locked(struct heap_class *hc, int c)
{
	uint64_t phys = page_alloc();
	char *page;

	if (!phys)
		return false;
	page_set_tag(phys, c + 1);
	page = phys_to_virt(phys);
	for (size_t off = 0; off < PAGE_SIZE; off += hc->size) {
		struct heap_free *f = (struct heap_free *)(page + off);

		f->next = hc->free;
		hc->free = f;
	}
	return true;
}

static void *heap_alloc_small(size_t size)
{
	int c = heap_class_of(size);
	struct heap_class *hc = &classes[c];
	uint64_t flags = spin_lock_irqsave(&hc->lock);
	struct heap_free *f;

	if (!hc->free && !heap_class_grow_locked(hc, c)) {
		spin_unlock_irqrestore(&hc->lock, flags);
		return NULL;
	}
	f = hc->free;
	hc->free = f->next;
	spin_unlock_irqrestore(&hc->lock, flags);
	return f;
}

static void *heap_alloc_large(size_t size)
{
	size_t npages = DIV_ROUND_UP(size + sizeof(struct heap_large), PAGE_SIZE);
	uint64_t phys = npages == 1 ? page_alloc() : pages_alloc_contiguous(npages);
	struct heap_large *h;

	if (!phys)
		return NULL;
	page_set_tag(phys, TAG_LARGE);
	h = phys_to_virt(phys);
	h->npages = npages;
	h->magic = HEAP_LARGE_MAGIC;
	return h + 1;
}

/* Returns `size` bytes, 16-byte aligned, or NULL (also for size 0 or absurd sizes).
 * Contents are not initialized. Safe on any CPU, with interrupts off too. */
void *kmalloc(size_t size)
{
	if (!size || size > (1UL << 40))
		return NULL;
	if (size <= (1UL << (HEAP_MIN_SHIFT + HEAP_CLASSES - 1)))
		return heap_alloc_small(size);
	return heap_alloc_large(size);
}

/* kmalloc, zero-filled. */
void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Returns a block from kmalloc to the heap; kfree(NULL) does nothing. */
void kfree(void *ptr)
{
	uint64_t phys;
	uint8_t tag;

	if (!ptr)
		return;
	phys = virt_to_phys(ptr);
	tag = page_tag(phys & PAGE_MASK);
	if (tag == TAG_LARGE) {
		struct heap_large *h = (struct heap_large *)ptr - 1;

		if (h->magic != HEAP_LARGE_MAGIC || ((uint64_t)h & (PAGE_SIZE - 1)))
			panic("kfree: bad pointer %p", ptr);
		h->magic = 0;
		page_set_tag(phys & PAGE_MASK, 0);
		pages_free_contiguous(phys & PAGE_MASK, h->npages);
	} else if (tag >= 1 && tag <= HEAP_CLASSES) {
		struct heap_class *hc = &classes[tag - 1];
		struct heap_free *f = ptr;
		uint64_t flags;

		if ((uint64_t)ptr & (hc->size - 1))
			panic("kfree: misaligned pointer %p", ptr);
		flags = spin_lock_irqsave(&hc->lock);
		f->next = hc->free;
		hc->free = f;
		spin_unlock_irqrestore(&hc->lock, flags);
	} else {
		panic("kfree: %p was not allocated by kmalloc", ptr);
	}
}
