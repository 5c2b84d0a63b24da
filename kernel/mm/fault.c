/*
 * fault.c — resolving page faults in a user address space: demand-zero pages,
 * pages read from the mapped file (or the file's own page, for shared mappings),
 * copy-on-write after fork, and stack growth. The same path fills another
 * process's space for exec (vm_write).
 */
#include "arch/x86_64/arch.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm_internal.h"
#include "proc/proc.h"

/* What a fault needs once the VMA is known; copied out so vm->lock can be dropped. */
struct fault {
	uint64_t va;		/* page address */
	bool write, exec, force;
	bool strict;		/* kernel-mode protection fault: a writable page means SMAP */
	uint32_t flags;		/* the VMA's */
	struct file *file;	/* counted while the page is read */
	uint64_t offset;
	bool lent;		/* the page is the file's own: mapped read-only */
	uint64_t zap_seq;	/* vm_file_zap_seq when the file was asked */
};

/* Finds the VMA for va, growing a VM_GROWSDOWN one downwards when va lies just below. */
static struct vma *fault_vma_locked(struct vm_space *vm, uint64_t va)
{
	struct vma *vma = vma_find_locked(vm, va), *prev;

	if (!vma)
		return NULL;
	if (vma->start <= va)
		return vma;
	if (!(vma->flags & VM_GROWSDOWN) || vma->start - va > STACK_GROW_MAX)
		return NULL;
	prev = list_entry(vma->link.prev, struct vma, link);
	if (&prev->link != &vm->vmas && prev->end > va)
		return NULL;
	vma->start = va;
	return vma;
}

