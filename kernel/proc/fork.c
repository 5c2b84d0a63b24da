/*
 * fork.c — fork, vfork and clone: a new task copying or sharing the caller's
 * address space, files, fs state, signal handlers and process.
 */
#include "proc/task.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm.h"
#include <linux/sched.h>

/* First code of a forked task: reports its tid when asked, then leaves for user
 * mode through the copied frame with rax = 0. */
static __noreturn void fork_child_entry(void *unused)
{
	struct task *t = current;

	irq_enable();
	if (t->set_child_tid)
		put_user(t->pid, t->set_child_tid);
	proc_return_to_user(t->user_frame);
	user_return_iret(t->user_frame);
}

/* Linux's checks of the clone flags that make no sense together. */
static int clone_flags_check(uint64_t flags)
{
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & (CLONE_PARENT | CLONE_THREAD)) && current->tgid == 1)
		return -EINVAL;
	if (flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
		     CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_PIDFD))
		return -EINVAL;
	return 0;
}

/* clone3's CLONE_CLEAR_SIGHAND: every caught signal goes back to its default
 * action; ignored ones stay ignored. The child is not running yet. */
static void clone_clear_handlers(struct sighand *sh)
{
	for (int i = 0; i < SIG_COUNT; i++) {
		if (sh->action[i].handler == (uint64_t)SIG_IGN)
			continue;
		memset(&sh->action[i], 0, sizeof(sh->action[i]));
	}
}

/* Gives the child its own or shared vm, files, fs state and handlers. */
static int clone_resources(struct task *child, uint64_t flags)
{
	struct task *parent = current;

	if (flags & CLONE_VM) {
		vm_space_get(parent->vm);
		child->vm = parent->vm;
	} else {
		child->vm = vm_space_clone(parent->vm);
		if (IS_ERR_OR_NULL(child->vm))
			return child->vm ? PTR_ERR(child->vm) : -ENOMEM;
	}
	if (flags & CLONE_FILES) {
		fd_table_get(parent->files);
		child->files = parent->files;
	} else if (parent->files) {
		child->files = fd_table_clone(parent->files);
		if (IS_ERR_OR_NULL(child->files))
			return child->files ? PTR_ERR(child->files) : -ENOMEM;
	}
	if (flags & CLONE_FS) {
		fs_state_get(parent->fs);
		child->fs = parent->fs;
	} else if (parent->fs) {
		child->fs = fs_state_clone(parent->fs);
		if (IS_ERR_OR_NULL(child->fs))
			return child->fs ? PTR_ERR(child->fs) : -ENOMEM;
	}
	if (flags & CLONE_SIGHAND) {
		__atomic_add_fetch(&parent->sighand->refcount, 1, __ATOMIC_RELAXED);
		child->sighand = parent->sighand;
	} else {
		child->sighand = sighand_alloc();
		if (!child->sighand)
			return -ENOMEM;
		uint64_t f = spin_lock_irqsave(&parent->sighand->lock);
		memcpy(child->sighand->action, parent->sighand->action, sizeof(child->sighand->action));
		spin_unlock_irqrestore(&parent->sighand->lock, f);
		if (flags & CLONE_CLEAR_SIGHAND)
			clone_clear_handlers(child->sighand);
	}
	return 0;
}

/* Drops what clone_resources took (for a child that never ran). */
static void clone_resources_drop(struct task *child)
{
	if (!IS_ERR_OR_NULL(child->vm))
		vm_space_put(child->vm);
	if (!IS_ERR_OR_NULL(child->files))
		fd_table_put(child->files);
	if (!IS_ERR_OR_NULL(child->fs))
		fs_state_put(child->fs);
}

/* The child's process block: the parent's for a thread, else a copy. */
static int clone_process(struct task *child, uint64_t flags)
{
	struct process *pp = current->proc;

	if (flags & CLONE_THREAD) {
		__atomic_add_fetch(&pp->refcount, 1, __ATOMIC_RELAXED);
		child->proc = pp;
		return 0;
	}
	child->proc = process_alloc();
	if (!child->proc)
		return -ENOMEM;
	child->proc->pgid = pp->pgid;
	child->proc->sid = pp->sid;
	child->proc->ctty = pp->ctty;
	memcpy(child->proc->rlim, pp->rlim, sizeof(pp->rlim));
	return 0;
}

/* Copies the registers, FPU state and TLS of the caller into the child. */
static void clone_registers(struct task *child, uint64_t flags, uint64_t newsp, uint64_t tls)
{
	struct task *parent = current;

	child->user_frame = (struct trap_frame *)(task_kstack_top(child) - sizeof(struct trap_frame));
	*child->user_frame = *parent->user_frame;
	child->user_frame->rax = 0;
	if (newsp)
		child->user_frame->rsp = newsp;
	fpu_save(parent->fpu);
	memcpy(child->fpu, parent->fpu, fpu_state_size());
	child->fs_base = (flags & CLONE_SETTLS) ? tls : rdmsr(MSR_FS_BASE);
	child->gs_base = parent->gs_base;
	task_prepare_stack(child, fork_child_entry, NULL, (uint64_t)child->user_frame);
}

/* Links the child into the task table and its parent or thread group. Returns the
 * child's pid or -EAGAIN. Takes tasks_lock. */
static pid_t clone_link(struct task *child, uint64_t flags)
{
	struct task *leader = current->group_leader;
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	pid_t pid = pid_alloc();

	if (pid < 0) {
		spin_unlock_irqrestore(&tasks_lock, f);
		return pid;
	}
	child->pid = pid;
	if (flags & CLONE_THREAD) {
		child->tgid = leader->tgid;
		child->group_leader = leader;
		list_add_tail(&child->thread_link, &leader->threads);
	} else {
		child->tgid = pid;
		child->proc->tgid = pid;
		child->group_leader = child;
		child->parent = (flags & CLONE_PARENT) ? leader->parent : leader;
		list_add_tail(&child->sibling, &child->parent->children);
	}
	child->proc->live_threads++;
	if (flags & CLONE_VFORK)
		child->vfork_parent = current;
	list_add_tail(&child->all_link, &all_tasks);
	spin_unlock_irqrestore(&tasks_lock, f);
	return pid;
}

