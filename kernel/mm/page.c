/*
 * page.c — the physical page allocator: takes the available RAM from the multiboot2
 * memory map, keeps out what is in use at boot, and hands out zeroed pages with
 * reference counts. All state is in one page_pool under page_lock.
 */
#include "arch/x86_64/arch.h"
#include "lib/log.h"
#include "mm/mm.h"
#include "mm/mm_internal.h"
#include "mm/page_core.h"

#define LOW_MEMORY_END 0x100000UL		/* BIOS, EBDA, real-mode leftovers */
#define BOOT_MAPPED_END 0x40000000UL		/* the boot page tables map 0..1 GiB */
#define PAGECACHE_SHRINK_BATCH 64			/* clean cache pages dropped per miss */

static struct page_pool pool;
static spinlock_t page_lock = SPINLOCK_INIT("page");

struct phys_range {
	uint64_t start, end;
};

/* The ranges in use before the allocator exists. */
static int boot_reserved_ranges(struct phys_range *r)
{
	int n = 0;

	r[n++] = (struct phys_range){ 0, LOW_MEMORY_END };
	r[n++] = (struct phys_range){ LOW_MEMORY_END, virt_to_phys(_kernel_end) };
	if (boot_info.mbi_size)
		r[n++] = (struct phys_range){ boot_info.mbi_phys, boot_info.mbi_phys + boot_info.mbi_size };
	if (boot_info.initramfs_size)
		r[n++] = (struct phys_range){ boot_info.initramfs_phys,
					      boot_info.initramfs_phys + boot_info.initramfs_size };
	return n;
}

/* Finds room for `size` bytes of metadata in available RAM below the boot mapping. */
static uint64_t meta_place(const struct phys_range *res, int nres, uint64_t size)
{
	for (int i = 0; i < boot_info.memmap_count; i++) {
		const struct boot_memory_region *m = &boot_info.memmap[i];
		uint64_t start = ALIGN_UP(m->base, PAGE_SIZE), end = m->base + m->length;
		bool moved = true;

		if (m->type != 1)
			continue;
		while (moved) {
			moved = false;
			for (int j = 0; j < nres; j++) {
				if (start < res[j].end && start + size > res[j].start) {
					start = ALIGN_UP(res[j].end, PAGE_SIZE);
					moved = true;
				}
			}
		}
		if (start + size <= end && start + size <= BOOT_MAPPED_END)
			return start;
	}
	panic("mm: no room for %lu bytes of page metadata", (unsigned long)size);
}

/* Highest byte of available RAM, rounded up to a page. */
uint64_t mm_ram_end(void)
{
	uint64_t top = 0;

	for (int i = 0; i < boot_info.memmap_count; i++) {
		const struct boot_memory_region *m = &boot_info.memmap[i];

		if (m->type == 1 && m->base + m->length > top)
			top = m->base + m->length;
	}
	return ALIGN_UP(top, PAGE_SIZE);
}

/* Builds the pool; until page_allow_high() only frames the boot tables map are used. */
void page_init(void)
{
	struct phys_range res[6];
	int nres = boot_reserved_ranges(res);
	size_t npages = mm_ram_end() / PAGE_SIZE;
	uint64_t meta_size = ALIGN_UP(page_pool_meta_size(npages), PAGE_SIZE);
	uint64_t meta = meta_place(res, nres, meta_size);

	page_pool_init(&pool, phys_to_virt(meta), npages);
	for (int i = 0; i < boot_info.memmap_count; i++)
		if (boot_info.memmap[i].type == 1)
			page_pool_add_range(&pool, boot_info.memmap[i].base, boot_info.memmap[i].length);
	for (int i = 0; i < nres; i++)
		page_pool_reserve_range(&pool, res[i].start, res[i].end - res[i].start);
	page_pool_reserve_range(&pool, meta, meta_size);
	pool.limit = MIN(npages, BOOT_MAPPED_END / PAGE_SIZE);
	pr_info("mm: %lu MiB available, %lu KiB page metadata",
		(unsigned long)(pool.ntotal * PAGE_SIZE >> 20), (unsigned long)(meta_size >> 10));
}