static bool fault_allowed(const struct fault *f)
{
	if (f->force)
		return true;
	if (f->write)
		return f->flags & VM_WRITE;
	if (f->exec)
		return f->flags & VM_EXEC;
	return f->flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/* A write to a present read-only page of a writable private (or shared) VMA. */
static int fault_cow_locked(struct vm_space *vm, struct fault *f, uint64_t *pte)
{
	uint64_t old = *pte & PTE_ADDR, copy;
	bool shared = f->flags & VM_SHARED;

	if (shared || page_refcount(old) == 1) {
		*pte = old | vma_pte_flags(f->flags, true);
		return 0;
	}
	copy = page_alloc();
	if (!copy)
		return -ENOMEM;
	memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
	*pte = copy | vma_pte_flags(f->flags, true);
	page_put(old);
	return 0;
}

/* Installs `page` (a fresh page for f->va) unless another CPU got there first. */
static int fault_install_locked(struct vm_space *vm, struct fault *f, uint64_t page)
{
	uint64_t *pte = pgtable_walk(vm->pml4_phys, f->va, true);

	if (!pte) {
		page_put(page);
		return -ENOMEM;
	}
	if (*pte & (PTE_P | PTE_PROTNONE)) {
		page_put(page);
		return 0;
	}
	*pte = page | vma_pte_flags(f->flags, !f->lent);
	vm->rss_pages++;
	return 0;
}

/* The fault's error for a file's answer: out of memory kills, the rest is SIGBUS. */
static int fault_file_error(int err)
{
	return err == -ENOMEM ? -ENOMEM : -EIO;
}

/* A private mapping's page from a file that lends its pages: the file's own page for
 * a read (shared read-only, copied on the first write like after fork, the same
 * physical page for every process mapping the program), a copy of it for a write.
 * Returns 0 with *page set, 1 when the caller must read a copy, or -errno. */
static int fault_private_page(struct fault *f, uint64_t *page)
{
	uint64_t own, copy;
	int err = f->file->ops->get_page(f->file, f->offset, &own);

	if (err)
		return fault_file_error(err);
	if (!own)
		return 1;
	if (!f->write) {
		f->lent = true;
		*page = own;
		return 0;
	}
	copy = page_alloc_uninit();
	if (copy)
		memcpy(phys_to_virt(copy), phys_to_virt(own), PAGE_SIZE);
	page_put(own);
	*page = copy;
	return copy ? 0 : -ENOMEM;
}

/* Gets the page for the file fault f into *page, without any lock held: the
 * device's or the file's own page for shared mappings of files that share them,
 * else a private copy read from the file (zero past its end). 0 or -errno. */
static int fault_read_file(struct fault *f, uint64_t *page)
{
	const struct file_operations *ops = f->file->ops;
	char *data;
	ssize_t n;
	int err;

	f->zap_seq = __atomic_load_n(&vm_file_zap_seq, __ATOMIC_ACQUIRE);
	if (ops && ops->fault_page)
		return (err = ops->fault_page(f->file, f->offset, page)) ? fault_file_error(err) : 0;
	if ((f->flags & VM_SHARED) && ops && ops->share_page)
		return (err = ops->share_page(f->file, f->offset, page)) ? fault_file_error(err) : 0;
	if (!(f->flags & VM_SHARED) && ops && ops->get_page) {
		err = fault_private_page(f, page);
		if (err <= 0)
			return err;
	}
	*page = page_alloc_uninit();
	if (!*page)
		return -ENOMEM;
	data = phys_to_virt(*page);
	n = kernel_read(f->file, data, PAGE_SIZE, f->offset);
	if (n < 0) {
		page_put(*page);
		return fault_file_error(n);
	}
	if (n < (ssize_t)PAGE_SIZE)
		memset(data + n, 0, PAGE_SIZE - n);
	return 0;
}

/*
 * Installs a page read from the file, if the VMA still maps that file page and no
 * truncation unmapped file pages meanwhile (the page might lie beyond the new end);
 * otherwise the page is dropped and the access simply faults again.
 */
static int fault_finish_file_locked(struct vm_space *vm, struct fault *f, uint64_t page)
{
	struct vma *vma = vma_find_locked(vm, f->va);

	if (!vma || vma->start > f->va || vma->file != f->file ||
	    vma->file_offset + (f->va - vma->start) != f->offset ||
	    __atomic_load_n(&vm_file_zap_seq, __ATOMIC_ACQUIRE) != f->zap_seq) {
		page_put(page);
		return 0;
	}
	f->flags = vma->flags;
	return fault_install_locked(vm, f, page);
}

/* Looks the fault up under the lock; returns 1 when a file page must be read first. */
static int fault_begin_locked(struct vm_space *vm, struct fault *f, uint64_t **ptep)
{
	struct vma *vma = fault_vma_locked(vm, f->va);
	uint64_t *pte;

	if (!vma)
		return -EFAULT;
	f->flags = vma->flags;
	if (!fault_allowed(f))
		return -EACCES;
	pte = pgtable_walk(vm->pml4_phys, f->va, true);
	if (!pte)
		return -ENOMEM;
	*ptep = pte;
	if (*pte & PTE_P) {
		if (!f->write || (*pte & PTE_W))
			return f->strict ? -EFAULT : 0;	/* else resolved by another thread */
		if (f->force && page_refcount(*pte & PTE_ADDR) == 1)
			return 0;	/* exclusively ours: written through the direct map */
		return fault_cow_locked(vm, f, pte);
	}
	if (*pte & PTE_PROTNONE)
		return f->force ? 0 : -EACCES;
	if (!vma->file) {
		uint64_t page = page_alloc();

		return page ? fault_install_locked(vm, f, page) : -ENOMEM;
	}
	f->file = vma->file;
	f->offset = vma->file_offset + (f->va - vma->start);
	file_get(f->file);
	return 1;
}

/* Resolves the fault f at va; takes vm->lock, dropping it while a file page is read. */
static int fault_run(struct vm_space *vm, struct fault *f, uint64_t va)
{
	uint64_t *pte, page, irq;
	int ret;

	if (va >= USER_SPACE_END)
		return -EFAULT;
	irq = spin_lock_irqsave(&vm->lock);
	ret = fault_begin_locked(vm, f, &pte);
	if (ret == 0)
		vm_tlb_flush_page(vm, f->va);
	spin_unlock_irqrestore(&vm->lock, irq);
	if (ret != 1)
		return ret;
	ret = fault_read_file(f, &page);
	if (!ret) {
		irq = spin_lock_irqsave(&vm->lock);
		ret = fault_finish_file_locked(vm, f, page);
		spin_unlock_irqrestore(&vm->lock, irq);
	}
	file_put(f->file);
	return ret;
}

/*
 * Resolves a fault at va in vm: returns 0 when the page is now present (and
 * writable if write), -EFAULT where nothing is mapped, -EACCES for an access the
 * VMA does not allow, -EIO beyond the end of a mapped file, -ENOMEM. With force, protections are ignored (exec writing
 * into read-only segments). Takes vm->lock.
 */
int vm_fault(struct vm_space *vm, uint64_t va, bool write, bool exec, bool force)
{
	struct fault f = { .va = ALIGN_DOWN(va, PAGE_SIZE), .write = write, .exec = exec,
			   .force = force };

	return fault_run(vm, &f, va);
}

/*
 * The #PF entry (see mm.h). Only write-protection faults on present pages can be
 * resolved (copy-on-write); other protection faults are -EACCES, a reserved bit or
 * a kernel-mode fetch from user memory (SMEP) -EFAULT. Runs with interrupts in
 * whatever state the trap left them; takes the current space's lock.
 */
int mm_handle_page_fault(uint64_t addr, uint64_t error_code)
{
	struct fault f = { 0 };
	struct vm_space *vm;

	if (addr >= USER_SPACE_END || (error_code & PF_RSVD))
		return -EFAULT;
	if ((error_code & PF_INSN) && !(error_code & PF_USER))
		return -EFAULT;
	if ((error_code & PF_PRESENT) && !(error_code & PF_WRITE))
		return -EACCES;
	if (!current || !(vm = task_vm(current)))
		return -EFAULT;
	f.va = ALIGN_DOWN(addr, PAGE_SIZE);
	f.write = error_code & PF_WRITE;
	f.exec = error_code & PF_INSN;
	f.strict = !(error_code & PF_USER) && (error_code & PF_PRESENT);
	return fault_run(vm, &f, addr);
}

/* Returns the direct-map address of va's page in vm, faulted in for writing (private
 * to vm); NULL on failure. Called with vm->lock held after vm_fault succeeded. */
static void *vm_write_target_locked(struct vm_space *vm, uint64_t va)
{
	uint64_t *pte = pgtable_walk(vm->pml4_phys, va, false);

	if (!pte || !(*pte & (PTE_P | PTE_PROTNONE)))
		return NULL;
	if (!(*pte & PTE_W) && page_refcount(*pte & PTE_ADDR) != 1)
		return NULL;
	return (char *)phys_to_virt(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1));
}

