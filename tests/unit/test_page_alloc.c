// sources: kernel/mm/page_core.c
/* Tests of the page-frame pool on a synthetic memory map. */
#include <stdlib.h>
#include "unit.h"
#include "mm/page_core.h"

#define PG 4096UL
#define NPAGES 1024	/* 4 MiB of frames described */

struct test_pool {
	struct page_pool pool;
	void *meta;
};

/* Available: [1 MiB, 2 MiB) and [2.5 MiB, 4 MiB) minus a reservation at 3 MiB. */
static void pool_setup(struct test_pool *t)
{
	t->meta = calloc(1, page_pool_meta_size(NPAGES));
	page_pool_init(&t->pool, t->meta, NPAGES);
	page_pool_add_range(&t->pool, 0x100000, 0x100000);
	page_pool_add_range(&t->pool, 0x280000 + 100, 0x180000 - 100);	/* unaligned start */
	page_pool_reserve_range(&t->pool, 0x300000 + 10, 2 * PG);	/* touches 3 pages */
}

static bool in_available(uint64_t p)
{
	if (p >= 0x100000 && p < 0x200000)
		return true;
	if (p >= 0x281000 && p < 0x400000)
		return p < 0x300000 || p >= 0x303000;
	return false;
}

TEST(page_pool_counts_only_available_pages)
{
	struct test_pool t;

	pool_setup(&t);
	/* 256 + (0x17f000 / 4096 = 383) - 3 reserved */
	CHECK_EQ(t.pool.ntotal, 256 + 383 - 3);
	CHECK_EQ(t.pool.nfree, t.pool.ntotal);
	free(t.meta);
}

TEST(page_pool_never_hands_out_reserved_or_twice)
{
	struct test_pool t;
	static unsigned char seen[NPAGES];
	size_t n = 0;
	uint64_t p;

	pool_setup(&t);
	memset(seen, 0, sizeof(seen));
	while ((p = page_pool_alloc(&t.pool))) {
		CHECK(in_available(p));
		CHECK(!seen[p / PG]);
		CHECK_EQ(page_pool_refcount(&t.pool, p), 1);
		seen[p / PG] = 1;
		n++;
	}
	CHECK_EQ(n, t.pool.ntotal);
	CHECK_EQ(t.pool.nfree, 0);
	CHECK_EQ(page_pool_alloc(&t.pool), 0);
	CHECK_EQ(page_pool_alloc_contiguous(&t.pool, 1), 0);
	free(t.meta);
}

TEST(page_pool_refcounts_free_at_zero)
{
	struct test_pool t;
	uint64_t p, q;

	pool_setup(&t);
	p = page_pool_alloc(&t.pool);
	page_pool_get(&t.pool, p);
	CHECK_EQ(page_pool_refcount(&t.pool, p), 2);
	CHECK(!page_pool_put(&t.pool, p));
	CHECK_EQ(page_pool_refcount(&t.pool, p), 1);
	CHECK(page_pool_put(&t.pool, p));
	CHECK_EQ(page_pool_refcount(&t.pool, p), 0);
	CHECK(!page_pool_put(&t.pool, p));	/* a stray put on a free page changes nothing */
	CHECK_EQ(t.pool.nfree, t.pool.ntotal);
	q = page_pool_alloc(&t.pool);
	CHECK(q != p);				/* next fit: a freed frame is not reused at once */
	free(t.meta);
}

TEST(page_pool_wraps_around_to_freed_frames)
{
	struct test_pool t;
	uint64_t first = 0, p;
	size_t n = 0;

	pool_setup(&t);
	while ((p = page_pool_alloc(&t.pool))) {
		if (!first)
			first = p;
		n++;
	}
	CHECK(page_pool_put(&t.pool, first));
	CHECK(page_pool_put(&t.pool, 0x3ff000));
	CHECK_EQ(page_pool_alloc(&t.pool), first);
	CHECK_EQ(page_pool_alloc(&t.pool), 0x3ff000);
	CHECK_EQ(page_pool_alloc(&t.pool), 0);
	free(t.meta);
}

TEST(page_pool_contiguous_skips_holes)
{
	struct test_pool t;
	uint64_t p;

	pool_setup(&t);
	/* Runs of free frames: 256 at 1 MiB, 127 at 0x281000, 253 at 0x303000. */
	CHECK_EQ(page_pool_alloc_contiguous(&t.pool, 257), 0);
	p = page_pool_alloc_contiguous(&t.pool, 200);
	CHECK_EQ(p, 0x100000);
	for (size_t i = 0; i < 200; i++)
		CHECK_EQ(page_pool_refcount(&t.pool, p + i * PG), 1);
	CHECK_EQ(page_pool_alloc_contiguous(&t.pool, 200), 0x303000);
	CHECK_EQ(page_pool_alloc_contiguous(&t.pool, 127), 0x281000);
	CHECK_EQ(page_pool_alloc_contiguous(&t.pool, 57), 0);
	page_pool_free_contiguous(&t.pool, p, 200);
	CHECK_EQ(page_pool_alloc_contiguous(&t.pool, 256), 0x100000);
	CHECK_EQ(t.pool.nfree, t.pool.ntotal - 256 - 200 - 127);
	free(t.meta);
}

TEST(page_pool_limit_keeps_allocations_low)
{
	struct test_pool t;
	uint64_t p;

	pool_setup(&t);
	t.pool.limit = 0x180000 / PG;
	while ((p = page_pool_alloc(&t.pool)))
		CHECK(p < 0x180000);
	CHECK_EQ(t.pool.nfree, t.pool.ntotal - 128);
	t.pool.limit = NPAGES;
	CHECK_EQ(page_pool_alloc(&t.pool), 0x180000);
	free(t.meta);
}
