/*
 * vma.c — the areas of a user address space: mapping (with the top-down search of
 * free ranges), unmapping, changing protection and brk. Every function ending in
 * _locked runs with vm->lock held; VMAs taken out under the lock are freed after it
 * is dropped, because dropping their file reference may sleep.
 */
#include "arch/x86_64/arch.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm_internal.h"

#define VM_PROT_MASK (VM_READ | VM_WRITE | VM_EXEC)

/* The first VMA ending above addr, or NULL; vm->lock held. */
struct vma *vma_find_locked(struct vm_space *vm, uint64_t addr)
{
	struct vma *vma;

	list_for_each_entry(vma, &vm->vmas, link)
		if (vma->end > addr)
			return vma;
	return NULL;
}

/* PTE bits for a page of a VMA with VM_* flags; PROT_NONE keeps the page not present. */
uint64_t vma_pte_flags(uint32_t flags, bool writable)
{
	uint64_t pte = PTE_P | PTE_U;

	if (!(flags & VM_PROT_MASK))
		return PTE_PROTNONE;
	if ((flags & VM_WRITE) && writable)
		pte |= PTE_W;
	if (!(flags & VM_EXEC))
		pte |= PTE_NX;
	return pte;
}

/* Flushes va on this CPU when vm is active here. With several CPUs the others
 * running vm need a shootdown too (an IPI the arch code does not offer yet). */
void vm_tlb_flush_page(struct vm_space *vm, uint64_t va)
{
	if (read_cr3() == vm->pml4_phys)
		tlb_flush_page(va);
}

/* True when vma is a shared mapping that may write its file, so that it holds a
 * count in the inode's mmap_writable. VM_SHARED and VM_NOMAYWRITE never change. */
static bool vma_may_write_file(const struct vma *vma)
{
	return vma->file && vma->file->inode &&
	       (vma->flags & (VM_SHARED | VM_NOMAYWRITE)) == VM_SHARED;
}

/* Takes what a copy of a VMA (split, fork, mremap) holds: a file reference and,
 * for a writable shared mapping, a count in mmap_writable (which cannot fail: the
 * original's count keeps writes allowed). May run under vm->lock. */
void vma_get_file(struct vma *vma)
{
	if (!vma->file)
		return;
	file_get(vma->file);
	if (vma_may_write_file(vma))
		inode_map_writable(vma->file->inode);
}

/* Frees a VMA taken out of its space, dropping its file reference and its count of
 * writable shared mappings; no lock held. */
void vma_free(struct vma *vma)
{
	if (vma_may_write_file(vma))
		inode_unmap_writable(vma->file->inode);
	if (vma->file)
		file_put(vma->file);
	kfree(vma);
}

/* Frees the VMAs collected on a list by the _locked functions; without the lock. */
void vma_free_list(struct list_head *list)
{
	struct vma *vma, *tmp;

	list_for_each_entry_safe(vma, tmp, list, link) {
		list_del(&vma->link);
		vma_free(vma);
	}
}

/* Inserts vma into the sorted list. */
void vma_insert_locked(struct vm_space *vm, struct vma *vma)
{
	struct vma *next = vma_find_locked(vm, vma->start);

	list_insert_between(&vma->link, next ? next->link.prev : vm->vmas.prev,
			    next ? &next->link : &vm->vmas);
}

/* Splits vma at addr (inside it): vma keeps [start, addr), a new VMA gets the rest. */
int vma_split_locked(struct vm_space *vm, struct vma *vma, uint64_t addr)
{
	struct vma *hi = kmalloc(sizeof(*hi));

	if (!hi)
		return -ENOMEM;
	*hi = *vma;
	hi->start = addr;
	if (hi->file)
		hi->file_offset += addr - vma->start;
	vma_get_file(hi);
	vma->end = addr;
	list_insert_between(&hi->link, &vma->link, vma->link.next);
	return 0;
}

