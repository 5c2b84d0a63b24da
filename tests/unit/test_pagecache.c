// sources: kernel/mm/pagecache.c
/*
 * Tests of the page cache's index and life cycle over a fake page allocator (pages
 * are host memory; "physical" addresses are chosen so that phys_to_virt() lands on
 * them) and a fake file whose pages read as their index: sparse and huge indexes,
 * dirty bits and ranged write-back, write errors, mapped pages, truncation,
 * readahead, the shrinker, and that every page reference comes back.
 */
#include <stdlib.h>
#include "unit.h"
#include "mm/mm.h"

#define MAX_PAGES 512

static struct { void *mem; int refs; } pages[MAX_PAGES];
static int npages, page_limit = MAX_PAGES;

static int page_index(uint64_t phys)
{
	for (int i = 0; i < npages; i++)
		if ((uint64_t)(uintptr_t)pages[i].mem - DIRECT_MAP_BASE == phys)
			return i;
	abort();
}

uint64_t page_alloc(void)
{
	int live = 0;

	for (int i = 0; i < npages; i++)
		live += pages[i].refs > 0;
	if (live >= page_limit || npages == MAX_PAGES)
		return 0;
	pages[npages].mem = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	memset(pages[npages].mem, 0, PAGE_SIZE);
	pages[npages].refs = 1;
	return (uint64_t)(uintptr_t)pages[npages++].mem - DIRECT_MAP_BASE;
}
void page_get(uint64_t phys) { pages[page_index(phys)].refs++; }
void page_put(uint64_t phys) { pages[page_index(phys)].refs--; }
int page_refcount(uint64_t phys) { return pages[page_index(phys)].refs; }
void *kzalloc(size_t n) { return calloc(1, n); }
void kfree(void *p) { free(p); }
void spin_init(spinlock_t *l, const char *name) { l->name = name; l->cpu = -1; }
uint64_t spin_lock_irqsave(spinlock_t *l) { l->cpu = 0; return 0; }
void spin_unlock_irqrestore(spinlock_t *l, uint64_t f) { l->cpu = -1; }
bool spin_trylock_irqsave(spinlock_t *l, uint64_t *f)
{
	if (l->cpu == 0)
		return false;
	l->cpu = 0;
	return true;
}

static int reads, readahead_calls, writes, write_error;
static uint64_t written[64];
static uint32_t written_bits[64];

static int fake_readpage(struct page_cache *pc, uint64_t index, void *page)
{
	reads++;
	memset(page, (int)(index & 0x7f) + 1, PAGE_SIZE);
	return 0;
}

static int fake_readpages(struct page_cache *pc, uint64_t index, unsigned n, void **p)
{
	readahead_calls++;
	for (unsigned i = 0; i < n; i++)
		fake_readpage(pc, index + i, p[i]);
	return 0;
}

static int fake_writepage(struct page_cache *pc, uint64_t index, void *page, uint32_t bits)
{
	if (write_error)
		return write_error;
	written[writes % 64] = index;
	written_bits[writes++ % 64] = bits;
	return 0;
}

static const struct page_cache_ops fake_ops = {
	.readpage = fake_readpage,
	.readpages = fake_readpages,
	.writepage = fake_writepage,
};

static int live_refs(void)
{
	int refs = 0;

	for (int i = 0; i < npages; i++)
		refs += pages[i].refs;
	return refs;
}

static void reset(struct page_cache *pc)
{
	reads = readahead_calls = writes = write_error = 0;
	page_limit = MAX_PAGES;
	pagecache_init(pc, &fake_ops);
}

