/*
 * vm_ops.c — the rarer address-space operations behind madvise, mremap, mincore,
 * msync and futex keys. Each takes vm->lock itself.
 */
#include "arch/x86_64/arch.h"
#include "fs/vfs.h"
#include "mm/mm_internal.h"

static void zap_private_page(uint64_t va, uint64_t *pte, void *arg)
{
	struct vm_space *vm = arg;

	page_put(*pte & PTE_ADDR);
	*pte = 0;
	vm->rss_pages--;
	vm_tlb_flush_page(vm, va);
}

/*
 * MADV_DONTNEED: drops the pages of private mappings in [start, end) so they read
 * back as zero (anonymous) or as the file's data; shared pages stay. Returns 0, or
 * -ENOMEM when part of the range is unmapped (the mapped parts are still done).
 */
int vm_advise_dontneed(struct vm_space *vm, uint64_t start, uint64_t end)
{
	uint64_t irq = spin_lock_irqsave(&vm->lock);
	bool mapped = vm_range_mapped_locked(vm, start, end);
	struct vma *vma;

	list_for_each_entry(vma, &vm->vmas, link) {
		if (vma->end <= start || vma->start >= end || (vma->flags & VM_SHARED))
			continue;
		pgtable_for_each(vm->pml4_phys, MAX(start, vma->start), MIN(end, vma->end),
				 zap_private_page, vm);
	}
	spin_unlock_irqrestore(&vm->lock, irq);
	return mapped ? 0 : -ENOMEM;
}

/* 0 when VMAs cover [start, end), else -ENOMEM (msync, madvise). */
int vm_check_mapped(struct vm_space *vm, uint64_t start, uint64_t end)
{
	uint64_t irq = spin_lock_irqsave(&vm->lock);
	bool mapped = vm_range_mapped_locked(vm, start, end);

	spin_unlock_irqrestore(&vm->lock, irq);
	return mapped ? 0 : -ENOMEM;
}

/* The file (counted) and offset behind an unmapped page of a file mapping whose
 * file can tell what it caches; NULL otherwise. */
static struct file *mincore_file(struct vm_space *vm, uint64_t va, uint64_t *offset)
{
	uint64_t irq = spin_lock_irqsave(&vm->lock);
	struct vma *vma = vma_find_locked(vm, va);
	struct file *file = NULL;

	if (vma && vma->start <= va && vma->file && vma->file->ops &&
	    vma->file->ops->page_cached) {
		file = vma->file;
		file_get(file);
		*offset = vma->file_offset + (va - vma->start);
	}
	spin_unlock_irqrestore(&vm->lock, irq);
	return file;
}

/*
 * mincore: vec[i] = 1 when page i of [start, start + n pages) is resident: mapped
 * here, or cached by the mapped file (Linux answers from the page cache). Returns
 * 0 or -ENOMEM when part of the range is unmapped. Takes vm->lock.
 */
int vm_mincore(struct vm_space *vm, uint64_t start, size_t n, uint8_t *vec)
{
	uint64_t irq = spin_lock_irqsave(&vm->lock), offset;
	bool mapped = vm_range_mapped_locked(vm, start, start + n * PAGE_SIZE);
	struct file *file;

	for (size_t i = 0; mapped && i < n; i++) {
		uint64_t *pte = pgtable_walk(vm->pml4_phys, start + i * PAGE_SIZE, false);

		vec[i] = pte && (*pte & (PTE_P | PTE_PROTNONE));
	}
	spin_unlock_irqrestore(&vm->lock, irq);
	if (!mapped)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (vec[i] || !(file = mincore_file(vm, start + i * PAGE_SIZE, &offset)))
			continue;
		vec[i] = file->ops->page_cached(file, offset);
		file_put(file);
	}
	return 0;
}

/* The first shared file mapping with an fsync that overlaps [*at, end): its file
 * (counted) and the file bytes [*first, *last] it maps there; *at moves past it. */
static struct file *msync_next(struct vm_space *vm, uint64_t *at, uint64_t end,
			       uint64_t *first, uint64_t *last)
{
	uint64_t irq = spin_lock_irqsave(&vm->lock);
	struct vma *vma = vma_find_locked(vm, *at);
	struct file *file = NULL;

	for (; vma && &vma->link != &vm->vmas && vma->start < end;
	     vma = list_entry(vma->link.next, struct vma, link)) {
		uint64_t from = MAX(vma->start, *at), to = MIN(vma->end, end);

		*at = to;
		if (!(vma->flags & VM_SHARED) || !vma->file || !vma->file->ops ||
		    !vma->file->ops->fsync)
			continue;
		file = vma->file;
		file_get(file);
		*first = vma->file_offset + (from - vma->start);
		*last = vma->file_offset + (to - vma->start) - 1;
		break;
	}
	if (!file)
		*at = end;
	spin_unlock_irqrestore(&vm->lock, irq);
	return file;
}

/*
 * msync(MS_SYNC) on page-aligned [start, end): writes back what shared file
 * mappings there map (file_operations.fsync on their ranges). 0, -ENOMEM when part
 * of the range is unmapped (the mapped parts are still written), or the first
 * write-back error. Takes vm->lock, not across the write-back.
 */