/*
 * Copies len bytes of kernel memory to addr in vm (not necessarily the active
 * space), faulting pages in and ignoring protections, as exec needs for loading.
 * Returns 0, -EFAULT when the range is not mapped, or -ENOMEM. Takes vm->lock.
 */
int vm_write(struct vm_space *vm, uint64_t addr, const void *src, size_t len)
{
	const char *from = src;

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (addr & (PAGE_SIZE - 1)));
		uint64_t irq;
		void *to;
		int err = vm_fault(vm, addr, true, false, true);

		if (err)
			return err;
		irq = spin_lock_irqsave(&vm->lock);
		to = vm_write_target_locked(vm, addr);
		if (to)
			memcpy(to, from, chunk);
		spin_unlock_irqrestore(&vm->lock, irq);
		if (!to)
			continue;	/* the page changed under us: fault it in again */
		addr += chunk;
		from += chunk;
		len -= chunk;
	}
	return 0;
}

/* The direct-map address of va's page in vm; NULL when not present. Called with
 * vm->lock held after vm_fault succeeded. */
static const void *vm_read_source_locked(struct vm_space *vm, uint64_t va)
{
	uint64_t *pte = pgtable_walk(vm->pml4_phys, va, false);

	if (!pte || !(*pte & (PTE_P | PTE_PROTNONE)))
		return NULL;
	return (const char *)phys_to_virt(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1));
}

/*
 * Copies len bytes at addr in vm (any space, e.g. another process's for
 * /proc/PID/cmdline) to kernel memory, faulting pages in for reading and ignoring
 * protections. Returns 0, -EFAULT when the range is not mapped, or -ENOMEM. Takes
 * vm->lock.
 */
int vm_read(struct vm_space *vm, uint64_t addr, void *dst, size_t len)
{
	char *to = dst;

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (addr & (PAGE_SIZE - 1)));
		const void *from;
		uint64_t irq;
		int err = vm_fault(vm, addr, false, false, true);

		if (err)
			return err;
		irq = spin_lock_irqsave(&vm->lock);
		from = vm_read_source_locked(vm, addr);
		if (from)
			memcpy(to, from, chunk);
		spin_unlock_irqrestore(&vm->lock, irq);
		if (!from)
			continue;	/* the page went away under us: fault it in again */
		addr += chunk;
		to += chunk;
		len -= chunk;
	}
	return 0;
}
