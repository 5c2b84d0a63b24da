/*
 * task.c — the task table: allocation of tasks, pids, processes and signal-handler
 * tables, and the accessors other subsystems use.
 */
#include "proc/task.h"
#include "lib/log.h"
#include "mm/mm.h"

spinlock_t tasks_lock = SPINLOCK_INIT("tasks");
LIST_HEAD(all_tasks);
struct task *init_task;

#define PID_MAX 32768
static pid_t last_pid = 1;	/* PID 1 is kept for init */
static uint64_t tasks_created;	/* under tasks_lock: /proc/stat's "processes" */

/* True when no task uses n as a pid, tgid, pgid or sid. Needs tasks_lock. */
static bool pid_is_free(pid_t n)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->pid == n || t->tgid == n || t->proc->pgid == n || t->proc->sid == n)
			return false;
	return true;
}

/* Returns an unused pid, or -EAGAIN when all are taken. Needs tasks_lock. */
pid_t pid_alloc(void)
{
	assert_held(&tasks_lock);
	for (int i = 0; i < PID_MAX; i++) {
		last_pid = last_pid >= PID_MAX - 1 ? 300 : last_pid + 1;
		if (pid_is_free(last_pid)) {
			tasks_created++;
			return last_pid;
		}
	}
	return -EAGAIN;
}

/* The pid handed out last and how many tasks were created since boot (for
 * /proc/loadavg and /proc/stat). Takes tasks_lock. */
void pid_stats(pid_t *last, uint64_t *created)
{
	uint64_t flags = spin_lock_irqsave(&tasks_lock);

	*last = last_pid;
	*created = tasks_created;
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* Allocates a zeroed task with its kernel stack and FPU area; NULL when out of
 * memory. The caller links it into the table. */
struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->kstack = kmalloc(KERNEL_STACK_SIZE);
	if (!t->kstack)
		goto free_task;
	t->fpu_raw = kmalloc(fpu_state_size() + 64);
	if (!t->fpu_raw)
		goto free_stack;
	t->fpu = (void *)ALIGN_UP((uintptr_t)t->fpu_raw, 64);
	fpu_state_init(t->fpu);
	list_init(&t->thread_link);
	list_init(&t->threads);
	list_init(&t->children);
	list_init(&t->sibling);
	list_init(&t->all_link);
	list_init(&t->rq_link);
	list_init(&t->sleep_link);
	wait_queue_init(&t->vfork_wait);
	t->refcount = 1;
	t->state = TASK_RUNNING;
	t->timeslice = TIMESLICE_TICKS;
	t->start_ns = clock_monotonic_ns();
	return t;

free_stack:
	kfree(t->kstack);
free_task:
	kfree(t);
	return NULL;
}

/* Drops a reference to t; the last one frees it (a task off every list that
 * will never run again by then). */
void task_put(struct task *t)
{
	if (__atomic_sub_fetch(&t->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	if (t->proc)
		process_put(t->proc);
	if (t->sighand)
		sighand_put(t->sighand);
	groups_put(t->cred.groups);
	kfree(t->fpu_raw);
	kfree(t->kstack);
	kfree(t);
}

/* Drops the owner's reference to a task that is off every list and will never
 * run again (reaped, or never started); a task_find_get holder may keep it. */
void task_free(struct task *t)
{
	task_put(t);
}

/* The address just above t's kernel stack. */
uint64_t task_kstack_top(struct task *t)
{
	return (uint64_t)t->kstack + KERNEL_STACK_SIZE;
}

/* Allocates a process block with Linux's default limits; NULL when out of memory. */
struct process *process_alloc(void)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->refcount = 1;
	wait_queue_init(&p->child_wait);
	wait_queue_init(&p->stop_wait);
	list_init(&p->itimer_link);
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i].rlim_cur = p->rlim[i].rlim_max = RLIM_INFINITY;
	p->rlim[RLIMIT_STACK].rlim_cur = 8 * 1024 * 1024;
	p->rlim[RLIMIT_CORE].rlim_cur = 0;
	p->rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	p->rlim[RLIMIT_NOFILE].rlim_max = 4096;
	p->rlim[RLIMIT_NPROC].rlim_cur = p->rlim[RLIMIT_NPROC].rlim_max = 3724;
	p->rlim[RLIMIT_SIGPENDING].rlim_cur = p->rlim[RLIMIT_SIGPENDING].rlim_max = 3724;
	p->rlim[RLIMIT_MEMLOCK].rlim_cur = p->rlim[RLIMIT_MEMLOCK].rlim_max = 8 * 1024 * 1024;
	p->rlim[RLIMIT_MSGQUEUE].rlim_cur = p->rlim[RLIMIT_MSGQUEUE].rlim_max = 819200;
	p->rlim[RLIMIT_NICE].rlim_cur = p->rlim[RLIMIT_NICE].rlim_max = 0;
	p->rlim[RLIMIT_RTPRIO].rlim_cur = p->rlim[RLIMIT_RTPRIO].rlim_max = 0;
	return p;
}

