/*
 * mem.c — the memory syscalls: brk, mmap, munmap, mprotect, madvise, mremap, msync,
 * mincore. They check the arguments with Linux's errnos and call kernel/mm.
 */
#include <asm/mman.h>
#include <linux/mman.h>
#include "fs/vfs.h"
#include "mm/mm.h"
#include "proc/proc.h"

#include <asm-generic/fcntl.h>

#define MMAP_KNOWN_FLAGS (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | \
	MAP_32BIT | MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | \
	MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | \
	MAP_SYNC | MAP_FIXED_NOREPLACE | MAP_UNINITIALIZED)

static struct vm_space *current_vm(void)
{
	return task_vm(current);
}

/* brk(2): the new end of the heap, or the old one when the request fails. */
long sys_brk(unsigned long addr)
{
	return vm_brk(current_vm(), addr);
}

/* Checks a file's open mode against the mapping; 0 or -EACCES. */
static int mmap_check_file(struct file *file, unsigned long prot, unsigned long type)
{
	unsigned acc = file->flags & O_ACCMODE;

	if (acc == O_WRONLY)
		return -EACCES;
	if (type != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
		return -EACCES;
	return 0;
}

/* Faults every page of a new mapping in (MAP_POPULATE); failures are ignored. */
static void mmap_populate(struct vm_space *vm, uint64_t addr, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (vm_fault(vm, addr + off, false, false, false))
			break;
}

static uint32_t mmap_flags_to_vm(struct file *file, unsigned long prot, unsigned long flags,
			     unsigned long type)
{
	uint32_t vmf = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);

	if (type != MAP_PRIVATE)
		vmf |= VM_SHARED;
	if (file && type != MAP_PRIVATE && (file->flags & O_ACCMODE) != O_RDWR)
		vmf |= VM_NOMAYWRITE;
	if (flags & MAP_GROWSDOWN)
		vmf |= VM_GROWSDOWN;
	return vmf;
}

/* Replaces *file (NULL for MAP_ANONYMOUS, else /dev/zero, whose reference is
 * dropped) by a new shmem file of len bytes, as Linux's shmem_zero_setup: every
 * process inheriting the mapping shares its pages, whenever they are first touched.
 * Anonymous memory ignores the offset; /dev/zero keeps it (pages at offsets past
 * len then raise SIGBUS, as on Linux). 0 or -ENOMEM. */
static int mmap_shared_anon(struct file **file, uint64_t len, unsigned long *off)
{
	struct file *shm = shmem_zero_file_create(len);

	if (IS_ERR(shm))
		return PTR_ERR(shm);
	if (*file)
		file_put(*file);
	else
		*off = 0;
	*file = shm;
	return 0;
}

/*
 * mmap(2). Anonymous private memory, shared anonymous memory (a shmem file), and
 * file mappings. A shared mapping
 * of a file that shares its pages (tmpfs: /dev/shm, memfd; device buffers) maps the
 * file's own pages; of other files it is for now a private copy kept shared across
 * fork (writes do not reach the file).
 */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off)
{
	unsigned long type = flags & MAP_TYPE;
	struct file *file = NULL;
	uint32_t vmf;
	long ret;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fd_get_file((int)fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
	}
	ret = -EINVAL;
	if (!len || (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE))
		goto out;
	ret = -EOPNOTSUPP;
	if (type == MAP_SHARED_VALIDATE && (flags & ~MMAP_KNOWN_FLAGS))
		goto out;
	ret = -ENOMEM;
	if (len > USER_SPACE_END || ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE + off / PAGE_SIZE <
	    off / PAGE_SIZE)
		goto out;
	if (file && (ret = mmap_check_file(file, prot, type)))
		goto out;
	vmf = mmap_flags_to_vm(file, prot, flags, type);
	if (type != MAP_PRIVATE && (!file || (file->ops && file->ops->mmap_shared_anon))) {
		ret = -EINVAL;
		if (!file && (flags & MAP_GROWSDOWN))
			goto out;
		ret = mmap_shared_anon(&file, ALIGN_UP(len, PAGE_SIZE), &off);
		if (ret)
			goto out;
	}
	if (file && file->ops && file->ops->mmap &&
	    (ret = file->ops->mmap(file, off, ALIGN_UP(len, PAGE_SIZE), &vmf)))
		goto out;
	ret = vm_map(current_vm(), addr, len, vmf, flags & MAP_FIXED,
		     flags & MAP_FIXED_NOREPLACE, file, file ? off : 0);
	if (ret >= 0 && (flags & MAP_POPULATE))
		mmap_populate(current_vm(), ret, ALIGN_UP(len, PAGE_SIZE));
out:
	if (file)
		file_put(file);
	return ret;
}

