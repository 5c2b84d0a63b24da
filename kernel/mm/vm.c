/*
 * vm.c — user address spaces: creation with the shared kernel half, fork's
 * copy-on-write clone, activation, teardown and /proc/PID/maps.
 */
#include "arch/x86_64/arch.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm_internal.h"

/* A new space with only the kernel half mapped; NULL when out of memory. Takes
 * vm_list_lock. */
struct vm_space *vm_space_create(void)
{
	struct vm_space *vm = kzalloc(sizeof(*vm));
	uint64_t *pml4, *kpml4 = phys_to_virt(kernel_pml4_phys);

	if (!vm)
		return NULL;
	vm->pml4_phys = page_alloc();
	if (!vm->pml4_phys) {
		kfree(vm);
		return NULL;
	}
	pml4 = phys_to_virt(vm->pml4_phys);
	for (int i = 256; i < 512; i++)
		pml4[i] = kpml4[i];
	list_init(&vm->vmas);
	spin_init(&vm->lock, "vm");
	vm->refcount = 1;
	vm->mmap_base = USER_MMAP_TOP;
	vm_list_add(vm);
	return vm;
}

/* Adds a reference (a thread or a user of the space). */
void vm_space_get(struct vm_space *vm)
{
	__atomic_add_fetch(&vm->refcount, 1, __ATOMIC_RELAXED);
}

/*
 * Drops a reference; the last one frees the VMAs, pages and page tables. A CPU still
 * running on these tables is switched to the kernel's first.
 */
