/*
 * filemap.c — file pages mapped into many address spaces: the list of every space,
 * so that a file system shrinking a file can unmap the pages beyond its new end
 * from every mapping (ftruncate on a shared memory file), as Linux's i_mmap does.
 *
 * vm_list_lock (a spinlock, interrupts off) protects vm_list and orders before each
 * vm->lock. vm_file_zap_seq counts unmap passes; a fault that asked a file for a
 * page re-checks it under vm->lock before installing (see fault.c).
 */
#include "fs/vfs.h"
#include "mm/mm_internal.h"

static spinlock_t vm_list_lock = SPINLOCK_INIT("vm_list");
static LIST_HEAD(vm_list);
uint64_t vm_file_zap_seq;

/* Adds a new space to the list of every space. Takes vm_list_lock. */
void vm_list_add(struct vm_space *vm)
{
	uint64_t irq = spin_lock_irqsave(&vm_list_lock);

	list_add_tail(&vm->all, &vm_list);
	spin_unlock_irqrestore(&vm_list_lock, irq);
}

/* Removes a space at its teardown, before its pages go. Takes vm_list_lock. */
void vm_list_del(struct vm_space *vm)
{
	uint64_t irq = spin_lock_irqsave(&vm_list_lock);

	list_del(&vm->all);
	spin_unlock_irqrestore(&vm_list_lock, irq);
}

struct file_zap {
	struct vm_space *vm;
	struct vma *vma;
	bool (*lent)(void *ctx, uint64_t index, uint64_t phys);
	void *ctx;
};

static void file_zap_page(uint64_t va, uint64_t *pte, void *arg)
{
	struct file_zap *z = arg;
	uint64_t phys = *pte & PTE_ADDR;
	uint64_t index = (z->vma->file_offset + (va - z->vma->start)) / PAGE_SIZE;

	if (!(z->vma->flags & VM_SHARED) && !z->lent(z->ctx, index, phys))
		return;
	*pte = 0;
	z->vm->rss_pages--;
	vm_tlb_flush_page(z->vm, va);
	page_put(phys);
}

/* Unmaps the file pages at offset and beyond from the mappings of inode in vm. */
static void file_zap_space_locked(struct file_zap *z, struct inode *inode, uint64_t offset)
{
	struct vma *vma;

	list_for_each_entry(vma, &z->vm->vmas, link) {
		uint64_t start = vma->start;

		if (!vma->file || vma->file->inode != inode)
			continue;
		if (offset > vma->file_offset) {
			if (offset - vma->file_offset >= vma->end - vma->start)
				continue;
			start += offset - vma->file_offset;
		}
		z->vma = vma;
		pgtable_for_each(z->vm->pml4_phys, start, vma->end, file_zap_page, z);
	}
}

/* See mm.h. */
void vm_unmap_file_pages(struct inode *inode, uint64_t offset,
			 bool (*lent)(void *ctx, uint64_t index, uint64_t phys), void *ctx)
{
	struct file_zap z = { .lent = lent, .ctx = ctx };
	uint64_t irq = spin_lock_irqsave(&vm_list_lock);

	__atomic_add_fetch(&vm_file_zap_seq, 1, __ATOMIC_ACQ_REL);
	list_for_each_entry(z.vm, &vm_list, all) {
		spin_lock(&z.vm->lock);
		file_zap_space_locked(&z, inode, ALIGN_UP(offset, PAGE_SIZE));
		spin_unlock(&z.vm->lock);
	}
	spin_unlock_irqrestore(&vm_list_lock, irq);
}