/* munmap(2): EINVAL for an unaligned addr or len 0; unmapped holes are fine. */
long sys_munmap(unsigned long addr, unsigned long len)
{
	return vm_unmap(current_vm(), addr, len);
}

/* mprotect(2): EINVAL for unknown bits, ENOMEM when part of the range is unmapped. */
long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	return vm_protect(current_vm(), addr, len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

static bool madvise_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK:
	case MADV_DOFORK: case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP: case MADV_WIPEONFORK:
	case MADV_KEEPONFORK: case MADV_COLD: case MADV_PAGEOUT: case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE: case MADV_DONTNEED_LOCKED:
		return true;
	default:
		return false;
	}
}

/* madvise(2): DONTNEED/FREE drop private pages; other known advice only checks. */
long sys_madvise(unsigned long addr, unsigned long len, int advice)
{
	uint64_t end;

	if (!madvise_known(advice) || (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (end < addr)
		return -EINVAL;
	if (end == addr)
		return 0;
	if (advice == MADV_DONTNEED || advice == MADV_DONTNEED_LOCKED || advice == MADV_FREE)
		return vm_advise_dontneed(current_vm(), addr, end);
	return vm_check_mapped(current_vm(), addr, end);
}

/* mremap(2): shrink, grow in place, or move with MREMAP_MAYMOVE / MREMAP_FIXED. */
long sys_mremap(unsigned long old, unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr)
{
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) || (old & (PAGE_SIZE - 1)))
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len || !old_len)
		return -EINVAL;
	if (flags & MREMAP_FIXED) {
		if ((new_addr & (PAGE_SIZE - 1)) || new_addr > USER_SPACE_END - new_len)
			return -EINVAL;
		return vm_mremap(current_vm(), old, old_len, new_len, true, new_addr);
	}
	return vm_mremap(current_vm(), old, old_len, new_len, flags & MREMAP_MAYMOVE, 0);
}

/*
 * msync(2): shared mappings write into the file's cached pages directly; MS_SYNC
 * writes those of the range back (files with an fsync: ext2), MS_ASYNC leaves them
 * to later write-back. Checks the arguments as Linux: EINVAL for bad flags or an
 * unaligned address, ENOMEM for a wrapping or partly unmapped range.
 */
long sys_msync(unsigned long addr, unsigned long len, int flags)
{
	uint64_t end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((addr & (PAGE_SIZE - 1)) || ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	end = addr + ((len + PAGE_SIZE - 1) & PAGE_MASK);
	if (end < addr)
		return -ENOMEM;
	if (end == addr)
		return 0;
	if (flags & MS_SYNC)
		return vm_msync(current_vm(), addr, end);
	return vm_check_mapped(current_vm(), addr, end);
}

/* mincore(2): one byte per page, 1 when the page is resident (mapped here or in the
 * mapped file's cache). */
long sys_mincore(unsigned long addr, unsigned long len, unsigned char __user *vec)
{
	uint8_t buf[256];
	size_t pages;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > USER_SPACE_END - MIN(addr, USER_SPACE_END))
		return -ENOMEM;
	pages = DIV_ROUND_UP(len, PAGE_SIZE);
	if (!access_ok(vec, pages))
		return -EFAULT;
	for (size_t done = 0; done < pages;) {
		size_t n = MIN(pages - done, sizeof(buf));
		int err = vm_mincore(current_vm(), addr + done * PAGE_SIZE, n, buf);

		if (!err)
			err = copy_to_user(vec + done, buf, n);
		if (err)
			return err;
		done += n;
	}
	return 0;
}
