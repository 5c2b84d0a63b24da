/* page_core.c — bitmap page-frame pool with reference counts (see page_core.h). */
#include "mm/page_core.h"

#define PAGE_BITS 12
#define MAP_WORDS(n) (((n) + 63) / 64)

static bool frame_is_free(struct page_pool *pool, size_t pfn)
{
	return pool->free_map[pfn / 64] & (1UL << (pfn % 64));
}

static void frame_set_free(struct page_pool *pool, size_t pfn)
{
	pool->free_map[pfn / 64] |= 1UL << (pfn % 64);
	pool->refcount[pfn] = 0;
	pool->tag[pfn] = 0;
	pool->nfree++;
	if (pfn < pool->hint)
		pool->hint = pfn;
}

static void frame_take(struct page_pool *pool, size_t pfn)
{
	pool->free_map[pfn / 64] &= ~(1UL << (pfn % 64));
	pool->refcount[pfn] = 1;
	pool->nfree--;
}

/* See page_core.h for the contracts of the page_pool_* functions. */
size_t page_pool_meta_size(size_t npages)
{
	return MAP_WORDS(npages) * 8 + npages * sizeof(int32_t) + npages;
}

/* Lays out bitmap, counts and tags in meta; everything starts reserved. */
void page_pool_init(struct page_pool *pool, void *meta, size_t npages)
{
	char *p = meta;

	pool->free_map = (uint64_t *)p;
	p += MAP_WORDS(npages) * 8;
	pool->refcount = (int32_t *)p;
	p += npages * sizeof(int32_t);
	pool->tag = (uint8_t *)p;
	memset(meta, 0, page_pool_meta_size(npages));
	pool->npages = npages;
	pool->limit = npages;
	pool->nfree = pool->ntotal = 0;
	pool->hint = npages;
	pool->cursor = 0;
}

/* Frees the whole pages inside [base, base+len) (clamped at the top of memory). */
void page_pool_add_range(struct page_pool *pool, uint64_t base, uint64_t len)
{
	uint64_t first = (base + (1UL << PAGE_BITS) - 1) >> PAGE_BITS;
	uint64_t end = (base + len) >> PAGE_BITS;

	if (base + len < base)
		end = UINT64_MAX >> PAGE_BITS;
	for (uint64_t pfn = first; pfn < end && pfn < pool->npages; pfn++) {
		if (frame_is_free(pool, pfn))
			continue;
		frame_set_free(pool, pfn);
		pool->ntotal++;
	}
}

/* Takes every page touching [base, base+len) out of the pool for good. */
void page_pool_reserve_range(struct page_pool *pool, uint64_t base, uint64_t len)
{
	uint64_t first = base >> PAGE_BITS;
	uint64_t end = (base + len + (1UL << PAGE_BITS) - 1) >> PAGE_BITS;

	if (!len)
		return;
	for (uint64_t pfn = first; pfn < end && pfn < pool->npages; pfn++) {
		if (!frame_is_free(pool, pfn))
			continue;
		pool->free_map[pfn / 64] &= ~(1UL << (pfn % 64));
		pool->nfree--;
		pool->ntotal--;
	}
}

/* Returns the first free frame in [from, to), or SIZE_MAX. */
static size_t frame_find_free(struct page_pool *pool, size_t from, size_t to)
{
	to = MIN(to, pool->limit);
	for (size_t w = from / 64; w * 64 < to; w++) {
		uint64_t bits = pool->free_map[w];
		size_t pfn;

		if (w == from / 64)
			bits &= ~0UL << (from % 64);
		if (!bits)
			continue;
		pfn = w * 64 + __builtin_ctzll(bits);
		return pfn < to ? pfn : SIZE_MAX;
	}
	return SIZE_MAX;
}

/*
 * Next fit: the search goes on after the last allocation and wraps around, so a page
 * just freed is not handed out again at once. Under QEMU's TCG that matters: writing
 * a page that recently held executed code makes QEMU throw away its translations.
 */
uint64_t page_pool_alloc(struct page_pool *pool)
{
	size_t pfn = frame_find_free(pool, pool->cursor, pool->limit);

	if (pfn == SIZE_MAX)
		pfn = frame_find_free(pool, pool->hint, pool->cursor);
	if (pfn == SIZE_MAX)
		return 0;
	frame_take(pool, pfn);
	if (pfn == pool->hint)
		pool->hint = pfn + 1;
	pool->cursor = pfn + 1;
	return (uint64_t)pfn << PAGE_BITS;
}

/* Returns the first frame of n free frames in a row within [from, to), or SIZE_MAX. */
static size_t frame_find_run(struct page_pool *pool, size_t from, size_t to, size_t n)
{
	size_t run = 0;

	to = MIN(to, pool->limit);
	for (size_t pfn = from; pfn < to; pfn++) {
		if (pfn % 64 == 0 && !pool->free_map[pfn / 64]) {
			run = 0;
			pfn += 63;	/* a word without free frames */
			continue;
		}
		if (!frame_is_free(pool, pfn)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return pfn + 1 - n;
	}
	return SIZE_MAX;
}

/* Like page_pool_alloc, next fit from the cursor, then from the lowest free frame. */
uint64_t page_pool_alloc_contiguous(struct page_pool *pool, size_t n)
{
	size_t first;

	if (!n)
		return 0;
	first = frame_find_run(pool, pool->cursor, pool->limit, n);
	if (first == SIZE_MAX)
		first = frame_find_run(pool, pool->hint, pool->cursor + n, n);
	if (first == SIZE_MAX)
		return 0;
	for (size_t i = first; i < first + n; i++)
		frame_take(pool, i);
	if (first == pool->hint)
		pool->hint = first + n;
	pool->cursor = first + n;
	return (uint64_t)first << PAGE_BITS;
}

/* Drops the reference on each of n frames from page_pool_alloc_contiguous. */
void page_pool_free_contiguous(struct page_pool *pool, uint64_t phys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		page_pool_put(pool, phys + (i << PAGE_BITS));
}

/* Adds a reference to an allocated frame. */
void page_pool_get(struct page_pool *pool, uint64_t phys)
{
	pool->refcount[phys >> PAGE_BITS]++;
}

/* Drops a reference; true when the frame became free. Stray puts are ignored. */
bool page_pool_put(struct page_pool *pool, uint64_t phys)
{
	size_t pfn = phys >> PAGE_BITS;

	if (pfn >= pool->npages || pool->refcount[pfn] <= 0)
		return false;
	if (--pool->refcount[pfn])
		return false;
	frame_set_free(pool, pfn);
	return true;
}

/* The frame's reference count, 0 when free, reserved or out of range. */
int page_pool_refcount(struct page_pool *pool, uint64_t phys)
{
	size_t pfn = phys >> PAGE_BITS;

	return pfn < pool->npages ? pool->refcount[pfn] : 0;
}
