/*
 * exec.c — execve: loads an ELF64 program (and its PT_INTERP) or a `#!` script into
 * a new address space, builds Linux's initial stack, then replaces the caller's
 * image. Every error before exec_commit() leaves the caller untouched.
 */
#include "proc/task.h"
#include "proc/elf.h"
#include "proc/exec.h"
#include "dev/dev.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm.h"
#include <linux/auxvec.h>
#include <linux/fcntl.h>

#define STACK_TOP ELF_USER_END
#define STACK_RESERVE (8UL * 1024 * 1024)
#define MMAP_BASE (STACK_TOP - 128UL * 1024 * 1024)
#define ET_DYN_BASE 0x555555554000UL
#define HDR_BUF_SIZE 256
#define MAX_SCRIPT_DEPTH 4

/* One loaded ELF image. */
struct exec_image {
	struct file *file;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	struct elf_layout lay;
	uint64_t bias;		/* added to every p_vaddr */
};

static void exec_image_drop(struct exec_image *img)
{
	kfree(img->ph);
	img->ph = NULL;
	if (!IS_ERR_OR_NULL(img->file))
		file_put(img->file);
	img->file = NULL;
}

/* Reads and checks the ELF header and program headers of img->file. */
static int exec_image_read(struct exec_image *img, const void *hdr, size_t hdr_len)
{
	size_t ph_size;
	int err;

	if (hdr_len < sizeof(Elf64_Ehdr))
		return -ENOEXEC;
	memcpy(&img->eh, hdr, sizeof(img->eh));
	err = elf_check_header(&img->eh, UINT64_MAX);
	if (err)
		return err;
	ph_size = img->eh.e_phnum * sizeof(Elf64_Phdr);
	img->ph = kmalloc(ph_size);
	if (!img->ph)
		return -ENOMEM;
	if (kernel_read(img->file, img->ph, ph_size, img->eh.e_phoff) != (ssize_t)ph_size)
		return -ENOEXEC;
	return elf_scan(&img->eh, img->ph, &img->lay);
}

/* Maps one PT_LOAD at va: the file pages privately with the segment's protection,
 * zeros after p_filesz in the last file page, anonymous memory for the rest of the
 * bss. */