static bool vma_can_merge(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->flags != b->flags || a->file != b->file)
		return false;
	return !a->file || a->file_offset + (a->end - a->start) == b->file_offset;
}

/*
 * Joins neighbouring VMAs around [start, end) that continue each other (same flags
 * and backing), as Linux does, so mprotect back and forth leaves one area and
 * mremap can grow it. Merged-away VMAs go on `freed`.
 */
void vm_merge_locked(struct vm_space *vm, uint64_t start, uint64_t end, struct list_head *freed)
{
	struct vma *vma = vma_find_locked(vm, start ? start - 1 : 0), *next;

	while (vma && vma->link.next != &vm->vmas && vma->start <= end) {
		next = list_entry(vma->link.next, struct vma, link);
		if (!vma_can_merge(vma, next)) {
			vma = next;
			continue;
		}
		vma->end = next->end;
		list_del(&next->link);
		list_add_tail(&next->link, freed);
	}
}

/* True when some VMA overlaps [start, end). */
bool vm_range_used_locked(struct vm_space *vm, uint64_t start, uint64_t end)
{
	struct vma *vma = vma_find_locked(vm, start);

	return vma && vma->start < end;
}

/* True when VMAs cover [start, end) without a hole. */
bool vm_range_mapped_locked(struct vm_space *vm, uint64_t start, uint64_t end)
{
	struct vma *vma = vma_find_locked(vm, start);

	while (start < end) {
		if (!vma || vma->start > start)
			return false;
		start = vma->end;
		vma = list_entry(vma->link.next, struct vma, link);
		if (&vma->link == &vm->vmas)
			vma = NULL;
	}
	return true;
}

static void unmap_page(uint64_t va, uint64_t *pte, void *arg)
{
	struct vm_space *vm = arg;

	page_put(*pte & PTE_ADDR);
	*pte = 0;
	vm->rss_pages--;
	vm_tlb_flush_page(vm, va);
}

/* Drops the pages of [start, end) but keeps the VMAs. */
void vm_zap_range_locked(struct vm_space *vm, uint64_t start, uint64_t end)
{
	pgtable_for_each(vm->pml4_phys, start, end, unmap_page, vm);
}

/* Splits the VMAs at start and end so [start, end) is made of whole VMAs. */
static int vm_split_range_locked(struct vm_space *vm, uint64_t start, uint64_t end)
{
	struct vma *vma = vma_find_locked(vm, start);
	int err;

	if (vma && vma->start < start) {
		err = vma_split_locked(vm, vma, start);
		if (err)
			return err;
	}
	vma = vma_find_locked(vm, end);
	if (vma && vma->start < end)
		return vma_split_locked(vm, vma, end);
	return 0;
}

/* Removes [start, end) from the space; the VMAs removed go on `freed`. */
int vm_unmap_locked(struct vm_space *vm, uint64_t start, uint64_t end, struct list_head *freed)
{
	struct vma *vma;
	int err = vm_split_range_locked(vm, start, end);

	if (err)
		return err;
	while ((vma = vma_find_locked(vm, start)) && vma->start < end) {
		list_del(&vma->link);
		list_add_tail(&vma->link, freed);
	}
	vm_zap_range_locked(vm, start, end);
	return 0;
}

/* Finds len free bytes below vm->mmap_base, highest first; 0 when there are none. */
uint64_t vm_find_free_locked(struct vm_space *vm, uint64_t len)
{
	uint64_t hi = vm->mmap_base;
	struct vma *vma;

	for (vma = list_entry(vm->vmas.prev, struct vma, link); &vma->link != &vm->vmas;
	     vma = list_entry(vma->link.prev, struct vma, link)) {
		if (vma->start >= hi)
			continue;
		if (vma->end <= hi && hi - vma->end >= len)
			return hi - len;
		hi = vma->start;
	}
	return hi >= MMAP_MIN_ADDR + len ? hi - len : 0;
}