/* Called once the direct map covers all RAM. */
void page_allow_high(void)
{
	uint64_t flags = spin_lock_irqsave(&page_lock);

	pool.limit = pool.npages;
	spin_unlock_irqrestore(&page_lock, flags);
}

/* A page with refcount 1 and undefined contents, or 0; for callers that fill it.
 * When none is free, clean page-cache pages are dropped first (pagecache_shrink). */
uint64_t page_alloc_uninit(void)
{
	for (int tries = 0;; tries++) {
		uint64_t flags = spin_lock_irqsave(&page_lock);
		uint64_t phys = page_pool_alloc(&pool);

		spin_unlock_irqrestore(&page_lock, flags);
		if (phys || tries || !pagecache_shrink(PAGECACHE_SHRINK_BATCH))
			return phys;
	}
}

/* Returns a zeroed page with refcount 1, or 0 when memory is exhausted. Takes page_lock. */
uint64_t page_alloc(void)
{
	uint64_t phys = page_alloc_uninit();

	if (phys)
		memset(phys_to_virt(phys), 0, PAGE_SIZE);
	return phys;
}

/* Returns n zeroed physically contiguous pages (each refcount 1), or 0. */
uint64_t pages_alloc_contiguous(size_t n)
{
	uint64_t flags = spin_lock_irqsave(&page_lock);
	uint64_t phys = page_pool_alloc_contiguous(&pool, n);

	spin_unlock_irqrestore(&page_lock, flags);
	if (phys)
		memset(phys_to_virt(phys), 0, n * PAGE_SIZE);
	return phys;
}

/* Frees pages from pages_alloc_contiguous. */
void pages_free_contiguous(uint64_t phys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		page_put(phys + i * PAGE_SIZE);
}

/* Adds a reference to an allocated page. */
void page_get(uint64_t phys)
{
	uint64_t flags = spin_lock_irqsave(&page_lock);

	if (page_pool_refcount(&pool, phys) <= 0)
		panic("page_get: page %#lx is not allocated", (unsigned long)phys);
	page_pool_get(&pool, phys);
	spin_unlock_irqrestore(&page_lock, flags);
}

/* Drops a reference; the page is free again when the last one goes. */
void page_put(uint64_t phys)
{
	uint64_t flags = spin_lock_irqsave(&page_lock);

	if (page_pool_refcount(&pool, phys) <= 0)
		panic("page_put: page %#lx is not allocated", (unsigned long)phys);
	page_pool_put(&pool, phys);
	spin_unlock_irqrestore(&page_lock, flags);
}

/* The page's reference count (0 for free or reserved pages). */
int page_refcount(uint64_t phys)
{
	return READ_ONCE(pool.refcount[phys / PAGE_SIZE < pool.npages ? phys / PAGE_SIZE : 0]);
}

/* The owner's tag of an allocated page (kmalloc's size class), 0 by default. */
uint8_t page_tag(uint64_t phys)
{
	return phys / PAGE_SIZE < pool.npages ? READ_ONCE(pool.tag[phys / PAGE_SIZE]) : 0;
}

/* Sets the owner's tag of an allocated page (the owner serializes its tags). */
void page_set_tag(uint64_t phys, uint8_t tag)
{
	if (phys / PAGE_SIZE < pool.npages)
		WRITE_ONCE(pool.tag[phys / PAGE_SIZE], tag);
}

/* Pages of RAM the allocator manages (/proc/meminfo MemTotal). */
size_t pages_total(void)
{
	return pool.ntotal;
}

/* Pages free right now; a snapshot without the lock. */
size_t pages_free(void)
{
	return READ_ONCE(pool.nfree);
}
