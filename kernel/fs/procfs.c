/*
 * procfs.c — /proc: system files (cmdline, meminfo, uptime, version, filesystems,
 * mounts, stat, loadavg), /proc/self and one directory per process.
 *
 * Per-process files look their task up by pid when they format (at open), so a
 * process that is gone gives an empty file.
 */
#include "dev/dev.h"
#include "fs/pseudo.h"
#include "mm/mm.h"
#include "arch/x86_64/arch.h"

static struct pseudo_node *proc_root, *proc_pid_dir;
static struct super_block *proc_sb;

#define PID_OF(ctx) ((pid_t)(uintptr_t)(ctx))

static size_t proc_cmdline_show(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%s\n", boot_info.cmdline);
}

static size_t proc_meminfo_show(void *ctx, char *buf, size_t size)
{
	static const char *const zero_rows[] = {
		"Buffers:", "Cached:", "SwapCached:", "Active:", "Inactive:", "Shmem:",
		"SwapTotal:", "SwapFree:", "Dirty:", "Writeback:", "Mapped:", "Slab:",
	};
	size_t total = pages_total() * (PAGE_SIZE / 1024), free = pages_free() * (PAGE_SIZE / 1024);
	size_t len = 0, i;

	len += ksnprintf(buf + len, len < size ? size - len : 0, "%-16s%8zu kB\n", "MemTotal:", total);
	len += ksnprintf(len < size ? buf + len : NULL, len < size ? size - len : 0,
			 "%-16s%8zu kB\n%-16s%8zu kB\n", "MemFree:", free, "MemAvailable:", free);
	for (i = 0; i < ARRAY_SIZE(zero_rows); i++)
		len += ksnprintf(len < size ? buf + len : NULL, len < size ? size - len : 0,
				 "%-16s%8u kB\n", zero_rows[i], 0);
	return len;
}

static size_t proc_uptime_show(void *ctx, char *buf, size_t size)
{
	uint64_t cs = clock_monotonic_ns() / 10000000;

	return ksnprintf(buf, size, "%lu.%02lu %lu.%02lu\n", (unsigned long)(cs / 100),
			 (unsigned long)(cs % 100), (unsigned long)(cs / 100),
			 (unsigned long)(cs % 100));
}

static size_t proc_version_show(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "Linux version 6.1.0-lumen (lumen@lumen) (gcc) #1 SMP\n");
}

static size_t proc_filesystems_show(void *ctx, char *buf, size_t size)
{
	return fs_types_format(buf, size);
}

static size_t proc_mounts_show(void *ctx, char *buf, size_t size)
{
	return mounts_format(buf, size, false);
}

static size_t proc_mountinfo_show(void *ctx, char *buf, size_t size)
{
	return mounts_format(buf, size, true);
}

#define NS_PER_TICK (1000000000ULL / 100)	/* USER_HZ */

/* Appends to buf at *len what ksnprintf makes of fmt, keeping the full length. */
#define proc_append(buf, size, len, ...) \
	(*(len) += ksnprintf(*(len) < (size) ? (buf) + *(len) : NULL, \
			     *(len) < (size) ? (size) - *(len) : 0, __VA_ARGS__))

static void proc_stat_cpu_line(char *buf, size_t size, size_t *len, const char *name,
			       const struct cpu_stats *c)
{
	proc_append(buf, size, len, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", name,
		    (unsigned long)(c->user_ns / NS_PER_TICK),
		    (unsigned long)(c->system_ns / NS_PER_TICK),
		    (unsigned long)(c->idle_ns / NS_PER_TICK));
}

/* /proc/stat: CPU time in USER_HZ ticks (all CPUs, then each), interrupts, context
 * switches, boot time, tasks created, runnable and blocked. */
static size_t proc_stat_show(void *ctx, char *buf, size_t size)
{
	struct cpu_stats sum = { 0 }, c;
	struct task_counts tc;
	char name[16];
	size_t len = 0;
	int i;

	for (i = 0; i < cpu_count; i++) {
		proc_cpu_stats(i, &c);
		sum.user_ns += c.user_ns;
		sum.system_ns += c.system_ns;
		sum.idle_ns += c.idle_ns;
		sum.switches += c.switches;
		sum.irqs += c.irqs;
	}
	proc_stat_cpu_line(buf, size, &len, "cpu ", &sum);
	for (i = 0; i < cpu_count; i++) {
		proc_cpu_stats(i, &c);
		ksnprintf(name, sizeof(name), "cpu%d", i);
		proc_stat_cpu_line(buf, size, &len, name, &c);
	}
	proc_task_counts(&tc);
	proc_append(buf, size, &len,
		    "intr %lu\nctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %u\n"
		    "procs_blocked %u\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		    (unsigned long)sum.irqs, (unsigned long)sum.switches,
		    (unsigned long)(clock_realtime_offset_ns() / 1000000000),
		    (unsigned long)tc.created, tc.running, tc.blocked);
	return len;
}

