/*
 * pagecache.c — a file's cached pages (see mm.h): a radix tree of 64-way nodes from
 * file page index to a page record (physical page, dirty mask). The file system
 * fills pages with its readpage and writes dirty ones back with its writepage.
 *
 * Locking: the owner's lock (for ext2, sb->mutex) serializes inserts, truncation,
 * write-back and destruction, and is held across readpage/writepage; pc->lock (a
 * spinlock, interrupts off) protects the tree and the records against lookups
 * made without the owner's lock (faults' lent checks, mincore). Each record holds
 * one page reference; lookups hand out their own. A record whose page the shrinker
 * took (phys 0) stays in the tree until the page is read again or truncated, as
 * the shrinker may run inside kmalloc and must not free memory itself.
 * pc_all_lock (a spinlock) protects the list of every cache and orders before
 * pc->lock; the shrinker only ever try-locks both.
 */
#include "mm/mm.h"

#define PC_SHIFT 6
#define PC_SLOTS (1u << PC_SHIFT)
#define PC_MAX_HEIGHT 11	/* 66 bits of index */

struct pc_node {
	void *slot[PC_SLOTS];	/* child nodes, or pc_page records at the last level */
};

static spinlock_t pc_all_lock = SPINLOCK_INIT("pagecache_all");
static LIST_HEAD(pc_all);

struct pc_page {
	uint64_t phys;		/* 0: dropped by the shrinker */
	uint32_t dirty;		/* the owner's block bits, PC_DIRTY_MAPPED */
};

/* See mm.h. */
void pagecache_init(struct page_cache *pc, const struct page_cache_ops *ops)
{
	uint64_t irq;

	memset(pc, 0, sizeof(*pc));
	spin_init(&pc->lock, "pagecache");
	pc->ops = ops;
	irq = spin_lock_irqsave(&pc_all_lock);
	list_add_tail(&pc->all, &pc_all);
	spin_unlock_irqrestore(&pc_all_lock, irq);
}

static uint64_t pc_span(unsigned height)
{
	return height >= PC_MAX_HEIGHT ? UINT64_MAX : 1ULL << (height * PC_SHIFT);
}

/* The record at index (maybe without a page), or NULL. Needs pc->lock. */
static struct pc_page *pc_lookup_locked(struct page_cache *pc, uint64_t index)
{
	void *node = pc->root;

	if (!pc->height || (pc->height < PC_MAX_HEIGHT && index >= pc_span(pc->height)))
		return NULL;
	for (unsigned h = pc->height; h > 0 && node; h--)
		node = ((struct pc_node *)node)->slot[(index >> ((h - 1) * PC_SHIFT)) & (PC_SLOTS - 1)];
	return node;
}

/* Stores rec at index, growing the tree; -ENOMEM. Needs pc->lock. */
static int pc_store_locked(struct page_cache *pc, uint64_t index, struct pc_page *rec)
{
	void **slot;

	while (!pc->height || (pc->height < PC_MAX_HEIGHT && index >= pc_span(pc->height))) {
		struct pc_node *top = kzalloc(sizeof(*top));

		if (!top)
			return -ENOMEM;
		top->slot[0] = pc->root;
		pc->root = top;
		pc->height++;
	}
	slot = &pc->root;
	for (unsigned h = pc->height; h > 0; h--) {
		if (!*slot && !(*slot = kzalloc(sizeof(struct pc_node))))
			return -ENOMEM;
		slot = &((struct pc_node *)*slot)->slot[(index >> ((h - 1) * PC_SHIFT)) &
							  (PC_SLOTS - 1)];
	}
	*slot = rec;
	return 0;
}

/* The first record at an index >= *index (updated), or NULL. Needs pc->lock. */
static struct pc_page *pc_next_locked(struct page_cache *pc, uint64_t *index)
{
	uint64_t at = *index;

	while (pc->height && (pc->height >= PC_MAX_HEIGHT || at < pc_span(pc->height))) {
		void *node = pc->root;
		unsigned h = pc->height;
		bool skipped = false;

		while (h > 0) {
			unsigned shift = (h - 1) * PC_SHIFT;
			unsigned i = (at >> shift) & (PC_SLOTS - 1);
			void *child = ((struct pc_node *)node)->slot[i];

			if (!child) {
				/* Nothing in this subtree: go to the start of the next one. */
				uint64_t next = ((at >> shift) + 1) << shift;

				if (next <= at)
					return NULL;
				at = next;
				skipped = true;
				break;
			}
			node = child;
			h--;
		}
		if (!skipped) {
			*index = at;
			return node;
		}
	}
	return NULL;
}