/* Creates a task per the clone flags (see clone(2)). Returns the child's tid to
 * the caller, or -errno with nothing changed. */
static long do_clone(uint64_t flags, uint64_t newsp, int __user *parent_tid,
		     int __user *child_tid, uint64_t tls)
{
	struct task *child;
	pid_t pid;
	int err = clone_flags_check(flags);

	if (err)
		return err;
	child = task_alloc();
	if (!child)
		return -ENOMEM;
	err = clone_resources(child, flags);
	if (err)
		goto drop_resources;
	err = clone_process(child, flags);
	if (err)
		goto drop_resources;
	child->exit_signal_sigchld = !(flags & CLONE_THREAD) && (flags & CSIGNAL) == SIGCHLD;
	child->cred = current->cred;
	groups_get(child->cred.groups);
	memcpy(child->comm, current->comm, sizeof(child->comm));
	child->blocked = current->blocked;
	if (!(flags & CLONE_VM) || (flags & CLONE_VFORK)) {
		child->altstack_sp = current->altstack_sp;
		child->altstack_size = current->altstack_size;
		child->altstack_flags = current->altstack_flags;
	}
	if (flags & CLONE_CHILD_SETTID)
		child->set_child_tid = child_tid;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = child_tid;
	clone_registers(child, flags, newsp, tls);
	pid = clone_link(child, flags);
	if (pid < 0) {
		err = pid;
		goto drop_resources;
	}
	if (flags & CLONE_PARENT_SETTID)
		put_user(pid, parent_tid);
	if (flags & CLONE_VFORK)
		current->vfork_done = false;
	sched_enqueue_new(child);
	if (flags & CLONE_VFORK)
		wait_event(&current->vfork_wait, READ_ONCE(current->vfork_done));
	return pid;

drop_resources:
	clone_resources_drop(child);
	task_free(child);
	return err;
}

long sys_fork(void)
{
	return do_clone(SIGCHLD, 0, NULL, NULL, 0);
}

long sys_vfork(void)
{
	return do_clone(CLONE_VFORK | CLONE_VM | SIGCHLD, 0, NULL, NULL, 0);
}

long sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid,
	       int __user *child_tid, unsigned long tls)
{
	return do_clone(flags & 0xffffffffUL, newsp, parent_tid, child_tid, tls);
}

/* Reads clone3's struct clone_args as Linux's copy_clone_args_from_user does: a
 * size of at least version 0 and at most a page; bytes past the struct we know
 * must be zero (E2BIG). */
static int clone3_copy_args(struct clone_args *args, const void __user *uargs, size_t size)
{
	uint8_t extra[64];

	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(args, 0, sizeof(*args));
	if (copy_from_user(args, uargs, MIN(size, sizeof(*args))))
		return -EFAULT;
	for (size_t off = sizeof(*args); off < size; off += sizeof(extra)) {
		size_t n = MIN(sizeof(extra), size - off);

		if (copy_from_user(extra, (const uint8_t __user *)uargs + off, n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (extra[i])
				return -E2BIG;
	}
	return 0;
}

/* Linux's checks of clone3 arguments beyond the flag combinations. set_tid (pid
 * namespaces, checkpoint/restore) and CLONE_INTO_CGROUP have nothing to act on
 * here and are refused with EINVAL. */
static int clone3_args_check(const struct clone_args *a)
{
	if (a->set_tid_size > 32)
		return -EINVAL;
	if (!a->set_tid != !a->set_tid_size)
		return -EINVAL;
	if (a->exit_signal & ~(uint64_t)CSIGNAL)
		return -EINVAL;
	if ((a->flags & CLONE_INTO_CGROUP) && a->cgroup > INT32_MAX)
		return -EINVAL;
	if (a->flags & ~(0xffffffffULL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
		return -EINVAL;
	if ((a->flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((a->flags & (CLONE_THREAD | CLONE_PARENT)) && a->exit_signal)
		return -EINVAL;
	if (!a->stack != !a->stack_size)
		return -EINVAL;
	if (a->stack && !access_ok((void __user *)a->stack, a->stack_size))
		return -EINVAL;
	if (a->set_tid_size || (a->flags & CLONE_INTO_CGROUP))
		return -EINVAL;
	return 0;
}

/* clone3(2): clone with its arguments in a versioned struct; the new stack is
 * [stack, stack + stack_size). Returns the child's tid or -errno. */
long sys_clone3(struct clone_args __user *uargs, size_t size)
{
	struct clone_args a;
	int err = clone3_copy_args(&a, uargs, size);

	if (err)
		return err;
	err = clone3_args_check(&a);
	if (err)
		return err;
	return do_clone((a.flags & ~(uint64_t)CSIGNAL) | a.exit_signal,
			a.stack ? a.stack + a.stack_size : 0, (int __user *)a.parent_tid,
			(int __user *)a.child_tid, a.tls);
}

/* Wakes the vfork parent waiting for t to exec or exit, if any. The parent sleeps
 * uninterruptibly, so it outlives this call. */
void vfork_release(struct task *t)
{
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	struct task *parent = t->vfork_parent;

	t->vfork_parent = NULL;
	if (parent)
		WRITE_ONCE(parent->vfork_done, true);
	spin_unlock_irqrestore(&tasks_lock, f);
	if (parent)
		wake_up(&parent->vfork_wait);
}
