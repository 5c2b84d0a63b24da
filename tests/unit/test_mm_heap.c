// sources: kernel/mm/heap.c
/*
 * Tests of kmalloc/kfree over a fake page allocator: "physical" addresses are chosen
 * so that phys_to_virt() lands on host memory from aligned_alloc.
 */
#include <stdlib.h>
#include "unit.h"
#include "mm/mm_internal.h"

#define MAX_PAGES 4096

static struct { uintptr_t virt; uint8_t tag; int refs; } pages[MAX_PAGES];
static int npages, page_limit = MAX_PAGES;

static int page_index(uint64_t phys)
{
	uintptr_t v = (uintptr_t)phys_to_virt(phys);

	for (int i = 0; i < npages; i++)
		if (pages[i].virt == v)
			return i;
	return -1;
}

static uint64_t fake_alloc(size_t n)
{
	char *mem;

	if (npages + (int)n > page_limit)
		return 0;
	mem = aligned_alloc(PAGE_SIZE, n * PAGE_SIZE);
	memset(mem, 0, n * PAGE_SIZE);
	for (size_t i = 0; i < n; i++)
		pages[npages++] = (typeof(pages[0])){ (uintptr_t)mem + i * PAGE_SIZE, 0, 1 };
	return (uint64_t)(uintptr_t)mem - DIRECT_MAP_BASE;
}

uint64_t page_alloc(void) { return fake_alloc(1); }
uint64_t pages_alloc_contiguous(size_t n) { return fake_alloc(n); }
void page_put(uint64_t phys) { pages[page_index(phys)].refs--; }
void pages_free_contiguous(uint64_t phys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		page_put(phys + i * PAGE_SIZE);
}
uint8_t page_tag(uint64_t phys) { return pages[page_index(phys)].tag; }
void page_set_tag(uint64_t phys, uint8_t tag) { pages[page_index(phys)].tag = tag; }
uint64_t virt_to_phys(const void *v) { return (uint64_t)(uintptr_t)v - DIRECT_MAP_BASE; }
void spin_init(spinlock_t *l, const char *name) { l->name = name; }
uint64_t spin_lock_irqsave(spinlock_t *l) { return 0; }
void spin_unlock_irqrestore(spinlock_t *l, uint64_t f) {}
void panic(const char *fmt, ...) { fprintf(stderr, "panic: %s\n", fmt); abort(); }

static const size_t sizes[] = { 1, 15, 16, 17, 100, 512, 1000, 2048, 2049, 4080, 4081, 20000 };

TEST(kmalloc_sizes_are_aligned_and_disjoint)
{
	void *p[ARRAY_SIZE(sizes)][4];

	heap_init();
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (int j = 0; j < 4; j++) {
			p[i][j] = kmalloc(sizes[i]);
			CHECK(p[i][j] != NULL);
			CHECK_EQ((uintptr_t)p[i][j] & 15, 0);
			memset(p[i][j], (int)(i * 4 + j), sizes[i]);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		for (int j = 0; j < 4; j++)
			for (size_t k = 0; k < sizes[i]; k++)
				if (((unsigned char *)p[i][j])[k] != (unsigned char)(i * 4 + j)) {
					CHECK(!"allocations overlap");
					k = sizes[i];
				}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		for (int j = 0; j < 4; j++)
			kfree(p[i][j]);
}

TEST(kfree_recycles_small_objects_and_returns_large_pages)
{
	void *a, *b, *big;
	int before;

	heap_init();
	a = kmalloc(64);
	kfree(a);
	b = kmalloc(60);
	CHECK(a == b);
	kfree(b);
	big = kmalloc(3 * PAGE_SIZE);
	before = 0;
	for (int i = 0; i < npages; i++)
		before += pages[i].refs;
	kfree(big);
	for (int i = 0; i < npages; i++)
		before -= pages[i].refs;
	CHECK_EQ(before, 4);	/* 3 pages + the header's share */
	kfree(NULL);
}

TEST(kmalloc_fails_cleanly)
{
	heap_init();
	CHECK(kmalloc(0) == NULL);
	CHECK(kmalloc((size_t)-1) == NULL);
	page_limit = npages;
	CHECK(kmalloc(1 << 20) == NULL);
	page_limit = MAX_PAGES;
	CHECK(kzalloc(32) != NULL);
}