/* Removes the record at index from the tree (empty nodes stay until destroy). */
static void pc_clear_locked(struct page_cache *pc, uint64_t index)
{
	void **slot = &pc->root;

	for (unsigned h = pc->height; h > 0 && *slot; h--)
		slot = &((struct pc_node *)*slot)->slot[(index >> ((h - 1) * PC_SHIFT)) &
							  (PC_SLOTS - 1)];
	*slot = NULL;
}

/* See mm.h. */
uint64_t pagecache_find(struct page_cache *pc, uint64_t index)
{
	uint64_t irq = spin_lock_irqsave(&pc->lock);
	struct pc_page *rec = pc_lookup_locked(pc, index);
	uint64_t phys = rec ? rec->phys : 0;


	if (phys)
		page_get(phys);
	spin_unlock_irqrestore(&pc->lock, irq);
	return phys;
}

/* See mm.h. */
bool pagecache_holds(struct page_cache *pc, uint64_t index, uint64_t phys)
{
	uint64_t irq = spin_lock_irqsave(&pc->lock);
	struct pc_page *rec = pc_lookup_locked(pc, index);
	bool held = rec && rec->phys == phys;

	spin_unlock_irqrestore(&pc->lock, irq);
	return held;
}

/* Puts phys at index: into the empty record there, else into *spare (then NULL);
 * 0 or -ENOMEM. Needs pc->lock. */
static int pc_install_locked(struct page_cache *pc, uint64_t index, uint64_t phys,
			     struct pc_page **spare)
{
	struct pc_page *rec = pc_lookup_locked(pc, index);
	int err = 0;

	if (!rec) {
		err = pc_store_locked(pc, index, *spare);
		rec = err ? NULL : *spare;
		if (rec)
			*spare = NULL;
	}
	if (rec) {
		rec->phys = phys;
		rec->dirty = 0;
		pc->nr_pages++;
	}
	return err;
}

/* Adds a new page at index (read from the owner unless fill is false); 0 or -errno. */
static int pc_add(struct page_cache *pc, uint64_t index, bool fill, uint64_t *phys)
{
	struct pc_page *spare = kzalloc(sizeof(*spare));
	uint64_t irq, page;
	int err = -ENOMEM;

	if (!spare)
		return -ENOMEM;
	page = page_alloc();
	if (!page)
		goto out_rec;
	if (fill && (err = pc->ops->readpage(pc, index, phys_to_virt(page))))
		goto out_page;
	irq = spin_lock_irqsave(&pc->lock);
	err = pc_install_locked(pc, index, page, &spare);
	if (!err)
		page_get(page);
	spin_unlock_irqrestore(&pc->lock, irq);
	if (err)
		goto out_page;
	*phys = page;
	kfree(spare);
	return 0;
out_page:
	page_put(page);
out_rec:
	kfree(spare);
	return err;
}

/* See mm.h. */
int pagecache_get(struct page_cache *pc, uint64_t index, bool fill, uint64_t *phys)
{
	*phys = pagecache_find(pc, index);
	return *phys ? 0 : pc_add(pc, index, fill, phys);
}

static bool pagecache_present_locked(struct page_cache *pc, uint64_t index)
{
	struct pc_page *rec = pc_lookup_locked(pc, index);

	return rec && rec->phys;
}

/* See mm.h. */
int pagecache_readahead(struct page_cache *pc, uint64_t index, unsigned count)
{
	void *virt[PC_READAHEAD_MAX];
	uint64_t phys[PC_READAHEAD_MAX], irq;
	unsigned n = 0;
	int err = 0;

	count = MIN(count, PC_READAHEAD_MAX);
	/* The missing pages from index up to the first cached one. */
	irq = spin_lock_irqsave(&pc->lock);
	while (n < count && !pagecache_present_locked(pc, index + n))
		n++;
	spin_unlock_irqrestore(&pc->lock, irq);
	for (unsigned i = 0; i < n; i++) {
		phys[i] = page_alloc();
		if (!phys[i]) {
			n = i;
			break;
		}
		virt[i] = phys_to_virt(phys[i]);
	}
	if (n)
		err = pc->ops->readpages(pc, index, n, virt);
	/* A stored record keeps the allocation's reference; the rest are dropped. */
	for (unsigned i = 0; i < n; i++) {
		struct pc_page *spare = err ? NULL : kzalloc(sizeof(*spare));
		int e = -ENOMEM;

		if (spare) {
			irq = spin_lock_irqsave(&pc->lock);
			e = pc_install_locked(pc, index + i, phys[i], &spare);
			spin_unlock_irqrestore(&pc->lock, irq);
			kfree(spare);
		}
		if (e)
			page_put(phys[i]);
	}
	return err;
}