static int exec_segment_map(struct vm_space *vm, struct file *file, const Elf64_Phdr *p,
			    uint64_t va)
{
	static const char zeros[256];
	uint64_t start = ALIGN_DOWN(va, PAGE_SIZE), end = ALIGN_UP(va + p->p_memsz, PAGE_SIZE);
	uint64_t file_end = va + p->p_filesz, file_map_end = ALIGN_UP(file_end, PAGE_SIZE);
	uint32_t prot = elf_prot(p->p_flags);
	long r;

	if (p->p_filesz) {
		r = vm_map(vm, start, file_map_end - start, prot, true, false, file,
			   p->p_offset - (va - start));
		if (r < 0)
			return (int)r;
	} else {
		file_map_end = start;
	}
	for (uint64_t a = file_end; p->p_memsz > p->p_filesz && a < MIN(file_map_end, end); ) {
		size_t n = MIN(sizeof(zeros), file_map_end - a);

		if (vm_write(vm, a, zeros, n))
			return -EFAULT;
		a += n;
	}
	if (end > file_map_end) {
		r = vm_map(vm, file_map_end, end - file_map_end, prot, true, false, NULL, 0);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

/* Maps every PT_LOAD of img at img->bias. */
static int exec_image_load(struct vm_space *vm, struct exec_image *img)
{
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		int err;

		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		err = exec_segment_map(vm, img->file, p, p->p_vaddr + img->bias);
		if (err)
			return err;
	}
	return 0;
}

/* Opens the interpreter named by img's PT_INTERP and reads its headers. */
static int exec_interp_open(struct exec_image *img, struct exec_image *interp)
{
	char *name = kmalloc(img->lay.interp_size + 1);
	char hdr[sizeof(Elf64_Ehdr)];
	ssize_t n;
	int err;

	if (!name)
		return -ENOMEM;
	n = kernel_read(img->file, name, img->lay.interp_size, img->lay.interp_offset);
	if (n != (ssize_t)img->lay.interp_size || name[n - 1] != '\0') {
		kfree(name);
		return -ENOEXEC;
	}
	interp->file = vfs_open(name, O_RDONLY, 0);
	kfree(name);
	if (IS_ERR(interp->file))
		return PTR_ERR(interp->file);
	err = file_check_exec(interp->file);
	if (err)
		return err;
	n = kernel_read(interp->file, hdr, sizeof(hdr), 0);
	if (n < 0)
		return (int)n;
	err = exec_image_read(interp, hdr, n);
	if (!err && interp->lay.has_interp)
		err = -ENOEXEC;
	return err;
}

/* Loads the program (and interpreter) into vm and picks their load addresses. */
static int exec_load_images(struct vm_space *vm, struct exec_image *img, struct exec_image *interp)
{
	int err;

	if (img->eh.e_type == ET_DYN)
		img->bias = ET_DYN_BASE - img->lay.lo;
	err = exec_image_load(vm, img);
	if (err || !interp->file)
		return err;
	if (interp->eh.e_type == ET_DYN) {
		long base = vm_map(vm, 0, interp->lay.hi - interp->lay.lo, VM_READ, false, false, NULL, 0);

		if (base < 0)
			return (int)base;
		interp->bias = base - interp->lay.lo;
	}
	return exec_image_load(vm, interp);
}

/* Writes Linux's initial stack (strings, AT_RANDOM bytes, platform, auxv, envp,
 * argv, argc) below STACK_TOP; *sp_out gets the 16-byte aligned entry rsp. */
static int exec_build_stack(struct vm_space *vm, struct exec_args *args, const char *execfn,
			    struct exec_image *img, struct exec_image *interp, uint64_t *sp_out)
{
	static const char platform[] = "x86_64";
	size_t fn_len = strlen(execfn) + 1;
	uint64_t p = STACK_TOP - 8, strings, execfn_addr, platform_addr, random_addr, sp;
	uint64_t aux[2 * 24], *table, regs[4];
	size_t naux = 0, nitems;
	uint8_t random[16];
	const char *s;
	int err;

	p -= fn_len;
	execfn_addr = p;
	p -= args->len;
	strings = p;
	p -= sizeof(platform);
	platform_addr = p;
	p -= sizeof(random);
	random_addr = p;
	p = ALIGN_DOWN(p, 16);
	random_bytes(random, sizeof(random));
	cpuid(1, 0, (uint32_t *)regs);
	if (vm_write(vm, execfn_addr, execfn, fn_len) || vm_write(vm, strings, args->buf, args->len) ||
	    vm_write(vm, platform_addr, platform, sizeof(platform)) ||
	    vm_write(vm, random_addr, random, sizeof(random)))
		return -EFAULT;

#define AUX(type, val) do { aux[naux++] = (type); aux[naux++] = (val); } while (0)
	AUX(AT_HWCAP, ((uint32_t *)regs)[3]);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, img->lay.phdr_vaddr + img->bias);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, img->eh.e_phnum);
	AUX(AT_BASE, interp->file ? interp->lay.lo + interp->bias : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->eh.e_entry + img->bias);
	AUX(AT_UID, current->cred.uid);
	AUX(AT_EUID, current->cred.euid);
	AUX(AT_GID, current->cred.gid);
	AUX(AT_EGID, current->cred.egid);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random_addr);
	AUX(AT_HWCAP2, 0);
	AUX(AT_EXECFN, execfn_addr);
	AUX(AT_PLATFORM, platform_addr);
	AUX(AT_MINSIGSTKSZ, ALIGN_UP(fpu_state_size() + 1024, 16));
	AUX(AT_NULL, 0);