/* /proc/loadavg: the three averages, runnable/all tasks, the last pid. */
static size_t proc_loadavg_show(void *ctx, char *buf, size_t size)
{
	unsigned long avg[3];
	struct task_counts tc;

	proc_loadavg(avg);
	proc_task_counts(&tc);
	return ksnprintf(buf, size, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n",
			 avg[0] / 100, avg[0] % 100, avg[1] / 100, avg[1] % 100,
			 avg[2] / 100, avg[2] % 100, tc.running, tc.total, tc.last_pid);
}

static int proc_self_link(void *ctx, char *buf, size_t size)
{
	char tmp[16];
	int len = ksnprintf(tmp, sizeof(tmp), "%d", task_tgid(current));

	len = MIN((size_t)len, size);
	memcpy(buf, tmp, len);
	return len;
}

/* Runs fn on the task pid, holding a reference to it; returns 0 when there is none. */
static size_t proc_with_task(pid_t pid, size_t (*fn)(struct task *t, char *buf, size_t size),
			     char *buf, size_t size)
{
	struct task *t = task_find_get(pid);
	size_t len;

	if (!t)
		return 0;
	len = fn(t, buf, size);
	task_put(t);
	return len;
}

static size_t pid_maps_fmt(struct task *t, char *buf, size_t size)
{
	struct vm_space *vm = task_vm(t);
	size_t len;

	if (!vm)
		return 0;
	len = vm_format_maps(vm, buf, size);
	return len >= size - 1 ? size : len;	/* ask for a bigger buffer when full */
}

/* A counted reference to the address space of process pid (vm_space_put it), or
 * NULL when it is gone or a kernel thread. */
static struct vm_space *proc_task_vm(pid_t pid)
{
	struct task *t = task_find_get(pid);
	struct vm_space *vm = t ? task_vm(t) : NULL;

	if (vm)
		vm_space_get(vm);
	if (t)
		task_put(t);
	return vm;
}

/* The argument strings of the process, read out of its memory (any process's, as
 * Linux's /proc/PID/cmdline); returns the full length when buf is too small. */
static size_t pid_cmdline_show(void *ctx, char *buf, size_t size)
{
	struct vm_space *vm = proc_task_vm(PID_OF(ctx));
	size_t len = 0;

	if (!vm)
		return 0;
	if (vm->arg_end > vm->arg_start) {
		len = vm->arg_end - vm->arg_start;
		if (len <= size && vm_read(vm, vm->arg_start, buf, len))
			len = 0;
	}
	vm_space_put(vm);
	return len;
}