void vm_space_put(struct vm_space *vm)
{
	struct vma *vma, *tmp;

	if (!vm || __atomic_sub_fetch(&vm->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	vm_list_del(vm);
	if (read_cr3() == vm->pml4_phys)
		vm_space_activate_kernel();
	list_for_each_entry_safe(vma, tmp, &vm->vmas, link) {
		list_del(&vma->link);
		vma_free(vma);
	}
	pgtable_free_user(vm->pml4_phys);
	kfree(vm);
}

/* Loads the space's page tables on this CPU. */
void vm_space_activate(struct vm_space *vm)
{
	if (read_cr3() != vm->pml4_phys)
		write_cr3(vm->pml4_phys);
}

/* Loads the kernel-only page tables on this CPU. */
void vm_space_activate_kernel(void)
{
	if (read_cr3() != kernel_pml4_phys)
		write_cr3(kernel_pml4_phys);
}

struct clone_ctx {
	struct vm_space *dst;
	bool shared;
	int err;
};

/* Shares one page with the child; private pages become read-only on both sides. */
static void clone_page(uint64_t va, uint64_t *pte, void *arg)
{
	struct clone_ctx *c = arg;
	uint64_t *dpte;

	if (c->err)
		return;
	dpte = pgtable_walk(c->dst->pml4_phys, va, true);
	if (!dpte) {
		c->err = -ENOMEM;
		return;
	}
	if (!c->shared)
		*pte &= ~PTE_W;
	page_get(*pte & PTE_ADDR);
	*dpte = *pte;
	c->dst->rss_pages++;
}

static struct vma *vma_copy(const struct vma *src)
{
	struct vma *v = kmalloc(sizeof(*v));

	if (!v)
		return NULL;
	*v = *src;
	vma_get_file(v);
	return v;
}

static int vm_clone_locked(struct vm_space *dst, struct vm_space *src)
{
	struct vma *vma;

	list_for_each_entry(vma, &src->vmas, link) {
		struct clone_ctx c = { dst, vma->flags & VM_SHARED, 0 };
		struct vma *copy = vma_copy(vma);

		if (!copy)
			return -ENOMEM;
		list_add_tail(&copy->link, &dst->vmas);
		pgtable_for_each(src->pml4_phys, vma->start, vma->end, clone_page, &c);
		if (c.err)
			return c.err;
	}
	return 0;
}

/*
 * fork: a copy of src whose private pages are shared copy-on-write (read-only in
 * both until written) and whose shared mappings stay shared. Returns the new space
 * or ERR_PTR(-ENOMEM). Takes src->lock, then the new space's (file truncation may
 * already be looking at it).
 */
struct vm_space *vm_space_clone(struct vm_space *src)
{
	struct vm_space *dst = vm_space_create();
	uint64_t flags;
	int err;

	if (!dst)
		return ERR_PTR(-ENOMEM);
	flags = spin_lock_irqsave(&src->lock);
	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	dst->mmap_base = src->mmap_base;
	dst->stack_start = src->stack_start;
	dst->arg_start = src->arg_start;
	dst->arg_end = src->arg_end;
	dst->env_start = src->env_start;
	dst->env_end = src->env_end;
	spin_lock(&dst->lock);
	err = vm_clone_locked(dst, src);
	spin_unlock(&dst->lock);
	if (read_cr3() == src->pml4_phys)
		write_cr3(src->pml4_phys);	/* the parent's pages just became read-only */
	spin_unlock_irqrestore(&src->lock, flags);
	if (err) {
		vm_space_put(dst);
		return ERR_PTR(err);
	}
	return dst;
}

/* What one maps line needs, copied out so the text is built without vm->lock. */
struct maps_entry {
	struct vma vma;		/* holds a file reference while copied */
	bool heap;
};

static size_t maps_line(const struct maps_entry *e, char *buf, size_t size, char *path,
			size_t path_size)
{
	const struct vma *vma = &e->vma;
	const char *name = "";
	uint64_t ino = 0;
	dev_t dev = 0;
	size_t n;

	if (vma->file) {
		file_get_ids(vma->file, &dev, &ino);
		if (file_get_path(vma->file, path, path_size) < 0)
			path[0] = 0;
		name = path;
	} else if (e->heap) {
		name = "[heap]";
	} else if (vma->flags & VM_STACK) {
		name = "[stack]";
	}
	n = ksnprintf(buf, size, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
		      (unsigned long)vma->start, (unsigned long)vma->end,
		      vma->flags & VM_READ ? 'r' : '-', vma->flags & VM_WRITE ? 'w' : '-',
		      vma->flags & VM_EXEC ? 'x' : '-', vma->flags & VM_SHARED ? 's' : 'p',
		      (unsigned long)(vma->file ? vma->file_offset : 0), MAJOR(dev), MINOR(dev),
		      (unsigned long)ino);
	if (*name || vma->file)	/* Linux pads to 72 columns, then one space */
		n += ksnprintf(buf + MIN(n, size), size - MIN(n, size), "%*s%s",
			       n < 72 ? (int)(73 - n) : 1, "", name);
	n += ksnprintf(buf + MIN(n, size), size - MIN(n, size), "\n");
	return n;
}

/* Copies the VMAs (with file references) into a new array; *count gets its length.
 * kmalloc only takes spinlocks, so it may run under vm->lock. */
static struct maps_entry *maps_snapshot(struct vm_space *vm, size_t *count)
{
	uint64_t flags = spin_lock_irqsave(&vm->lock);
	struct maps_entry *arr;
	struct vma *vma;
	size_t n = 0;

	list_for_each_entry(vma, &vm->vmas, link)
		n++;
	arr = kmalloc(sizeof(*arr) * (n + 1));
	n = 0;
	if (arr) {
		list_for_each_entry(vma, &vm->vmas, link) {
			arr[n].vma = *vma;
			arr[n].heap = !vma->file && vma->start <= vm->brk &&
				      vma->end >= vm->brk_start && vm->brk > vm->brk_start;
			if (vma->file)
				file_get(vma->file);
			n++;
		}
	}
	spin_unlock_irqrestore(&vm->lock, flags);
	*count = n;
	return arr;
}

/*
 * Writes the space's /proc/PID/maps text into buf (truncated to size, NUL
 * terminated when size > 0) and returns the full length. Takes vm->lock for a
 * snapshot; buf must be kernel memory.
 */
size_t vm_format_maps(struct vm_space *vm, char *buf, size_t size)
{
	char *path = kmalloc(PAGE_SIZE);
	struct maps_entry *arr;
	size_t count, len = 0;

	if (size)
		buf[0] = 0;
	if (!path)
		return 0;
	arr = maps_snapshot(vm, &count);
	for (size_t i = 0; arr && i < count; i++) {
		size_t off = MIN(len, size);

		len += maps_line(&arr[i], buf + off, size - off, path, PAGE_SIZE);
		if (arr[i].vma.file)
			file_put(arr[i].vma.file);
	}
	kfree(arr);
	kfree(path);
	return len;
}

struct usage_ctx {
	struct vm_usage *u;
	const struct vma *vma;
	bool shmem;		/* the VMA maps a tmpfs file */
};

/* Counts one resident page by kind (see struct vm_usage). */
static void usage_page(uint64_t va, uint64_t *pte, void *arg)
{
	struct usage_ctx *c = arg;

	if (!c->vma->file || (!(c->vma->flags & VM_SHARED) && (*pte & (PTE_W | PTE_D))))
		c->u->rss_anon++;
	else if (c->shmem)
		c->u->rss_shmem++;
	else
		c->u->rss_file++;
}

/* See mm.h: the page counts /proc shows, from one pass over the VMAs and their
 * page tables. */
void vm_get_usage(struct vm_space *vm, struct vm_usage *u)
{
	uint64_t flags = spin_lock_irqsave(&vm->lock);
	struct usage_ctx c = { .u = u };
	struct vma *v;

	memset(u, 0, sizeof(*u));
	list_for_each_entry(v, &vm->vmas, link) {
		size_t pages = (v->end - v->start) / PAGE_SIZE;

		c.vma = v;
		c.shmem = v->file && v->file->ops && v->file->ops->shmem;
		pgtable_for_each(vm->pml4_phys, v->start, v->end, usage_page, &c);

		u->total += pages;
		if (v->flags & (VM_STACK | VM_GROWSDOWN))
			u->stack += pages;
		else if ((v->flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			u->data += pages;
		else if ((v->flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			u->exec += pages;
	}
	u->rss = vm->rss_pages;
	spin_unlock_irqrestore(&vm->lock, flags);
}
