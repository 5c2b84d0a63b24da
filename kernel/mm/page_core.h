/*
 * page_core.h — the pure part of the physical page allocator: a bitmap of free pages
 * plus per-page reference counts and tags over page frames [0, npages). It knows
 * nothing of locks or of how memory is mapped, so it also runs in host unit tests;
 * kernel/mm/page.c wraps it with a lock and zeroing.
 */
#ifndef LUMEN_PAGE_CORE_H
#define LUMEN_PAGE_CORE_H

#include "lib/lib.h"

/*
 * One pool of page frames. Every field is protected by the owner's lock (page.c's
 * page_lock). A frame is free when its bit is set in `free_map`; a used frame has
 * refcount >= 1, or 0 when it was never available (reserved or a hole).
 */
struct page_pool {
	uint64_t *free_map;	/* bit n set: frame n is free */
	int32_t *refcount;	/* per frame */
	uint8_t *tag;		/* per frame, for the owner's use (kmalloc's size class) */
	size_t npages;		/* frames [0, npages) are described */
	size_t limit;		/* allocations only come from frames below this */
	size_t nfree, ntotal;
	size_t hint;		/* no free frame below this one */
	size_t cursor;		/* frame where the next single-page search starts */
};

/* Bytes of metadata page_pool_init needs for npages frames. */
size_t page_pool_meta_size(size_t npages);
/* Sets up a pool over frames [0, npages) with every frame reserved; meta holds
 * page_pool_meta_size(npages) bytes. */
void page_pool_init(struct page_pool *pool, void *meta, size_t npages);
/* Marks the whole pages inside [base, base+len) free (counted in the total). */
void page_pool_add_range(struct page_pool *pool, uint64_t base, uint64_t len);
/* Takes every page touching [base, base+len) out of the free pages for good. */
void page_pool_reserve_range(struct page_pool *pool, uint64_t base, uint64_t len);
/* Returns a free frame's physical address with refcount 1, or 0 when none is left. */
uint64_t page_pool_alloc(struct page_pool *pool);
/* Returns the first of n free contiguous frames (each refcount 1), or 0. */
uint64_t page_pool_alloc_contiguous(struct page_pool *pool, size_t n);
/* Frees n contiguous frames from page_pool_alloc_contiguous. */
void page_pool_free_contiguous(struct page_pool *pool, uint64_t phys, size_t n);
void page_pool_get(struct page_pool *pool, uint64_t phys);
/* Drops a reference; returns true when the frame became free. */
bool page_pool_put(struct page_pool *pool, uint64_t phys);
int page_pool_refcount(struct page_pool *pool, uint64_t phys);

#endif