#define PID_SHOW(name)								\
	static size_t name##_show(void *ctx, char *buf, size_t size)		\
	{									\
		return proc_with_task(PID_OF(ctx), name##_fmt, buf, size);	\
	}
PID_SHOW(pid_maps)


/* The executable: the lowest file-backed mapping of the process (its ELF image). */
static struct file *proc_task_exe(pid_t pid)
{
	struct vm_space *vm = proc_task_vm(pid);
	struct file *exe = NULL;
	struct vma *v;
	uint64_t flags;

	if (!vm)
		return NULL;
	flags = spin_lock_irqsave(&vm->lock);
	list_for_each_entry(v, &vm->vmas, link) {
		if (v->file) {
			exe = v->file;
			file_get(exe);
			break;
		}
	}
	spin_unlock_irqrestore(&vm->lock, flags);
	vm_space_put(vm);
	return exe;
}

static int pid_exe_link(void *ctx, char *buf, size_t size)
{
	struct file *exe = proc_task_exe(PID_OF(ctx));
	char *path;
	int len;

	if (!exe)
		return -ENOENT;
	path = kmalloc(PATH_MAX_LEN);
	len = path ? file_get_path(exe, path, PATH_MAX_LEN) : -ENOMEM;
	file_put(exe);
	if (len >= 0) {
		len = MIN((size_t)len, size);
		memcpy(buf, path, len);
	}
	kfree(path);
	return len;
}

static int proc_pid_lookup(void *dir_ctx, const char *name, size_t len, struct pseudo_node **tmpl,
			   void **ctx)
{
	char tmp[12];
	uint64_t pid;

	if (len == 0 || len >= sizeof(tmp))
		return -ENOENT;
	memcpy(tmp, name, len);
	tmp[len] = 0;
	if (kstrtou64(tmp, 10, &pid) || pid == 0 || pid > INT32_MAX || tmp[0] == '0')
		return -ENOENT;
	if (!task_find(pid))
		return -ENOENT;
	*tmpl = proc_pid_dir;
	*ctx = (void *)(uintptr_t)pid;
	return 0;
}

struct pid_list {
	pid_t pids[512];
	int count;
};

static void proc_collect(struct task *t, void *arg)
{
	struct pid_list *l = arg;

	if (l->count < (int)ARRAY_SIZE(l->pids))
		l->pids[l->count++] = task_tgid(t);
}

/* Emits one directory per process; positions from 0x10000 on are pid + 0x10000. */
static void proc_pid_iterate(void *dir_ctx, int64_t *pos, dir_emit_t emit, void *ctx)
{
	struct pid_list *l = kzalloc(sizeof(*l));
	char name[12];
	int i, len;

	if (!l)
		return;
	task_for_each_process(proc_collect, l);
	for (i = 0; i < l->count; i++) {
		if (0x10000 + (int64_t)l->pids[i] < *pos)
			continue;
		len = ksnprintf(name, sizeof(name), "%d", l->pids[i]);
		if (!emit(ctx, name, len, ((uint64_t)l->pids[i] << 16) + proc_pid_dir->ino, DT_DIR,
			  0x10000 + (int64_t)l->pids[i] + 1))
			break;
		*pos = 0x10000 + (int64_t)l->pids[i] + 1;
	}
	kfree(l);
}

static const struct pseudo_dyn proc_pid_dyn = {
	.lookup = proc_pid_lookup,
	.iterate = proc_pid_iterate,
};

static struct pseudo_node *proc_add_file(struct pseudo_node *dir, const char *name,
					 pseudo_show_t show)
{
	struct pseudo_node *n = pseudo_add(dir, name, S_IFREG | 0444);

	if (n)
		n->show = show;
	return n;
}

static struct pseudo_node *proc_add_link(struct pseudo_node *dir, const char *name,
					 const char *target, pseudo_link_t fn)
{
	struct pseudo_node *n = pseudo_add(dir, name, S_IFLNK | 0777);

	if (n) {
		n->target = target;
		n->readlink = fn;
	}
	return n;
}

/* The files a process directory and a task/TID directory both have. */
static bool proc_fill_task_dir(struct pseudo_node *dir)
{
	return proc_add_file(dir, "cmdline", pid_cmdline_show) &&
	       proc_add_file(dir, "maps", pid_maps_show) &&
	       proc_add_file(dir, "mounts", proc_mounts_show) &&
	       proc_add_file(dir, "mountinfo", proc_mountinfo_show) &&
	       proc_add_link(dir, "exe", NULL, pid_exe_link) &&
	       procfs_fd_init(dir) && procfs_pid_files_init(dir);
}

static bool proc_build_pid_dir(void)
{
	struct pseudo_node *tid_dir = pseudo_add(NULL, "tid", S_IFDIR | 0555);

	proc_pid_dir = pseudo_add(NULL, "pid", S_IFDIR | 0555);
	return proc_pid_dir && tid_dir && proc_fill_task_dir(proc_pid_dir) &&
	       proc_fill_task_dir(tid_dir) && procfs_task_init(proc_pid_dir, tid_dir);
}

/* /proc/sysrq-trigger: the first written character is a SysRq key, as on Linux 6.1. */
static ssize_t proc_sysrq_store(void *ctx, const char *buf, size_t len)
{
	if (len)
		sysrq_handle(buf[0]);
	return len;
}

static bool proc_add_sysrq(struct pseudo_node *dir)
{
	struct pseudo_node *n = pseudo_add(dir, "sysrq-trigger", S_IFREG | 0200);

	if (n)
		n->store = proc_sysrq_store;
	return n;
}

static bool proc_build_root(void)
{
	proc_root = pseudo_add(NULL, "", S_IFDIR | 0555);
	if (!proc_root)
		return false;
	proc_root->dyn = &proc_pid_dyn;
	return proc_add_file(proc_root, "cmdline", proc_cmdline_show) &&
	       proc_add_file(proc_root, "meminfo", proc_meminfo_show) &&
	       proc_add_file(proc_root, "uptime", proc_uptime_show) &&
	       proc_add_file(proc_root, "version", proc_version_show) &&
	       proc_add_file(proc_root, "filesystems", proc_filesystems_show) &&
	       proc_add_file(proc_root, "stat", proc_stat_show) &&
	       proc_add_file(proc_root, "loadavg", proc_loadavg_show) &&
	       proc_add_sysrq(proc_root) && procfs_sys_init(proc_root) &&
	       proc_add_link(proc_root, "mounts", "self/mounts", NULL) &&
	       proc_add_link(proc_root, "self", NULL, proc_self_link);
}

static struct super_block *proc_get_sb(const struct file_system_type *type, const char *src)
{
	return proc_sb ? proc_sb : ERR_PTR(-ENOMEM);
}

struct file_system_type proc_type = {
	.name = "proc",
	.nodev = true,
	.get_sb = proc_get_sb,
};

/* Builds the /proc tree; from vfs_init. */
int procfs_init(void)
{
	if (!proc_build_pid_dir() || !proc_build_root())
		return -ENOMEM;
	proc_sb = pseudo_create_sb(&proc_type, PROC_SUPER_MAGIC, proc_root);
	return proc_sb ? 0 : -ENOMEM;
}
