/*
 * mm_internal.h — what the files of kernel/mm/ share among themselves: page-table
 * entry bits and walkers, the boot steps of the page allocator, page tags.
 *
 * Lock order (all spinlocks, taken with interrupts off):
 *   vm_list_lock  ->  vm->lock  ->  a kmalloc size-class lock  ->  page_lock
 *   fork: the parent's vm->lock -> the child's (nobody else holds two)
 *   kernel_pt_lock -> page_lock
 * file_get may be called under vm->lock; file_put, kernel_read and file_get_path
 * never are (they may sleep), so VMAs are freed after the lock is dropped.
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
#define PTE_PROTNONE (1UL << 9)	/* software: a page kept while PROT_NONE, P clear */
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
uint64_t page_alloc_uninit(void);
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
/*
 * Calls fn for every last-level entry that holds a page (present, or kept under
 * PROT_NONE) for addresses in [start, end), skipping missing tables. The caller holds
 * the lock protecting the tables; fn may change or clear the entry.
 */
typedef void (*pgtable_visit_t)(uint64_t va, uint64_t *pte, void *ctx);
void pgtable_for_each(uint64_t pml4_phys, uint64_t start, uint64_t end,
		      pgtable_visit_t fn, void *ctx);
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

/* vma.c: VMA bookkeeping, all with vm->lock held. */
#define MMAP_MIN_ADDR 0x10000UL		/* Linux's default vm.mmap_min_addr */
#define STACK_GROW_MAX (8UL << 20)	/* how far below a stack a fault may extend it */
/* The first VMA ending above addr (it contains addr when start <= addr), or NULL. */
struct vma *vma_find_locked(struct vm_space *vm, uint64_t addr);
/* The PTE bits (besides the address) for a page of a VMA with these VM_* flags. */
uint64_t vma_pte_flags(uint32_t flags, bool writable);
/* Drops va from this CPU's TLB when vm is the active space. */
void vm_tlb_flush_page(struct vm_space *vm, uint64_t va);
/* Takes the file reference (and writable-mapping count) a copied VMA holds. */
void vma_get_file(struct vma *vma);
/* Frees a VMA removed from its space (drops its file reference); without the lock. */
void vma_free(struct vma *vma);

void vma_free_list(struct list_head *list);
void vma_insert_locked(struct vm_space *vm, struct vma *vma);
void vm_merge_locked(struct vm_space *vm, uint64_t start, uint64_t end, struct list_head *freed);
bool vm_range_used_locked(struct vm_space *vm, uint64_t start, uint64_t end);
/* Highest free range of len bytes below vm->mmap_base; 0 when none. */
uint64_t vm_find_free_locked(struct vm_space *vm, uint64_t len);
int vma_split_locked(struct vm_space *vm, struct vma *vma, uint64_t addr);
bool vm_range_mapped_locked(struct vm_space *vm, uint64_t start, uint64_t end);
void vm_zap_range_locked(struct vm_space *vm, uint64_t start, uint64_t end);
int vm_unmap_locked(struct vm_space *vm, uint64_t start, uint64_t end, struct list_head *freed);

/* filemap.c: every space is on a list for vm_unmap_file_pages. */
extern uint64_t vm_file_zap_seq;
void vm_list_add(struct vm_space *vm);
void vm_list_del(struct vm_space *vm);

/* heap.c */
void heap_init(void);

#endif