/* See mm.h. */
void pagecache_mark_dirty(struct page_cache *pc, uint64_t index, uint32_t bits)
{
	uint64_t irq = spin_lock_irqsave(&pc->lock);
	struct pc_page *rec = pc_lookup_locked(pc, index);

	if (rec && rec->phys)
		rec->dirty |= bits;
	spin_unlock_irqrestore(&pc->lock, irq);
}

/* The next dirty page at an index in [*index, last], counted, its dirty bits taken
 * (a mapped page keeps PC_DIRTY_MAPPED while anybody else maps it); 0 when none. */
static uint64_t pc_next_dirty(struct page_cache *pc, uint64_t *index, uint64_t last,
			      uint32_t *bits)
{
	uint64_t irq = spin_lock_irqsave(&pc->lock), phys = 0;
	struct pc_page *rec;

	while ((rec = pc_next_locked(pc, index)) && *index <= last) {
		if (rec->dirty) {
			phys = rec->phys;
			*bits = rec->dirty;
			rec->dirty &= PC_DIRTY_MAPPED;
			if (page_refcount(phys) == 1)
				rec->dirty = 0;		/* nobody maps it any more */
			page_get(phys);
			break;
		}
		if (++*index == 0)
			break;
	}
	spin_unlock_irqrestore(&pc->lock, irq);
	return phys;
}

/* See mm.h. */
int pagecache_writeback(struct page_cache *pc, uint64_t first, uint64_t last)
{
	uint64_t index = first, phys;
	uint32_t bits;
	int err = 0;

	while ((phys = pc_next_dirty(pc, &index, last, &bits))) {
		int e = pc->ops->writepage(pc, index, phys_to_virt(phys), bits);

		if (e) {
			pagecache_mark_dirty(pc, index, bits);
			err = err ? err : e;
		}
		page_put(phys);
		if (index++ == last)
			break;
	}
	return err;
}

/* See mm.h. */
void pagecache_truncate(struct page_cache *pc, uint64_t first)
{
	for (;;) {
		uint64_t irq = spin_lock_irqsave(&pc->lock), index = first;
		struct pc_page *rec = pc_next_locked(pc, &index);

		if (rec) {
			pc_clear_locked(pc, index);
			pc->nr_pages -= !!rec->phys;
		}
		spin_unlock_irqrestore(&pc->lock, irq);
		if (!rec)
			return;
		if (rec->phys)
			page_put(rec->phys);
		kfree(rec);
	}
}

static void pc_free_nodes(void *node, unsigned height)
{
	if (!node || !height)
		return;
	for (unsigned i = 0; i < PC_SLOTS; i++)
		pc_free_nodes(((struct pc_node *)node)->slot[i], height - 1);
	kfree(node);
}

/* See mm.h. */
void pagecache_destroy(struct page_cache *pc)
{
	uint64_t irq = spin_lock_irqsave(&pc_all_lock);

	list_del(&pc->all);
	spin_unlock_irqrestore(&pc_all_lock, irq);
	pagecache_truncate(pc, 0);
	pc_free_nodes(pc->root, pc->height);
	pc->root = NULL;
	pc->height = 0;
}

/* Drops up to want clean pages nobody else holds from pc; how many. pc->lock. */
static size_t pc_shrink_locked(struct page_cache *pc, size_t want)
{
	uint64_t index = 0;
	struct pc_page *rec;
	size_t freed = 0;

	while (freed < want && (rec = pc_next_locked(pc, &index))) {
		if (rec->phys && !rec->dirty && page_refcount(rec->phys) == 1) {
			page_put(rec->phys);
			rec->phys = 0;
			pc->nr_pages--;
			freed++;
		}
		if (++index == 0)
			break;
	}
	return freed;
}

/* See mm.h. */
size_t pagecache_shrink(size_t want)
{
	size_t freed = 0, caches = 0;
	uint64_t irq, pirq;

	if (!spin_trylock_irqsave(&pc_all_lock, &irq))
		return 0;
	/* A clock over the caches: each one visited goes to the back. */
	while (freed < want && !list_empty(&pc_all) && caches++ < 4096) {
		struct page_cache *pc = list_first_entry(&pc_all, struct page_cache, all);

		list_del(&pc->all);
		list_add_tail(&pc->all, &pc_all);
		if (!spin_trylock_irqsave(&pc->lock, &pirq))
			continue;
		freed += pc_shrink_locked(pc, want - freed);
		spin_unlock_irqrestore(&pc->lock, pirq);
	}
	spin_unlock_irqrestore(&pc_all_lock, irq);
	return freed;
}
