/*
 * procfs_pid.c — the per-process (and per-thread) files of /proc that describe a
 * task: stat, status, statm, comm (writable), environ, auxv, and the task/
 * directory with one entry per thread, in Linux's formats.
 *
 * Files look their task up by the id in their ctx when they format (at open), as
 * procfs.c's do; a task that is gone gives an empty file.
 */
#include "fs/pseudo.h"
#include "mm/mm.h"
#include "arch/x86_64/arch.h"

#define ID_OF(ctx) ((pid_t)(uintptr_t)(ctx))
#define NS_PER_TICK (1000000000ULL / 100)	/* USER_HZ */
#define CAP_FULL 0x000001ffffffffffULL		/* CAP_LAST_CAP 40 */

static struct pseudo_node *tid_dir_tmpl;

/* Appends to buf at *len what ksnprintf makes of fmt, keeping the full length. */
#define proc_append(buf, size, len, ...) \
	(*(len) += ksnprintf(*(len) < (size) ? (buf) + *(len) : NULL, \
			     *(len) < (size) ? (size) - *(len) : 0, __VA_ARGS__))

/* The task ctx names, counted (task_put it), and a counted reference to its
 * address space (NULL for none). */
static struct task *proc_task_and_vm(void *ctx, struct vm_space **vm)
{
	struct task *t = task_find_get(ID_OF(ctx));

	*vm = t ? task_vm(t) : NULL;
	if (*vm)
		vm_space_get(*vm);
	return t;
}

/* /proc/PID/stat: Linux's 52 fields; the CPU times are the whole process's. */
static size_t pid_stat_show(void *ctx, char *buf, size_t size)
{
	struct vm_space *vm;
	struct task *t = proc_task_and_vm(ctx, &vm);
	struct process_times pt;
	struct task_status st;
	struct vm_usage u = { 0 };
	size_t len = 0;

	if (!t)
		return 0;
	task_process_times(t, &pt);
	task_get_status(t, &st);
	if (vm)
		vm_get_usage(vm, &u);
	proc_append(buf, size, &len,
		    "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %lu %lu %lu %lu 20 0 %d 0 %lu %lu %lu "
		    "18446744073709551615 0 0 %lu 0 0 %lu %lu %lu %lu 0 0 0 17 %d 0 0 0 0 0 0 0 %lu ",
		    task_pid(t), task_comm(t), st.state, task_ppid(t), task_pgid(t), task_sid(t),
		    (unsigned long)(pt.utime_ns / NS_PER_TICK),
		    (unsigned long)(pt.stime_ns / NS_PER_TICK),
		    (unsigned long)(pt.cutime_ns / NS_PER_TICK),
		    (unsigned long)(pt.cstime_ns / NS_PER_TICK), pt.threads,
		    (unsigned long)(pt.start_ns / NS_PER_TICK), (unsigned long)(u.total * PAGE_SIZE),
		    (unsigned long)u.rss, (unsigned long)(vm ? vm->stack_start : 0),
		    (unsigned long)(st.sig_pending | st.shared_pending), (unsigned long)st.blocked,
		    (unsigned long)st.ignored, (unsigned long)st.caught, 0,
		    (unsigned long)(vm ? vm->brk_start : 0));
	proc_append(buf, size, &len, "%lu %lu %lu %lu 0\n",
		    (unsigned long)(vm ? vm->arg_start : 0), (unsigned long)(vm ? vm->arg_end : 0),
		    (unsigned long)(vm ? vm->env_start : 0), (unsigned long)(vm ? vm->env_end : 0));
	if (vm)
		vm_space_put(vm);
	task_put(t);
	return len;
}

/* The Vm* lines of status, for a task with an address space. */
static void pid_status_vm(struct vm_space *vm, char *buf, size_t size, size_t *len)
{
	struct vm_usage u;

	vm_get_usage(vm, &u);
	proc_append(buf, size, len,
		    "VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\nVmRSS:\t%8lu kB\n"
		    "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n"
		    "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmSwap:\t%8lu kB\n"
		    "HugetlbPages:\t%8lu kB\n",
		    (unsigned long)u.total * 4, 0UL, 0UL, (unsigned long)u.rss * 4,
		    (unsigned long)u.rss_anon * 4, (unsigned long)u.rss_file * 4,
		    (unsigned long)u.rss_shmem * 4, (unsigned long)u.data * 4, (unsigned long)u.stack * 4,
		    (unsigned long)u.exec * 4, 0UL, 0UL);
}