int vm_msync(struct vm_space *vm, uint64_t start, uint64_t end)
{
	int err = vm_check_mapped(vm, start, end), e;
	uint64_t at = start, first, last;
	struct file *file;

	while (at < end) {
		file = msync_next(vm, &at, end, &first, &last);
		if (!file)
			break;
		e = file->ops->fsync(file, first, last, false);
		file_put(file);
		err = err ? err : e;
	}
	return err;
}

struct move_ctx {
	struct vm_space *vm;
	int64_t delta;
	int err;
};

static void move_page(uint64_t va, uint64_t *pte, void *arg)
{
	struct move_ctx *m = arg;
	uint64_t *dst;

	if (m->err)
		return;
	dst = pgtable_walk(m->vm->pml4_phys, va + m->delta, true);
	if (!dst) {
		m->err = -ENOMEM;
		return;
	}
	*dst = *pte;
	*pte = 0;
	vm_tlb_flush_page(m->vm, va);
}

/* Moves [old, old+old_len) of one VMA to new_addr with new_len; the caller checked
 * that the target range is free. */
static int mremap_move_locked(struct vm_space *vm, struct vma *vma, uint64_t old,
			      uint64_t old_len, uint64_t new_addr, uint64_t new_len,
			      struct list_head *freed)
{
	struct vma *nv = kmalloc(sizeof(*nv));
	struct move_ctx m = { vm, (int64_t)(new_addr - old), 0 };

	if (!nv)
		return -ENOMEM;
	*nv = *vma;
	nv->start = new_addr;
	nv->end = new_addr + new_len;
	nv->file_offset += old - vma->start;
	vma_get_file(nv);
	pgtable_for_each(vm->pml4_phys, old, old + MIN(old_len, new_len), move_page, &m);
	if (m.err) {
		nv->start = nv->end = 0;	/* pages moved so far go away with the old range */
		list_add(&nv->link, freed);
		vm_unmap_locked(vm, new_addr, new_addr + new_len, freed);
		return m.err;
	}
	vm_unmap_locked(vm, old, old + old_len, freed);
	vma_insert_locked(vm, nv);
	return 0;
}

/*
 * mremap of page-aligned lengths: shrinks in place, grows in place when the pages
 * after the range are free, else moves (with may_move) below mmap_base, or to
 * fixed_addr when it is not 0. Returns the new address or -EFAULT/-ENOMEM/-EINVAL.
 */
long vm_mremap(struct vm_space *vm, uint64_t old, uint64_t old_len, uint64_t new_len,
	       bool may_move, uint64_t fixed_addr)
{
	LIST_HEAD(freed);
	uint64_t irq = spin_lock_irqsave(&vm->lock);
	struct vma *vma = vma_find_locked(vm, old);
	long ret;

	if (!vma || vma->start > old || old + old_len > vma->end) {
		ret = -EFAULT;
	} else if (fixed_addr && fixed_addr < old + old_len && old < fixed_addr + new_len) {
		ret = -EINVAL;
	} else if (fixed_addr) {
		ret = vm_unmap_locked(vm, fixed_addr, fixed_addr + new_len, &freed);
		vma = vma_find_locked(vm, old);
		if (!ret)
			ret = mremap_move_locked(vm, vma, old, old_len, fixed_addr, new_len, &freed);
		ret = ret ? ret : (long)fixed_addr;
	} else if (new_len <= old_len) {
		ret = vm_unmap_locked(vm, old + new_len, old + old_len, &freed);
		ret = ret ? ret : (long)old;
	} else if (vma->end == old + old_len && old + new_len <= USER_SPACE_END &&
		   old + new_len > old && !vm_range_used_locked(vm, vma->end, old + new_len)) {
		vma->end = old + new_len;
		ret = old;
	} else if (!may_move) {
		ret = -ENOMEM;
	} else {
		uint64_t to = vm_find_free_locked(vm, new_len);

		ret = to ? mremap_move_locked(vm, vma, old, old_len, to, new_len, &freed) : -ENOMEM;
		ret = ret ? ret : (long)to;
	}
	spin_unlock_irqrestore(&vm->lock, irq);
	vma_free_list(&freed);
	return ret;
}

/* vm_futex_phys's answer when the word's page is present; vm->lock held. 1 with
 * *phys set for a shared mapping, 0 for a private one, 2 when the page must be
 * faulted in first, -EFAULT when nothing is mapped at uaddr. */
static int futex_phys_locked(struct vm_space *vm, uint64_t uaddr, uint64_t *phys)
{
	struct vma *vma = vma_find_locked(vm, uaddr);
	uint64_t *pte;

	if (!vma || vma->start > uaddr)
		return -EFAULT;
	pte = pgtable_walk(vm->pml4_phys, uaddr, false);
	if (!pte || !(*pte & PTE_P))
		return 2;
	if (!(vma->flags & VM_SHARED))
		return 0;
	*phys = (*pte & PTE_ADDR) | (uaddr & (PAGE_SIZE - 1));
	return 1;
}

/* See mm.h: the page is faulted in for reading first, as Linux's get_futex_key
 * does. Takes vm->lock. */
int vm_futex_phys(struct vm_space *vm, uint64_t uaddr, uint64_t *phys)
{
	for (;;) {
		uint64_t irq = spin_lock_irqsave(&vm->lock);
		int ret = futex_phys_locked(vm, uaddr, phys);

		spin_unlock_irqrestore(&vm->lock, irq);
		if (ret != 2)
			return ret;
		if (vm_fault(vm, uaddr, false, false, false))
			return -EFAULT;
	}
}