TEST(pages_at_sparse_and_huge_indexes)
{
	static const uint64_t idx[] = { 0, 1, 63, 64, 4095, 4096, 1ULL << 30, 1ULL << 52,
					UINT64_MAX / PAGE_SIZE };
	struct page_cache pc;
	uint64_t phys[ARRAY_SIZE(idx)], again;

	reset(&pc);
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++) {
		CHECK_EQ(pagecache_get(&pc, idx[i], true, &phys[i]), 0);
		CHECK_EQ(*(uint8_t *)phys_to_virt(phys[i]), (idx[i] & 0x7f) + 1);
	}
	CHECK_EQ(reads, ARRAY_SIZE(idx));
	CHECK_EQ(pc.nr_pages, ARRAY_SIZE(idx));
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++) {
		CHECK_EQ(pagecache_get(&pc, idx[i], true, &again), 0);
		CHECK(again == phys[i]);
		CHECK(pagecache_holds(&pc, idx[i], phys[i]));
		page_put(again);
		page_put(phys[i]);
	}
	CHECK_EQ(reads, ARRAY_SIZE(idx));
	CHECK_EQ(pagecache_find(&pc, 2), 0);
	CHECK(!pagecache_holds(&pc, 65, phys[0]));
	CHECK_EQ(pagecache_get(&pc, 5, false, &again), 0);
	CHECK_EQ(*(uint8_t *)phys_to_virt(again), 0);	/* not filled: zeros */
	page_put(again);
	pagecache_destroy(&pc);
	CHECK_EQ(live_refs(), 0);
}

TEST(writeback_writes_dirty_pages_in_range_once)
{
	struct page_cache pc;
	uint64_t phys;

	reset(&pc);
	for (uint64_t i = 0; i < 10; i++) {
		CHECK_EQ(pagecache_get(&pc, i * 100, true, &phys), 0);
		page_put(phys);
	}
	pagecache_mark_dirty(&pc, 100, 1);
	pagecache_mark_dirty(&pc, 100, 4);
	pagecache_mark_dirty(&pc, 500, 2);
	pagecache_mark_dirty(&pc, 900, 1);
	pagecache_mark_dirty(&pc, 7, 1);	/* not cached: ignored */
	CHECK_EQ(pagecache_writeback(&pc, 0, 500), 0);
	CHECK_EQ(writes, 2);
	CHECK_EQ(written[0], 100);
	CHECK_EQ(written_bits[0], 5);
	CHECK_EQ(written[1], 500);
	CHECK_EQ(pagecache_writeback(&pc, 0, UINT64_MAX), 0);
	CHECK_EQ(writes, 3);
	CHECK_EQ(written[2], 900);
	CHECK_EQ(pagecache_writeback(&pc, 0, UINT64_MAX), 0);
	CHECK_EQ(writes, 3);
	pagecache_destroy(&pc);
	CHECK_EQ(live_refs(), 0);
}

TEST(failed_writeback_keeps_pages_dirty)
{
	struct page_cache pc;
	uint64_t phys;

	reset(&pc);
	CHECK_EQ(pagecache_get(&pc, 3, true, &phys), 0);
	page_put(phys);
	pagecache_mark_dirty(&pc, 3, 1);
	write_error = -EIO;
	CHECK_EQ(pagecache_writeback(&pc, 0, UINT64_MAX), -EIO);
	write_error = 0;
	CHECK_EQ(pagecache_writeback(&pc, 0, UINT64_MAX), 0);
	CHECK_EQ(writes, 1);
	pagecache_destroy(&pc);
}

TEST(mapped_pages_stay_dirty_while_mapped)
{
	struct page_cache pc;
	uint64_t phys;

	reset(&pc);
	CHECK_EQ(pagecache_get(&pc, 0, true, &phys), 0);	/* the "mapping's" reference */
	pagecache_mark_dirty(&pc, 0, PC_DIRTY_MAPPED);
	CHECK_EQ(pagecache_writeback(&pc, 0, 0), 0);
	CHECK_EQ(pagecache_writeback(&pc, 0, 0), 0);
	CHECK_EQ(writes, 2);
	CHECK_EQ(written_bits[1], PC_DIRTY_MAPPED);
	page_put(phys);					/* unmapped */
	CHECK_EQ(pagecache_writeback(&pc, 0, 0), 0);
	CHECK_EQ(pagecache_writeback(&pc, 0, 0), 0);
	CHECK_EQ(writes, 3);
	pagecache_destroy(&pc);
	CHECK_EQ(live_refs(), 0);
}

