/*
 * mm.h — memory: physical pages, the kernel heap, user address spaces and their
 * areas (VMAs), page faults and the user-copy helpers.
 *
 * All physical memory is mapped at DIRECT_MAP_BASE, so the kernel reaches any page
 * by phys_to_virt(). The kernel image lives at KERNEL_VMA (-2 GiB).
 */
#ifndef LUMEN_MM_H
#define LUMEN_MM_H

#include "lib/lib.h"
#include "lib/spinlock.h"

#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define DIRECT_MAP_BASE 0xffff800000000000UL
#define USER_SPACE_END 0x0000800000000000UL	/* first non-canonical address */
#define USER_MMAP_TOP 0x00007f0000000000UL	/* mmap hands out addresses below this */

static inline void *phys_to_virt(uint64_t phys) { return (void *)(phys + DIRECT_MAP_BASE); }
/* Works for direct-map and kernel-image addresses. */
uint64_t virt_to_phys(const void *virt);

/* ---- physical pages (kernel/mm/page.c) ---- */
/* Returns a zeroed page's physical address with a reference count of 1, or 0. */
uint64_t page_alloc(void);
/* Returns n physically contiguous zeroed pages (for DMA), or 0. */
uint64_t pages_alloc_contiguous(size_t n);
void pages_free_contiguous(uint64_t phys, size_t n);
/* Reference counting of single pages: shared mappings and copy-on-write. */
void page_get(uint64_t phys);
void page_put(uint64_t phys);	/* frees the page when the count drops to 0 */
int page_refcount(uint64_t phys);
/* Counters for /proc/meminfo, in pages. */
size_t pages_total(void);
size_t pages_free(void);

/* ---- kernel heap (kernel/mm/heap.c): any size, 16-byte aligned ---- */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *ptr);

/* ---- setup ---- */
/* Takes over physical memory from boot_info, builds the kernel's page tables
 * (direct map, kernel image with NX and read-only text) and sets up kmalloc.
 * SMEP/SMAP are arch_init's (it runs first). */
void mm_init(void);
/* Maps `size` bytes of device memory (uncached) and returns its kernel address. */
void *ioremap(uint64_t phys, size_t size);