/* The CPU lines of status: the online CPUs as a mask and as a list. */
static void pid_status_cpus(char *buf, size_t size, size_t *len)
{
	unsigned long mask = cpu_count >= 64 ? ~0UL : (1UL << cpu_count) - 1;

	proc_append(buf, size, len, "Cpus_allowed:\t%lx\n", mask);
	if (cpu_count > 1)
		proc_append(buf, size, len, "Cpus_allowed_list:\t0-%d\n", cpu_count - 1);
	else
		proc_append(buf, size, len, "Cpus_allowed_list:\t0\n");
	proc_append(buf, size, len, "Mems_allowed:\t");
	for (int i = 0; i < 31; i++)
		proc_append(buf, size, len, "00000000,");
	proc_append(buf, size, len, "00000001\nMems_allowed_list:\t0\n");
}

/* /proc/PID/status in Linux's order; the figures Lumen does not keep (peaks,
 * context switches, page-table size) are left out rather than made up. */
static size_t pid_status_show(void *ctx, char *buf, size_t size)
{
	struct vm_space *vm;
	struct task *t = proc_task_and_vm(ctx, &vm);
	struct cred *c;
	struct group_info *g;
	struct fs_state *fs;
	struct task_status st;
	size_t len = 0;
	mode_t umask = 022;
	uint64_t cap;

	if (!t)
		return 0;
	c = task_cred(t);
	fs = task_fs(t);
	if (fs)
		umask = READ_ONCE(fs->umask);
	task_get_status(t, &st);
	cap = c->euid == 0 ? CAP_FULL : 0;
	proc_append(buf, size, &len,
		    "Name:\t%s\nUmask:\t%04o\nState:\t%c (%s)\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
		    "PPid:\t%d\nTracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
		    "FDSize:\t%d\nGroups:\t",
		    task_comm(t), umask, st.state, task_state_name(st.state), task_tgid(t),
		    task_pid(t), task_ppid(t), c->uid, c->euid, c->suid, c->fsuid, c->gid,
		    c->egid, c->sgid, c->fsgid, NOFILE_MAX);
	g = task_groups_get(t);
	for (int i = 0; g && i < g->count; i++)
		proc_append(buf, size, &len, i ? " %u" : "%u", g->gids[i]);
	groups_put(g);
	proc_append(buf, size, &len, " \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		    task_tgid(t), task_pid(t), task_pgid(t), task_sid(t));
	if (vm) {
		pid_status_vm(vm, buf, size, &len);
		vm_space_put(vm);
	}
	proc_append(buf, size, &len,
		    "CoreDumping:\t0\nThreads:\t%d\nSigPnd:\t%016lx\nShdPnd:\t%016lx\n"
		    "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\nCapInh:\t0000000000000000\n"
		    "CapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\nCapAmb:\t0000000000000000\n"
		    "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n",
		    st.threads, (unsigned long)st.sig_pending, (unsigned long)st.shared_pending,
		    (unsigned long)st.blocked, (unsigned long)st.ignored, (unsigned long)st.caught,
		    (unsigned long)cap, (unsigned long)cap, (unsigned long)CAP_FULL);
	pid_status_cpus(buf, size, &len);
	task_put(t);
	return len;
}

/* /proc/PID/statm: size resident shared text lib data dt, in pages. */
static size_t pid_statm_show(void *ctx, char *buf, size_t size)
{
	struct vm_space *vm;
	struct task *t = proc_task_and_vm(ctx, &vm);
	struct vm_usage u;

	if (!t)
		return 0;
	task_put(t);	/* only the counted address space is used */
	if (!vm)
		return ksnprintf(buf, size, "0 0 0 0 0 0 0\n");
	vm_get_usage(vm, &u);
	vm_space_put(vm);
	return ksnprintf(buf, size, "%lu %lu %lu %lu 0 %lu 0\n", (unsigned long)u.total,
			 (unsigned long)u.rss, (unsigned long)(u.rss_file + u.rss_shmem),
			 (unsigned long)u.exec, (unsigned long)(u.data + u.stack));
}

/* Copies [start, end) of the task's memory into buf (environ, auxv); returns the
 * full length, so a short buf makes the caller retry with a bigger one. */
static size_t pid_memory_range(void *ctx, char *buf, size_t size, bool auxv)
{
	struct vm_space *vm;
	struct task *t = proc_task_and_vm(ctx, &vm);
	uint64_t start, end;
	size_t len = 0;

	if (t)
		task_put(t);	/* only the counted address space is used */
	if (!vm)
		return 0;
	start = auxv ? vm->auxv_start : vm->env_start;
	end = auxv ? vm->auxv_end : vm->env_end;
	if (end > start) {
		len = end - start;
		if (len <= size && vm_read(vm, start, buf, len))
			len = 0;
	}
	vm_space_put(vm);
	return len;
}

static size_t pid_environ_show(void *ctx, char *buf, size_t size)
{
	return pid_memory_range(ctx, buf, size, false);
}

static size_t pid_auxv_show(void *ctx, char *buf, size_t size)
{
	return pid_memory_range(ctx, buf, size, true);
}

static size_t pid_comm_show(void *ctx, char *buf, size_t size)
{
	struct task *t = task_find_get(ID_OF(ctx));
	size_t len;

	if (!t)
		return 0;
	len = ksnprintf(buf, size, "%s\n", task_comm(t));
	task_put(t);
	return len;
}

/* Writing comm renames a thread of the writer's own process (at most 15 bytes are
 * kept, newline included, as Linux); others get EINVAL. */
static ssize_t pid_comm_store(void *ctx, const char *buf, size_t len)
{
	struct task *t = task_find_get(ID_OF(ctx));
	char name[16];

	if (!t)
		return -ESRCH;
	if (task_tgid(t) != task_tgid(current)) {
		task_put(t);
		return -EINVAL;
	}
	memset(name, 0, sizeof(name));
	memcpy(name, buf, MIN(len, sizeof(name) - 1));
	task_set_comm(t, name);
	task_put(t);
	return len;
}

/* Collects the thread ids of process tgid (tasks_lock held: no sleeping). */
struct tid_list {
	pid_t tgid;
	int count;
	pid_t tids[256];
};

static void tid_collect(struct task *t, void *arg)
{
	struct tid_list *l = arg;

	if (task_tgid(t) == l->tgid && l->count < (int)ARRAY_SIZE(l->tids))
		l->tids[l->count++] = task_pid(t);
}

static int task_dir_lookup(void *dir_ctx, const char *name, size_t len,
			   struct pseudo_node **tmpl, void **ctx)
{
	struct task *t;
	char tmp[12];
	uint64_t tid;
	pid_t tgid;

	if (len == 0 || len >= sizeof(tmp))
		return -ENOENT;
	memcpy(tmp, name, len);
	tmp[len] = 0;
	if (kstrtou64(tmp, 10, &tid) || tid == 0 || tid > INT32_MAX || tmp[0] == '0')
		return -ENOENT;
	t = task_find_get(tid);
	if (!t)
		return -ENOENT;
	tgid = task_tgid(t);
	task_put(t);
	if (tgid != ID_OF(dir_ctx))
		return -ENOENT;
	*tmpl = tid_dir_tmpl;
	*ctx = (void *)(uintptr_t)tid;
	return 0;
}

/* Emits one directory per live thread; positions from 0x10000 on are tid + 0x10000. */
static void task_dir_iterate(void *dir_ctx, int64_t *pos, dir_emit_t emit, void *ectx)
{
	struct tid_list *l = kzalloc(sizeof(*l));
	char name[12];
	int len;

	if (!l)
		return;
	l->tgid = ID_OF(dir_ctx);
	task_for_each_thread(tid_collect, l);
	for (int i = 0; i < l->count; i++) {
		int64_t next = 0x10000 + (int64_t)l->tids[i] + 1;

		if (next <= *pos)
			continue;
		len = ksnprintf(name, sizeof(name), "%d", l->tids[i]);
		if (!emit(ectx, name, len, ((uint64_t)l->tids[i] << 16) + tid_dir_tmpl->ino,
			  DT_DIR, next))
			break;
		*pos = next;
	}
	kfree(l);
}

static const struct pseudo_dyn task_dir_dyn = {
	.lookup = task_dir_lookup,
	.iterate = task_dir_iterate,
};

static struct pseudo_node *add_file(struct pseudo_node *dir, const char *name, mode_t mode,
				    pseudo_show_t show)
{
	struct pseudo_node *n = pseudo_add(dir, name, S_IFREG | mode);

	if (n)
		n->show = show;
	return n;
}

/* Adds stat, status, statm, comm, environ and auxv to a process or thread
 * directory template; from procfs_init. */
bool procfs_pid_files_init(struct pseudo_node *dir)
{
	struct pseudo_node *comm = add_file(dir, "comm", 0644, pid_comm_show);

	if (!comm)
		return false;
	comm->store = pid_comm_store;
	return add_file(dir, "stat", 0444, pid_stat_show) &&
	       add_file(dir, "status", 0444, pid_status_show) &&
	       add_file(dir, "statm", 0444, pid_statm_show) &&
	       add_file(dir, "environ", 0400, pid_environ_show) &&
	       add_file(dir, "auxv", 0400, pid_auxv_show);
}

/* Adds task/ to the process directory template; tid_dir is the template of its
 * entries. From procfs_init. */
bool procfs_task_init(struct pseudo_node *pid_dir, struct pseudo_node *tid_dir)
{
	struct pseudo_node *dir = pseudo_add(pid_dir, "task", S_IFDIR | 0555);

	if (!dir)
		return false;
	dir->dyn = &task_dir_dyn;
	tid_dir_tmpl = tid_dir;
	return true;
}
