/*
 * mm_internal.h — what the files of kernel/mm/ share among themselves: page-table
 * entry bits and walkers, the boot steps of the page allocator, page tags.
 */
#ifndef LUMEN_MM_INTERNAL_H
#define LUMEN_MM_INTERNAL_H

#include "mm/mm.h"

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_A (1UL << 5)
#define PTE_D (1UL << 6)
#define PTE_PS (1UL << 7)
#define PTE_G (1UL << 8)
#define PTE_COW (1UL << 9)	/* software bit: private page shared read-only after fork */
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000ffffffffff000UL

/* x86 page-fault error code bits. */
#define PF_PRESENT (1UL << 0)
#define PF_WRITE (1UL << 1)
#define PF_USER (1UL << 2)
#define PF_RSVD (1UL << 3)
#define PF_INSN (1UL << 4)

/* page.c */
void page_init(void);
void page_allow_high(void);
uint64_t mm_ram_end(void);
uint8_t page_tag(uint64_t phys);
void page_set_tag(uint64_t phys, uint8_t tag);

/* paging.c: the kernel's own PML4; entries 256..511 are shared by every space. */
extern uint64_t kernel_pml4_phys;

/*
 * Returns a pointer to the last-level entry for va in the tables rooted at pml4_phys,
 * creating missing tables when alloc (user tables get U|W|P, so the leaf decides).
 * NULL when a table is missing (and !alloc), out of memory, or va is under a large
 * page. The caller holds the lock protecting those tables.
 */
uint64_t *pgtable_walk(uint64_t pml4_phys, uint64_t va, bool alloc);
/* Frees every page and table of the user half of pml4_phys, then the PML4 itself. */
void pgtable_free_user(uint64_t pml4_phys);
/* Drops this CPU's TLB entry for va / all non-global entries. */
static inline void tlb_flush_page(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}
static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}
static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory");
}

/* heap.c */
void heap_init(void);

#endif
