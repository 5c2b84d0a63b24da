/*
 * process.c — process identity syscalls: ids, process groups and sessions, TLS
 * bases, the tid address, robust lists and resource limits.
 */
#include "proc/task.h"
#include "mm/mm.h"
#include <asm/prctl.h>
#include <linux/resource.h>

long sys_getpid(void) { return current->tgid; }
long sys_gettid(void) { return current->pid; }

long sys_getppid(void)
{
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	struct task *parent = current->group_leader->parent;
	pid_t ppid = parent ? parent->tgid : 0;

	spin_unlock_irqrestore(&tasks_lock, f);
	return ppid;
}

/* The leader of process pid (0 = the caller). Needs tasks_lock; NULL when none. */
static struct task *process_find_locked(pid_t pid)
{
	struct task *t;

	if (pid == 0)
		return current->group_leader;
	list_for_each_entry(t, &all_tasks, all_link)
		if (t->pid == pid && t == t->group_leader && !t->is_kthread)
			return t;
	return NULL;
}

/* getpgid / getsid: a field of process pid's block, or -ESRCH. */
static long process_id_get(pid_t pid, bool sid)
{
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	struct task *t = pid < 0 ? NULL : process_find_locked(pid);
	long ret = t ? (sid ? t->proc->sid : t->proc->pgid) : -ESRCH;

	spin_unlock_irqrestore(&tasks_lock, f);
	return ret;
}

long sys_getpgid(pid_t pid) { return process_id_get(pid, false); }
long sys_getsid(pid_t pid) { return process_id_get(pid, true); }
long sys_getpgrp(void) { return process_id_get(0, false); }

/* setpgid(2) with Linux's rules: ESRCH unless pid is the caller or its child,
 * EACCES for a child that exec'd, EPERM across sessions, for session leaders, or
 * for a group that does not exist in the caller's session. */
long sys_setpgid(pid_t pid, pid_t pgid)
{
	struct task *me = current->group_leader, *t;
	uint64_t f;
	long err = 0;

	if (pid == 0)
		pid = me->tgid;
	if (pgid == 0)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	f = spin_lock_irqsave(&tasks_lock);
	t = process_find_locked(pid);
	if (!t || (t != me && t->parent != me))
		err = -ESRCH;
	else if (t != me && t->proc->sid != me->proc->sid)
		err = -EPERM;
	else if (t != me && t->did_exec)
		err = -EACCES;
	else if (t->proc->sid == t->tgid)
		err = -EPERM;
	else if (pgid != t->tgid && !pgrp_exists_in_session(pgid, me->proc->sid))
		err = -EPERM;
	else
		t->proc->pgid = pgid;
	spin_unlock_irqrestore(&tasks_lock, f);
	return err;
}

/* setsid(2): a new session and group led by the caller, without a controlling tty;
 * EPERM when the caller already leads a process group. */
long sys_setsid(void)
{
	struct task *me = current->group_leader, *t;
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	long ret = me->tgid;

	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->proc->pgid == me->tgid) {
			ret = -EPERM;
			break;
		}
	}
	if (ret > 0) {
		me->proc->sid = me->proc->pgid = me->tgid;
		me->proc->ctty = NULL;
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	return ret;
}

long sys_set_tid_address(int __user *tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

long sys_set_robust_list(uint64_t head, size_t len)
{
	if (len != 24)
		return -EINVAL;
	current->robust_list = head;
	return 0;
}

/* get_robust_list(2): the robust list head of thread pid (0 = the caller) and its
 * size; ESRCH for no such thread. */
long sys_get_robust_list(pid_t pid, uint64_t __user *head_ptr, size_t __user *len_ptr)
{
	uint64_t head = 0;

	if (pid) {
		uint64_t f = spin_lock_irqsave(&tasks_lock);
		struct task *t;
		bool found = false;

		list_for_each_entry(t, &all_tasks, all_link) {
			if (t->pid == pid) {
				head = READ_ONCE(t->robust_list);
				found = true;
				break;
			}
		}
		spin_unlock_irqrestore(&tasks_lock, f);
		if (!found)
			return -ESRCH;
	} else {
		head = current->robust_list;
	}
	if (put_user((size_t)24, len_ptr))
		return -EFAULT;
	return put_user(head, head_ptr);
}

/* arch_prctl(2): the FS and GS bases (user TLS); EPERM for addresses outside the
 * user half, EINVAL for other codes. */
long sys_arch_prctl(int code, uint64_t addr)
{
	struct task *t = current;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_SPACE_END)
			return -EPERM;
		t->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_SET_GS:
		if (addr >= USER_SPACE_END)
			return -EPERM;
		t->gs_base = addr;
		wrmsr(MSR_KERNEL_GS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user(rdmsr(MSR_FS_BASE), (uint64_t __user *)addr);
	case ARCH_GET_GS:
		return put_user(t->gs_base, (uint64_t __user *)addr);
	default:
		return -EINVAL;
	}
}

/* prlimit64(2): reads and/or sets a limit of process pid (0 = the caller). */
long sys_prlimit64(pid_t pid, unsigned resource, const struct rlimit64 __user *unew,
		   struct rlimit64 __user *uold)
{
	struct rlimit64 new, old;
	struct task *t;
	uint64_t f;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (unew && new.rlim_cur > new.rlim_max)
		return -EINVAL;
	f = spin_lock_irqsave(&tasks_lock);
	t = pid < 0 ? NULL : process_find_locked(pid);
	if (!t) {
		spin_unlock_irqrestore(&tasks_lock, f);
		return -ESRCH;
	}
	old.rlim_cur = t->proc->rlim[resource].rlim_cur;
	old.rlim_max = t->proc->rlim[resource].rlim_max;
	if (unew) {
		t->proc->rlim[resource].rlim_cur = new.rlim_cur;
		t->proc->rlim[resource].rlim_max = new.rlim_max;
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_getrlimit(unsigned resource, struct rlimit __user *rlim)
{
	if (!rlim)
		return resource >= RLIM_NLIMITS ? -EINVAL : -EFAULT;
	return sys_prlimit64(0, resource, NULL, (struct rlimit64 __user *)rlim);
}

long sys_setrlimit(unsigned resource, const struct rlimit __user *rlim)
{
	if (!rlim)
		return resource >= RLIM_NLIMITS ? -EINVAL : -EFAULT;
	return sys_prlimit64(0, resource, (const struct rlimit64 __user *)rlim, NULL);
}
