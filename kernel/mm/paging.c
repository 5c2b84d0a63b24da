/*
 * paging.c — the kernel's page tables: the direct map of physical memory, the kernel
 * image with per-section permissions, ioremap of device memory, and the page-table
 * walker the user address spaces use too.
 */
#include "arch/x86_64/arch.h"
#include "lib/log.h"
#include "mm/mm_internal.h"

#define DIRECT_MAP_MIN (4UL << 30)		/* also covers the PCI hole below 4 GiB */
#define LARGE_PAGE (2UL << 20)
#define IOREMAP_BASE 0xffffc00000000000UL	/* PML4 entry 384 */
#define IOREMAP_END 0xffffc80000000000UL

extern char _kernel_text_start[], _kernel_text_end[];
extern char _kernel_rodata_start[], _kernel_rodata_end[];
extern char _kernel_data_start[];

uint64_t kernel_pml4_phys;
static uint64_t ioremap_next = IOREMAP_BASE;
/* Protects kernel-half page tables below the PML4 (ioremap) and ioremap_next. */
static spinlock_t kernel_pt_lock = SPINLOCK_INIT("kernel_pt");

static uint64_t *table_of(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

static uint64_t table_alloc_or_panic(void)
{
	uint64_t phys = page_alloc();

	if (!phys)
		panic("mm: out of memory for kernel page tables");
	return phys;
}

/* See mm_internal.h: the last-level entry for va, creating tables when alloc. */
uint64_t *pgtable_walk(uint64_t pml4_phys, uint64_t va, bool alloc)
{
	uint64_t *table = phys_to_virt(pml4_phys);
	uint64_t inter = va < USER_SPACE_END ? PTE_P | PTE_W | PTE_U : PTE_P | PTE_W;

	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			uint64_t phys;

			if (!alloc || !(phys = page_alloc()))
				return NULL;
			*e = phys | inter;
		} else if (*e & PTE_PS) {
			return NULL;
		}
		table = table_of(*e);
	}
	return &table[(va >> 12) & 511];
}

static void table_free_level(uint64_t phys, int level)
{
	uint64_t *t = phys_to_virt(phys);

	for (int i = 0; i < 512; i++) {
		if (!(t[i] & (level > 1 ? PTE_P : PTE_P | PTE_PROTNONE)))
			continue;
		if (level > 1)
			table_free_level(t[i] & PTE_ADDR, level - 1);
		else
			page_put(t[i] & PTE_ADDR);
	}
	page_put(phys);
}

static void table_visit(uint64_t *table, int shift, uint64_t base, uint64_t start,
			uint64_t end, pgtable_visit_t fn, void *ctx)
{
	uint64_t span = 1UL << shift;

	for (int i = 0; i < 512; i++) {
		uint64_t lo = base + i * span, hi = lo + span;

		if (hi <= start || lo >= end)
			continue;
		if (shift == 12) {
			if (table[i] & (PTE_P | PTE_PROTNONE))
				fn(lo, &table[i], ctx);
		} else if ((table[i] & PTE_P) && !(table[i] & PTE_PS)) {
			table_visit(table_of(table[i]), shift - 9, lo, start, end, fn, ctx);
		}
	}
}

/* See mm_internal.h: visits the entries holding pages in [start, end). */
void pgtable_for_each(uint64_t pml4_phys, uint64_t start, uint64_t end,
		      pgtable_visit_t fn, void *ctx)
{
	table_visit(phys_to_virt(pml4_phys), 39, 0, start, end, fn, ctx);
}

/* Frees the user half (pages and tables) and the PML4; the space is dead. */
void pgtable_free_user(uint64_t pml4_phys)
{
	uint64_t *pml4 = phys_to_virt(pml4_phys);

	for (int i = 0; i < 256; i++)
		if (pml4[i] & PTE_P)
			table_free_level(pml4[i] & PTE_ADDR, 3);
	page_put(pml4_phys);
}