/* ---- user address spaces (kernel/mm/vm.c) ---- */
#define VM_READ 0x1	/* same values as PROT_READ/WRITE/EXEC */
#define VM_WRITE 0x2
#define VM_EXEC 0x4
#define VM_SHARED 0x8
#define VM_GROWSDOWN 0x10
#define VM_STACK 0x20
#define VM_NOMAYWRITE 0x40	/* shared mapping of a file not open for writing:
				   mprotect may not add VM_WRITE (Linux's !VM_MAYWRITE) */

struct file;

/* One mapped range. Owned by its vm_space, under the space's lock. */
struct vma {
	uint64_t start, end;	/* [start, end), page aligned */
	uint32_t flags;		/* VM_* */
	struct file *file;	/* NULL for anonymous memory; holds a reference */
	uint64_t file_offset;	/* byte offset of `start` in the file */
	struct list_head link;	/* in vm_space.vmas, sorted by start */
};

/*
 * A user address space: page tables plus the VMAs describing them. Shared by the
 * threads of a process (refcount); `lock` protects vmas, brk and the page tables.
 */
struct vm_space {
	uint64_t pml4_phys;
	struct list_head vmas;
	spinlock_t lock;
	int refcount;
	uint64_t brk_start, brk;	/* heap set up by exec */
	uint64_t mmap_base;		/* top of the mmap area, searched downwards */
	uint64_t stack_start;		/* top of the initial stack */
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t auxv_start, auxv_end;	/* the auxiliary vector exec wrote */
	size_t rss_pages;
	struct list_head all;	/* in the list of every space, under vm_list_lock */
};

/* A new space with only the kernel half mapped. NULL when out of memory. */
struct vm_space *vm_space_create(void);
/* fork: a copy whose private pages are shared copy-on-write. ERR_PTR on failure. */
struct vm_space *vm_space_clone(struct vm_space *src);
void vm_space_get(struct vm_space *vm);
void vm_space_put(struct vm_space *vm);	/* tears the space down at the last put */
/* Loads the space's page tables on this CPU. */
void vm_space_activate(struct vm_space *vm);
/* The kernel-only page tables, for kernel threads and after exit. */
void vm_space_activate_kernel(void);

/*
 * Maps [addr, addr+len) with VM_* flags. Without fixed, addr is a hint and a free
 * range is chosen; with fixed, what was there is unmapped first; with noreplace, an
 * overlap fails with -EEXIST. file/offset give the backing (NULL = zero-filled
 * anonymous memory). Returns the start address or a negative errno.
 */
long vm_map(struct vm_space *vm, uint64_t addr, size_t len, uint32_t flags,
	    bool fixed, bool noreplace, struct file *file, uint64_t offset);
int vm_unmap(struct vm_space *vm, uint64_t addr, size_t len);
int vm_protect(struct vm_space *vm, uint64_t addr, size_t len, uint32_t flags);
/* brk(2): moves the heap end; returns the new (or unchanged) end. */
uint64_t vm_brk(struct vm_space *vm, uint64_t new_brk);
/* Makes the page at va present in vm (not necessarily the active space), as a fault
 * would; force ignores protections. 0, -EFAULT, -EACCES, -EIO (SIGBUS) or -ENOMEM. */
int vm_fault(struct vm_space *vm, uint64_t va, bool write, bool exec, bool force);
/* Copies into another (not active) space, faulting pages in; for exec. */
int vm_write(struct vm_space *vm, uint64_t addr, const void *src, size_t len);
/* Copies out of any space (another process's too), faulting pages in for reading and
 * ignoring protections; 0, -EFAULT or -ENOMEM. */
int vm_read(struct vm_space *vm, uint64_t addr, void *dst, size_t len);
/* madvise(MADV_DONTNEED) on page-aligned [start, end): private pages are dropped. */
int vm_advise_dontneed(struct vm_space *vm, uint64_t start, uint64_t end);
/* 0 when [start, end) is fully mapped, else -ENOMEM. */
int vm_check_mapped(struct vm_space *vm, uint64_t start, uint64_t end);
/* msync(MS_SYNC) on page-aligned [start, end): file_operations.fsync on what shared
 * file mappings map there; 0, -ENOMEM for unmapped parts, or -errno. */
int vm_msync(struct vm_space *vm, uint64_t start, uint64_t end);
/* mincore(2) for n pages from start into a kernel vector; 0 or -ENOMEM. */
int vm_mincore(struct vm_space *vm, uint64_t start, size_t n, uint8_t *vec);
/* mremap(2) with page-aligned lengths; fixed_addr 0 when not MREMAP_FIXED. Returns
 * the new address or -errno. */
long vm_mremap(struct vm_space *vm, uint64_t old, uint64_t old_len, uint64_t new_len,
	       bool may_move, uint64_t fixed_addr);
/* For a non-private futex at uaddr: faults its page in for reading, then returns 1
 * with *phys the word's physical address when a shared mapping holds it (every
 * process mapping that memory sees the same page), 0 for a private mapping, or
 * -EFAULT when nothing readable is mapped there. Takes vm->lock. */
int vm_futex_phys(struct vm_space *vm, uint64_t uaddr, uint64_t *phys);
/* Page counts of a space for /proc/PID/status and statm, as Linux's mm counters. */
struct vm_usage {
	size_t total;		/* all mappings */
	size_t data;		/* private writable, not stack */
	size_t stack;		/* stack mappings */
	size_t exec;		/* executable, not writable */
	size_t rss;		/* resident */
	/* The resident pages by kind, as Linux's MM_ANONPAGES, MM_FILEPAGES and
	 * MM_SHMEMPAGES: shmem pages are tmpfs's (shared anonymous memory, memfd,
	 * /dev/shm); a page of a private file mapping counts as anonymous once written
	 * (its entry writable or dirty), else as the file's. */
	size_t rss_anon, rss_file, rss_shmem;
};
/* Fills u for vm; takes vm->lock. */
void vm_get_usage(struct vm_space *vm, struct vm_usage *u);

/*
 * Unmaps from every address space the pages of inode's mappings at file offsets
 * >= offset (page-aligned): every page of shared mappings and, in private ones,
 * the pages the file lent (lent(ctx, index, phys) true; private copies stay).
 * For truncation: the caller has already lowered the size, so a racing fault
 * either sees the new size or has its page unmapped here. Takes vm_list_lock
 * and each space's lock; lent is called under them and must not sleep.
 */
struct inode;
void vm_unmap_file_pages(struct inode *inode, uint64_t offset,
			 bool (*lent)(void *ctx, uint64_t index, uint64_t phys), void *ctx);
/*
 * ---- page cache (kernel/mm/pagecache.c) ----
 * A file's pages by file page index, each with a dirty mask whose bits the owning
 * file system defines (ext2: one bit per block of the page); PC_DIRTY_MAPPED marks
 * a page handed to a writable shared mapping, written back at every write-back
 * while somebody maps it. The owner embeds struct page_cache in its inode and holds
 * its own lock (the "owner lock", ext2: sb->mutex) around pagecache_get,
 * _writeback, _truncate and _destroy, which it also holds in readpage/writepage;
 * pc->lock (spinlock) protects the index for the lock-free lookups.
 */
#define PC_DIRTY_MAPPED 0x80000000u
struct page_cache;
struct page_cache_ops {
	/* Fills the page at index (zeros for holes and past the end); 0 or -errno. */
	int (*readpage)(struct page_cache *pc, uint64_t index, void *page);
	/* Fills the n pages from index (readahead: one request per run of disk
	 * blocks); 0 or -errno. */
	int (*readpages)(struct page_cache *pc, uint64_t index, unsigned n, void **pages);
	/* Writes the dirty parts `bits` of the page at index; 0 or -errno. */
	int (*writepage)(struct page_cache *pc, uint64_t index, void *page, uint32_t bits);
};
struct page_cache {
	spinlock_t lock;	/* root, height, nr_pages and the records */
	void *root;
	unsigned height;
	size_t nr_pages;
	const struct page_cache_ops *ops;
	struct list_head all;	/* in the shrinker's list of caches (pagecache.c) */
};
void pagecache_init(struct page_cache *pc, const struct page_cache_ops *ops);
/* A counted reference to the page at index, added when missing (read with readpage
 * when fill, else zeroed); 0 or -errno. Owner lock. */
int pagecache_get(struct page_cache *pc, uint64_t index, bool fill, uint64_t *phys);
/* Adds the missing pages from index on (at most count, up to the first cached one,
 * at most PC_READAHEAD_MAX) with readpages; 0 or -errno. Owner lock. */
#define PC_READAHEAD_MAX 32u
int pagecache_readahead(struct page_cache *pc, uint64_t index, unsigned count);
/* A counted reference to the cached page at index, or 0. pc->lock only. */
uint64_t pagecache_find(struct page_cache *pc, uint64_t index);
/* Whether phys is the cached page at index (a private mapping's lent page).
 * pc->lock only; never sleeps. */
bool pagecache_holds(struct page_cache *pc, uint64_t index, uint64_t phys);
/* Adds dirty bits to the cached page at index. pc->lock only. */
void pagecache_mark_dirty(struct page_cache *pc, uint64_t index, uint32_t bits);
/* Writes back the dirty pages with indexes in [first, last]; 0 or the first error
 * (those pages stay dirty). Owner lock. */
int pagecache_writeback(struct page_cache *pc, uint64_t first, uint64_t last);
/* Drops the pages at index >= first, dirty or not (mappings keep their own
 * references: unmap them first). Owner lock. */
void pagecache_truncate(struct page_cache *pc, uint64_t first);
/* Drops every page and the index. Owner lock. */
void pagecache_destroy(struct page_cache *pc);
/* Memory pressure: drops up to want clean pages that only their cache holds (not
 * mapped, not being read), walking the caches round-robin; returns how many. Never
 * sleeps and only try-locks, so the page allocator calls it when it runs out.
 * Dirty pages stay until write-back (sync, fsync, eviction of their inode). */
size_t pagecache_shrink(size_t want);

/* Fills buf with the text of /proc/PID/maps for this space; returns length. */
size_t vm_format_maps(struct vm_space *vm, char *buf, size_t size);

/*
 * Page-fault entry from the #PF handler: resolves demand-zero, file-backed and
 * copy-on-write faults in the current task's space. Returns 0 when resolved;
 * otherwise the caller raises SIGSEGV or uses a fix-up: -EFAULT when nothing is
 * mapped there (SEGV_MAPERR), -EACCES when a mapping forbids the access
 * (SEGV_ACCERR); -EIO when the mapped file has no page there (beyond its end:
 * SIGBUS, BUS_ADRERR); -ENOMEM when out of memory.
 */
int mm_handle_page_fault(uint64_t addr, uint64_t error_code);

/* ---- user copies (kernel/mm/uaccess.c): fault-safe, 0 or -EFAULT ---- */
int copy_from_user(void *dst, const void __user *src, size_t n);
int copy_to_user(void __user *dst, const void *src, size_t n);
int clear_user(void __user *dst, size_t n);
/* Copies a NUL-terminated string of at most max-1 bytes; returns its length,
 * -EFAULT on a bad pointer, -ENAMETOOLONG when no NUL is found within max. */
long strncpy_from_user(char *dst, const char __user *src, size_t max);
/* Atomically stores new into the aligned user word when it holds old; *cur gets
 * the value found. 0 or -EFAULT (also for a misaligned or kernel address). */
int cmpxchg_user32(uint32_t __user *uaddr, uint32_t old, uint32_t new, uint32_t *cur);
/* True when [ptr, ptr+n) lies wholly in the user half. */
bool access_ok(const void __user *ptr, size_t n);
#define get_user(kvar, uptr) copy_from_user(&(kvar), (uptr), sizeof(kvar))
#define put_user(kval, uptr) ({ __typeof__(*(uptr)) __v = (kval); copy_to_user((uptr), &__v, sizeof(__v)); })

#endif