/* Picks the address for a non-fixed mapping: the hint when it is free, else a search. */
static uint64_t vm_pick_addr_locked(struct vm_space *vm, uint64_t hint, uint64_t len)
{
	hint = ALIGN_UP(hint, PAGE_SIZE);
	if (hint >= MMAP_MIN_ADDR && hint <= USER_SPACE_END - len &&
	    !vm_range_used_locked(vm, hint, hint + len))
		return hint;
	return vm_find_free_locked(vm, len);
}

/* Places a new VMA; returns its start or -errno. */
static long vm_map_locked(struct vm_space *vm, uint64_t addr, uint64_t len, bool fixed,
			  bool noreplace, struct vma *vma, struct list_head *freed)
{
	if (fixed || noreplace) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr > USER_SPACE_END - len)
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		if (noreplace && vm_range_used_locked(vm, addr, addr + len))
			return -EEXIST;
		if (vm_range_used_locked(vm, addr, addr + len)) {
			int err = vm_unmap_locked(vm, addr, addr + len, freed);

			if (err)
				return err;
		}
	} else {
		addr = vm_pick_addr_locked(vm, addr, len);
		if (!addr)
			return -ENOMEM;
	}
	vma->start = addr;
	vma->end = addr + len;
	vma_insert_locked(vm, vma);
	return addr;
}

/* See mm.h. Takes vm->lock; takes a reference on file when the mapping is made, and
 * counts a shared mapping that may write it (-EPERM when writes are denied). */
long vm_map(struct vm_space *vm, uint64_t addr, size_t len, uint32_t flags,
	    bool fixed, bool noreplace, struct file *file, uint64_t offset)
{
	LIST_HEAD(freed);
	struct vma *vma;
	uint64_t irq;
	long ret;

	if (!len)
		return -EINVAL;
	if (len > USER_SPACE_END - MMAP_MIN_ADDR)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	vma = kzalloc(sizeof(*vma));
	if (!vma)
		return -ENOMEM;
	vma->flags = flags;
	vma->file_offset = offset;
	if (file && file->inode && (flags & (VM_SHARED | VM_NOMAYWRITE)) == VM_SHARED &&
	    inode_map_writable(file->inode)) {
		kfree(vma);
		return -EPERM;	/* F_SEAL_WRITE came after the file's mmap check */
	}
	vma->file = file;
	if (file)
		file_get(file);
	irq = spin_lock_irqsave(&vm->lock);
	ret = vm_map_locked(vm, addr, len, fixed, noreplace, vma, &freed);
	if (ret >= 0)
		vm_merge_locked(vm, ret, ret + len, &freed);
	spin_unlock_irqrestore(&vm->lock, irq);
	if (ret < 0)
		list_add(&vma->link, &freed);
	vma_free_list(&freed);
	return ret;
}

/* munmap: removes [addr, addr+len); 0 or -EINVAL/-ENOMEM. Takes vm->lock. */
int vm_unmap(struct vm_space *vm, uint64_t addr, size_t len)
{
	LIST_HEAD(freed);
	uint64_t end, irq;
	int err;

	if ((addr & (PAGE_SIZE - 1)) || !len)
		return -EINVAL;
	end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (addr >= USER_SPACE_END || end > USER_SPACE_END || end < addr)
		return -EINVAL;
	irq = spin_lock_irqsave(&vm->lock);
	err = vm_unmap_locked(vm, addr, end, &freed);
	spin_unlock_irqrestore(&vm->lock, irq);
	vma_free_list(&freed);
	return err;
}

static void protect_page(uint64_t va, uint64_t *pte, void *arg)
{
	struct vma *vma = arg;
	uint64_t phys = *pte & PTE_ADDR;
	bool writable = (vma->flags & VM_SHARED) || page_refcount(phys) == 1;

	*pte = phys | vma_pte_flags(vma->flags, writable);
}