#undef AUX

	nitems = 1 + args->argc + 1 + args->envc + 1 + naux;
	sp = ALIGN_DOWN(p - nitems * 8, 16);
	if (sp < STACK_TOP - STACK_RESERVE + PAGE_SIZE)
		return -E2BIG;
	table = kmalloc(nitems * 8);
	if (!table)
		return -ENOMEM;
	table[0] = args->argc;
	s = args->buf;
	for (int i = 0; i < args->argc; i++) {
		table[1 + i] = strings + (s - args->buf);
		s += strlen(s) + 1;
	}
	table[1 + args->argc] = 0;
	vm->arg_start = strings;
	vm->arg_end = vm->env_start = strings + (s - args->buf);
	for (int i = 0; i < args->envc; i++) {
		table[2 + args->argc + i] = strings + (s - args->buf);
		s += strlen(s) + 1;
	}
	table[2 + args->argc + args->envc] = 0;
	vm->env_end = strings + args->len;
	memcpy(&table[3 + args->argc + args->envc], aux, naux * 8);
	vm->auxv_start = sp + (3 + args->argc + args->envc) * 8;
	vm->auxv_end = vm->auxv_start + naux * 8;
	err = vm_write(vm, sp, table, nitems * 8) ? -EFAULT : 0;
	kfree(table);
	*sp_out = sp;
	return err;
}

/* Opens path for execution, following `#!` scripts (rewriting args) up to
 * MAX_SCRIPT_DEPTH levels; on success img->file is the ELF file and its headers
 * are read. */
static int exec_open(const char *path, struct exec_args *args, struct exec_image *img)
{
	char *hdr = kmalloc(HDR_BUF_SIZE + 1), *cur = kstrdup(path), *interp, *arg;
	int err = -ENOMEM;
	ssize_t n;

	if (!hdr || !cur)
		goto out;
	for (int depth = 0;; depth++) {
		img->file = vfs_open(cur, O_RDONLY, 0);
		if (IS_ERR(img->file)) {
			err = PTR_ERR(img->file);
			break;
		}
		err = file_check_exec(img->file);
		if (err)
			break;
		n = kernel_read(img->file, hdr, HDR_BUF_SIZE, 0);
		if (n < 0) {
			err = (int)n;
			break;
		}
		hdr[n] = '\0';
		if (n < 2 || hdr[0] != '#' || hdr[1] != '!') {
			err = exec_image_read(img, hdr, n);
			break;
		}
		err = depth >= MAX_SCRIPT_DEPTH ? -ELOOP : shebang_parse(hdr, n, &interp, &arg);
		if (!err)
			err = exec_args_shebang(args, interp, arg, cur);
		if (err)
			break;
		file_put(img->file);
		img->file = NULL;
		kfree(cur);
		cur = kstrdup(interp);
		if (!cur) {
			err = -ENOMEM;
			break;
		}
	}
out:
	kfree(cur);
	kfree(hdr);
	return err;
}

/* Builds the new address space with program, interpreter and stack. */
static struct vm_space *exec_build_vm(struct exec_args *args, const char *path,
				      struct exec_image *img, struct exec_image *interp,
				      uint64_t *sp)
{
	struct vm_space *vm = vm_space_create();
	uint32_t stack_flags = VM_READ | VM_WRITE | VM_GROWSDOWN | VM_STACK;
	long r;
	int err;

	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->mmap_base = MMAP_BASE;
	vm->stack_start = STACK_TOP;
	err = exec_load_images(vm, img, interp);
	if (err)
		goto put_vm;
	if (img->lay.exec_stack)
		stack_flags |= VM_EXEC;
	r = vm_map(vm, STACK_TOP - STACK_RESERVE, STACK_RESERVE, stack_flags, true, false, NULL, 0);
	if (r < 0) {
		err = (int)r;
		goto put_vm;
	}
	err = exec_build_stack(vm, args, path, img, interp, sp);
	if (err)
		goto put_vm;
	vm->brk_start = vm->brk = img->lay.hi + img->bias;
	return vm;

put_vm:
	vm_space_put(vm);
	return ERR_PTR(err);
}