/* Drops a reference to a process block; frees it at the last. */
void process_put(struct process *p)
{
	if (__atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(p);
}

/* Allocates a handler table with every signal at SIG_DFL; NULL when out of memory. */
struct sighand *sighand_alloc(void)
{
	struct sighand *sh = kzalloc(sizeof(*sh));

	if (!sh)
		return NULL;
	spin_init(&sh->lock, "sighand");
	sh->refcount = 1;
	return sh;
}

/* Drops a reference to a handler table. */
void sighand_put(struct sighand *sh)
{
	if (__atomic_sub_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sh);
}

pid_t task_pid(struct task *t) { return t->pid; }
pid_t task_tgid(struct task *t) { return t->tgid; }
pid_t task_pgid(struct task *t) { return t->proc->pgid; }
pid_t task_sid(struct task *t) { return t->proc->sid; }
struct vm_space *task_vm(struct task *t) { return t->vm; }
struct fd_table *task_files(struct task *t) { return t->files; }
struct fs_state *task_fs(struct task *t) { return t->fs; }
struct cred *task_cred(struct task *t) { return &t->cred; }
const char *task_comm(struct task *t) { return t->comm; }
struct tty *task_ctty(struct task *t) { return t->proc->ctty; }
uint64_t task_rlimit(struct task *t, int resource) { return READ_ONCE(t->proc->rlim[resource].rlim_cur); }

/* Sets the controlling tty of leader's session in every process of the session
 * (NULL detaches it). Takes tasks_lock. */
void session_set_ctty(struct task *leader, struct tty *tty)
{
	pid_t sid = leader->proc->sid;
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->proc->sid == sid)
			t->proc->ctty = tty;
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* Clears the controlling tty of the processes of session sid that have tty (see
 * proc.h). Takes tasks_lock. */
void session_drop_ctty(pid_t sid, struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->proc->sid == sid && t->proc->ctty == tty)
			t->proc->ctty = NULL;
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* The task with thread id pid, or NULL. Needs tasks_lock. */
static struct task *task_find_locked(pid_t pid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->pid == pid)
			return t;
	return NULL;
}

/* Finds a task by thread id; NULL when none (see proc.h for the lifetime rule). */
struct task *task_find(pid_t pid)
{
	struct task *found;
	uint64_t flags;

	if (pid <= 0)
		return NULL;
	flags = spin_lock_irqsave(&tasks_lock);
	found = task_find_locked(pid);
	spin_unlock_irqrestore(&tasks_lock, flags);
	return found;
}

/* Finds a task by thread id and takes a reference to it (task_put it); NULL when
 * none. Takes tasks_lock. */
struct task *task_find_get(pid_t pid)
{
	struct task *found;
	uint64_t flags;

	if (pid <= 0)
		return NULL;
	flags = spin_lock_irqsave(&tasks_lock);
	found = task_find_locked(pid);
	if (found)
		__atomic_add_fetch(&found->refcount, 1, __ATOMIC_ACQ_REL);
	spin_unlock_irqrestore(&tasks_lock, flags);
	return found;
}

/* True when a live process belongs to group pgid in session sid. Takes tasks_lock
 * unless the caller holds it. */
bool pgrp_exists_in_session(pid_t pgid, pid_t sid)
{
	bool held = spin_is_held(&tasks_lock), found = false;
	uint64_t flags = 0;
	struct task *t;

	if (!held)
		flags = spin_lock_irqsave(&tasks_lock);
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->proc->pgid == pgid && t->proc->sid == sid && t->state != TASK_ZOMBIE) {
			found = true;
			break;
		}
	}
	if (!held)
		spin_unlock_irqrestore(&tasks_lock, flags);
	return found;
}