static int vm_protect_locked(struct vm_space *vm, uint64_t start, uint64_t end, uint32_t prot)
{
	struct vma *vma;
	int err;

	if (!vm_range_mapped_locked(vm, start, end))
		return -ENOMEM;
	for (vma = vma_find_locked(vm, start); (prot & VM_WRITE) && vma && vma->start < end;
	     vma = list_entry(vma->link.next, struct vma, link)) {
		if (vma->flags & VM_NOMAYWRITE)
			return -EACCES;
		if (vma->link.next == &vm->vmas)
			break;
	}
	err = vm_split_range_locked(vm, start, end);
	if (err)
		return err;
	for (vma = vma_find_locked(vm, start); vma && vma->start < end;
	     vma = list_entry(vma->link.next, struct vma, link)) {
		vma->flags = (vma->flags & ~VM_PROT_MASK) | (prot & VM_PROT_MASK);
		pgtable_for_each(vm->pml4_phys, vma->start, vma->end, protect_page, vma);
		if (vma->link.next == &vm->vmas)
			break;
	}
	if (read_cr3() == vm->pml4_phys)
		write_cr3(vm->pml4_phys);
	return 0;
}

/* mprotect: sets VM_READ/WRITE/EXEC of [addr, addr+len); -ENOMEM when part of the
 * range is unmapped, -EACCES for write on a VM_NOMAYWRITE mapping, -EINVAL on an
 * unaligned addr. Takes vm->lock. */
int vm_protect(struct vm_space *vm, uint64_t addr, size_t len, uint32_t flags)
{
	LIST_HEAD(freed);
	uint64_t end, irq;
	int err;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (end < addr || end > USER_SPACE_END)
		return -ENOMEM;
	if (!len)
		return 0;
	irq = spin_lock_irqsave(&vm->lock);
	err = vm_protect_locked(vm, addr, end, flags);
	vm_merge_locked(vm, addr, end, &freed);
	spin_unlock_irqrestore(&vm->lock, irq);
	vma_free_list(&freed);
	return err;
}

/* Grows the heap VMA ending at old_end to new_end, or adds one; false on failure. */
static bool brk_grow_locked(struct vm_space *vm, uint64_t old_end, uint64_t new_end)
{
	struct vma *vma;

	if (new_end > USER_SPACE_END || vm_range_used_locked(vm, old_end, new_end))
		return false;
	list_for_each_entry(vma, &vm->vmas, link) {
		if (vma->end == old_end && !vma->file && vma->flags == (VM_READ | VM_WRITE) &&
		    vma->start >= ALIGN_DOWN(vm->brk_start, PAGE_SIZE)) {
			vma->end = new_end;
			return true;
		}
	}
	vma = kzalloc(sizeof(*vma));
	if (!vma)
		return false;
	vma->start = old_end;
	vma->end = new_end;
	vma->flags = VM_READ | VM_WRITE;
	vma_insert_locked(vm, vma);
	return true;
}

/* brk(2) with Linux's rules: the new end, or the old one when the request is below
 * the heap start, collides with another mapping or is out of memory. Takes vm->lock. */
uint64_t vm_brk(struct vm_space *vm, uint64_t new_brk)
{
	LIST_HEAD(freed);
	uint64_t irq = spin_lock_irqsave(&vm->lock);
	uint64_t old_end = ALIGN_UP(vm->brk, PAGE_SIZE), new_end = ALIGN_UP(new_brk, PAGE_SIZE);
	bool ok = new_brk >= vm->brk_start && new_brk < USER_SPACE_END;

	if (ok && new_end > old_end && (ok = brk_grow_locked(vm, old_end, new_end)))
		vm_merge_locked(vm, old_end, new_end, &freed);
	else if (ok && new_end < old_end)
		ok = vm_unmap_locked(vm, new_end, old_end, &freed) == 0;
	if (ok)
		vm->brk = new_brk;
	new_brk = vm->brk;
	spin_unlock_irqrestore(&vm->lock, irq);
	vma_free_list(&freed);
	return new_brk;
}