/* Maps [0, end) at DIRECT_MAP_BASE with 2 MiB pages, writable, not executable. */
static void map_direct(uint64_t end)
{
	uint64_t *pml4 = phys_to_virt(kernel_pml4_phys);

	for (uint64_t pa = 0; pa < end; pa += LARGE_PAGE) {
		uint64_t va = DIRECT_MAP_BASE + pa;
		uint64_t *pdpt = table_of(pml4[(va >> 39) & 511]);
		uint64_t *pde = &pdpt[(va >> 30) & 511];

		if (!(*pde & PTE_P))
			*pde = table_alloc_or_panic() | PTE_P | PTE_W;
		table_of(*pde)[(va >> 21) & 511] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	}
}

static void map_kernel_range(const char *start, const char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE) {
		uint64_t *pte = pgtable_walk(kernel_pml4_phys, va, true);

		if (!pte)
			panic("mm: out of memory mapping the kernel");
		*pte = (va - KERNEL_VMA) | flags | PTE_P | PTE_G;
	}
}

/*
 * Takes over physical memory and switches to the kernel's own page tables: no
 * identity map, the direct map, and the image with read-only text and NX data.
 */
void mm_init(void)
{
	uint64_t *pml4;

	page_init();
	kernel_pml4_phys = table_alloc_or_panic();
	pml4 = phys_to_virt(kernel_pml4_phys);
	for (int i = 256; i < 512; i++)
		pml4[i] = table_alloc_or_panic() | PTE_P | PTE_W;
	map_direct(MAX(mm_ram_end(), DIRECT_MAP_MIN));
	map_kernel_range(_kernel_text_start, _kernel_text_end, 0);
	map_kernel_range(_kernel_rodata_start, _kernel_rodata_end, PTE_NX);
	map_kernel_range(_kernel_data_start, _kernel_end, PTE_W | PTE_NX);
	write_cr3(kernel_pml4_phys);
	page_allow_high();
	heap_init();
}

/* Direct-map and kernel-image addresses by arithmetic, others by a table walk. */
uint64_t virt_to_phys(const void *virt)
{
	uint64_t va = (uint64_t)virt;
	uint64_t *pte;

	if (va >= KERNEL_VMA)
		return va - KERNEL_VMA;
	if (va >= DIRECT_MAP_BASE && va < IOREMAP_BASE)
		return va - DIRECT_MAP_BASE;
	pte = pgtable_walk(kernel_pml4_phys, va, false);
	if (!pte || !(*pte & PTE_P))
		panic("virt_to_phys: %p is not mapped", virt);
	return (*pte & PTE_ADDR) | (va & (PAGE_SIZE - 1));
}

/*
 * Maps device memory [phys, phys+size) uncached in the ioremap area (shared by every
 * address space) and returns the address of phys, or NULL when out of memory or
 * address space. Takes kernel_pt_lock.
 */
void *ioremap(uint64_t phys, size_t size)
{
	uint64_t first = ALIGN_DOWN(phys, PAGE_SIZE);
	uint64_t len = ALIGN_UP(phys + size, PAGE_SIZE) - first;
	uint64_t flags = spin_lock_irqsave(&kernel_pt_lock);
	uint64_t base = ioremap_next;

	if (!size || len > IOREMAP_END - base) {
		spin_unlock_irqrestore(&kernel_pt_lock, flags);
		return NULL;
	}
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *pte = pgtable_walk(kernel_pml4_phys, base + off, true);

		if (!pte) {
			spin_unlock_irqrestore(&kernel_pt_lock, flags);
			return NULL;
		}
		*pte = (first + off) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G | PTE_NX;
		tlb_flush_page(base + off);
	}
	ioremap_next = base + len + PAGE_SIZE;	/* a guard page between mappings */
	spin_unlock_irqrestore(&kernel_pt_lock, flags);
	return (void *)(base + (phys - first));
}