/* The point of no return: the task takes vm and starts at entry with rsp sp. */
static void exec_commit(struct task *t, struct vm_space *vm, const char *path,
			uint64_t entry, uint64_t sp)
{
	struct vm_space *old = t->vm;
	const char *base = strrchr(path, '/');
	struct trap_frame *f = t->user_frame;

	exit_mm_release(t);
	t->vm = vm;
	vm_space_activate(vm);
	if (old)
		vm_space_put(old);
	if (t->files)
		fd_table_close_on_exec(t->files);
	signal_exec_reset(t);
	strlcpy(t->comm, base ? base + 1 : path, sizeof(t->comm));
	t->fs_base = t->gs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	t->altstack_sp = t->altstack_size = 0;
	t->altstack_flags = 0;
	fpu_state_init(t->fpu);
	fpu_restore(t->fpu);
	memset(f, 0, sizeof(*f));
	f->rip = entry;
	f->rsp = sp;
	f->cs = USER_CS;
	f->ss = USER_DS;
	f->rflags = 0x202;
	f->vector = TRAP_SYSCALL;
	f->error = (uint64_t)-1;
	WRITE_ONCE(t->did_exec, true);
	vfork_release(t);
}

/* execve with args already gathered. Returns 0 with the task replaced, or -errno
 * with the caller intact. */
static int exec_common(const char *path, struct exec_args *args)
{
	struct exec_image img = { 0 }, interp = { 0 };
	struct vm_space *vm;
	uint64_t sp = 0, entry;
	int err = exec_open(path, args, &img);

	if (!err && img.lay.has_interp)
		err = exec_interp_open(&img, &interp);
	if (err)
		goto drop;
	vm = exec_build_vm(args, path, &img, &interp, &sp);
	if (IS_ERR(vm)) {
		err = PTR_ERR(vm);
		goto drop;
	}
	entry = interp.file ? interp.eh.e_entry + interp.bias : img.eh.e_entry + img.bias;
	err = exec_unshare_threads(current);
	if (err) {
		vm_space_put(vm);
		goto drop;
	}
	exec_commit(current, vm, path, entry, sp);
drop:
	exec_image_drop(&interp);
	exec_image_drop(&img);
	return err;
}

/* Linux's limit on argv+envp: a quarter of the stack limit, at least 32 pages. */
static uint64_t exec_args_limit(void)
{
	uint64_t lim = current->proc->rlim[RLIMIT_STACK].rlim_cur / 4;

	return MAX(lim, 32 * PAGE_SIZE);
}

/* execve from kernel code (PID 1): kernel strings. Returns 0 or -errno. */
int exec_kernel(const char *path, char *const argv[], char *const envp[])
{
	struct exec_args args;
	int err = 0;

	exec_args_init(&args, exec_args_limit());
	for (int i = 0; argv[i] && !err; i++)
		err = exec_args_add(&args, argv[i], false);
	for (int i = 0; envp[i] && !err; i++)
		err = exec_args_add(&args, envp[i], true);
	if (!err)
		err = exec_common(path, &args);
	exec_args_free(&args);
	return err;
}

long sys_execve(const char __user *upath, const char __user *const __user *argv,
		const char __user *const __user *envp)
{
	struct exec_args args;
	char *path = kmalloc(PAGE_SIZE);
	long err;

	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, upath, PAGE_SIZE);
	if (err >= 0 && !path[0])
		err = -ENOENT;
	if (err < 0) {
		kfree(path);
		return err;
	}
	exec_args_init(&args, exec_args_limit());
	err = exec_args_copy_user(&args, argv, false);
	if (!err && args.argc == 0)	/* Linux runs argv-less programs with argv {""} */
		err = exec_args_add(&args, "", false);
	if (!err)
		err = exec_args_copy_user(&args, envp, true);
	if (!err)
		err = exec_common(path, &args);
	exec_args_free(&args);
	kfree(path);
	return err;
}