TEST(truncate_drops_pages_from_an_index)
{
	struct page_cache pc;
	uint64_t phys, held;

	reset(&pc);
	for (uint64_t i = 0; i < 200; i += 3) {
		CHECK_EQ(pagecache_get(&pc, i, true, &phys), 0);
		page_put(phys);
	}
	CHECK_EQ(pagecache_get(&pc, 150, true, &held), 0);
	pagecache_mark_dirty(&pc, 120, 1);
	pagecache_truncate(&pc, 100);
	CHECK_EQ(pc.nr_pages, 34);
	CHECK(pagecache_find(&pc, 120) == 0);
	CHECK(!pagecache_holds(&pc, 150, held));
	CHECK_EQ(page_refcount(held), 1);		/* the holder's own */
	page_put(held);
	CHECK_EQ(pagecache_writeback(&pc, 0, UINT64_MAX), 0);
	CHECK_EQ(writes, 0);
	phys = pagecache_find(&pc, 99);
	CHECK(phys != 0);
	page_put(phys);
	pagecache_destroy(&pc);
	CHECK_EQ(live_refs(), 0);
}

TEST(readahead_fills_up_to_the_first_cached_page)
{
	struct page_cache pc;
	uint64_t phys;

	reset(&pc);
	CHECK_EQ(pagecache_get(&pc, 6, true, &phys), 0);
	page_put(phys);
	CHECK_EQ(pagecache_readahead(&pc, 2, 16), 0);
	CHECK_EQ(readahead_calls, 1);
	CHECK_EQ(pc.nr_pages, 5);
	CHECK_EQ(pagecache_readahead(&pc, 2, 16), 0);	/* all there: nothing read */
	CHECK_EQ(readahead_calls, 1);
	CHECK_EQ(pagecache_readahead(&pc, 100, 1000), 0);
	CHECK_EQ(pc.nr_pages, 5 + PC_READAHEAD_MAX);
	phys = pagecache_find(&pc, 5);
	CHECK_EQ(*(uint8_t *)phys_to_virt(phys), 6);
	page_put(phys);
	pagecache_destroy(&pc);
	CHECK_EQ(live_refs(), 0);
}

TEST(shrinker_drops_clean_unheld_pages_only)
{
	struct page_cache pc;
	uint64_t phys, held;

	reset(&pc);
	for (uint64_t i = 0; i < 8; i++) {
		CHECK_EQ(pagecache_get(&pc, i, true, &phys), 0);
		page_put(phys);
	}
	CHECK_EQ(pagecache_get(&pc, 2, true, &held), 0);
	pagecache_mark_dirty(&pc, 5, 1);
	CHECK_EQ(pagecache_shrink(100), 6);
	CHECK_EQ(pc.nr_pages, 2);
	CHECK(pagecache_holds(&pc, 2, held));
	CHECK_EQ(pagecache_find(&pc, 0), 0);
	reads = 0;
	CHECK_EQ(pagecache_get(&pc, 0, true, &phys), 0);	/* read again */
	CHECK_EQ(reads, 1);
	page_put(phys);
	CHECK_EQ(pagecache_readahead(&pc, 1, 8), 0);	/* refills an emptied record */
	CHECK_EQ(pc.nr_pages, 4);			/* only 1: 2 is cached */
	page_put(held);
	pc.lock.cpu = 0;				/* held elsewhere: skipped */
	CHECK_EQ(pagecache_shrink(100), 0);
	pc.lock.cpu = -1;
	CHECK_EQ(pagecache_writeback(&pc, 0, UINT64_MAX), 0);
	CHECK_EQ(writes, 1);
	pagecache_destroy(&pc);
	CHECK_EQ(live_refs(), 0);
	CHECK_EQ(pagecache_shrink(100), 0);		/* destroyed caches are gone */
}

TEST(out_of_memory_fails_cleanly)
{
	struct page_cache pc;
	uint64_t phys;
	int base;

	reset(&pc);
	base = 0;
	for (int i = 0; i < npages; i++)
		base += pages[i].refs > 0;
	page_limit = base;
	CHECK_EQ(pagecache_get(&pc, 1, true, &phys), -ENOMEM);
	CHECK_EQ(pagecache_readahead(&pc, 1, 4), 0);
	CHECK_EQ(pc.nr_pages, 0);
	page_limit = MAX_PAGES;
	pagecache_destroy(&pc);
	CHECK_EQ(live_refs(), 0);
}
