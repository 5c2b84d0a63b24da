/*
 * signal.c — the signal syscalls: handlers, masks, the alternate stack, waiting for
 * signals and sending them.
 */
#include "proc/task.h"
#include "mm/mm.h"
#include <linux/signal.h>

#define UNBLOCKABLE (sigbit(SIGKILL) | sigbit(SIGSTOP))
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
		  SA_NODEFER | SA_RESETHAND | SA_RESTORER | SA_EXPOSE_TAGBITS)

long sys_rt_sigaction(int sig, const struct k_sigaction __user *act,
		      struct k_sigaction __user *oact, size_t sigsetsize)
{
	struct sighand *sh = current->sighand;
	struct k_sigaction new = { 0 }, old;
	uint64_t f;

	if (sigsetsize != sizeof(uint64_t) || sig < 1 || sig > SIG_COUNT)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	new.flags &= SA_KNOWN;
	new.mask &= ~UNBLOCKABLE;
	f = spin_lock_irqsave(&sh->lock);
	old = sh->action[sig - 1];
	if (act) {
		sh->action[sig - 1] = new;
		/* Setting SIG_IGN (or SIG_DFL of an ignored-by-default signal) discards
		 * what is pending, as POSIX asks. */
		if (signal_ignored_default(sig, new.handler)) {
			current->proc->shared_pending.set &= ~sigbit(sig);
			current->pending.set &= ~sigbit(sig);
		}
	}
	spin_unlock_irqrestore(&sh->lock, f);
	if (oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const uint64_t __user *set, uint64_t __user *oset,
			size_t sigsetsize)
{
	struct task *t = current;
	uint64_t new = 0, old, f;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (set && copy_from_user(&new, set, sizeof(new)))
		return -EFAULT;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	f = spin_lock_irqsave(&t->sighand->lock);
	old = t->blocked;
	if (set) {
		if (how == SIG_BLOCK)
			t->blocked |= new;
		else if (how == SIG_UNBLOCK)
			t->blocked &= ~new;
		else
			t->blocked = new;
		t->blocked &= ~UNBLOCKABLE;
	}
	spin_unlock_irqrestore(&t->sighand->lock, f);
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(uint64_t __user *uset, size_t sigsetsize)
{
	struct task *t = current;
	uint64_t set, f;

	if (sigsetsize > sizeof(uint64_t))
		return -EINVAL;
	f = spin_lock_irqsave(&t->sighand->lock);
	set = (t->pending.set | t->proc->shared_pending.set) & t->blocked;
	spin_unlock_irqrestore(&t->sighand->lock, f);
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

/* Sleeps until a signal is pending (pause, sigsuspend). Returns -ERESTARTNOHAND. */
static long signal_wait_any(void)
{
	struct wait_queue never;

	wait_queue_init(&never);
	wait_event_interruptible(&never, false);
	return -ERESTARTNOHAND;
}

long sys_rt_sigsuspend(const uint64_t __user *uset, size_t sigsetsize)
{
	uint64_t set;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	signal_mask_temporarily(set);
	return signal_wait_any();
}

long sys_pause(void)
{
	return signal_wait_any();
}

long sys_sigaltstack(const stack_t __user *uss, stack_t __user *uoss)
{
	struct task *t = current;
	uint64_t sp = t->user_frame->rsp;
	bool on = t->altstack_size && sp > t->altstack_sp && sp <= t->altstack_sp + t->altstack_size;
	stack_t old = {
		.ss_sp = (void *)t->altstack_sp,
		.ss_size = t->altstack_size,
		.ss_flags = on ? SS_ONSTACK : (t->altstack_size ? t->altstack_flags : SS_DISABLE),
	};
	stack_t ss;

	if (uss) {
		int mode;

		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		mode = ss.ss_flags & ~SS_FLAG_BITS;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			t->altstack_sp = t->altstack_size = 0;
			t->altstack_flags = 0;
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			t->altstack_sp = (uint64_t)ss.ss_sp;
			t->altstack_size = ss.ss_size;
			t->altstack_flags = ss.ss_flags & SS_FLAG_BITS;
		}
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* May the current task signal t? Root may signal anyone; others need a matching
 * real or effective uid, as Linux's kill_ok_by_cred. */
static bool kill_permitted(struct task *t, int sig)
{
	struct cred *c = &current->cred;

	if (c->euid == 0)
		return true;
	if (sig == SIGCONT && t->proc->sid == current->proc->sid)
		return true;
	return c->euid == t->cred.suid || c->euid == t->cred.uid ||
	       c->uid == t->cred.suid || c->uid == t->cred.uid;
}

/* kill(2): pid > 0 one process, 0 the caller's group, -1 everyone but init and
 * the caller, < -1 group -pid; sig 0 only checks. */
long sys_kill(pid_t pid, int sig)
{
	siginfo_t info;
	struct task *t;
	uint64_t f;
	int found = 0, sent = 0, denied = 0;

	if (sig < 0 || sig > SIG_COUNT)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	siginfo_user(&info, sig);
	f = spin_lock_irqsave(&tasks_lock);
	list_for_each_entry(t, &all_tasks, all_link) {
		bool match;

		if (t != t->group_leader || t->is_kthread)
			continue;
		if (pid > 0)
			match = t->tgid == pid;
		else if (pid == 0)
			match = t->proc->pgid == current->proc->pgid;
		else if (pid == -1)
			match = t->tgid != 1 && t->tgid != current->tgid;
		else
			match = t->proc->pgid == -pid;
		if (!match)
			continue;
		found++;
		if (!kill_permitted(t, sig)) {
			denied++;
			continue;
		}
		if (sig)
			signal_send_info_locked(t, sig, &info, true);
		sent++;
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	if (!found)
		return -ESRCH;
	return sent ? 0 : (denied ? -EPERM : 0);
}

/* Sends sig with info to thread tid (of process tgid unless -1), or to the whole
 * process tid when group. Returns 0, -ESRCH, -EPERM or -EINVAL. */
static long send_to(pid_t tgid, pid_t tid, int sig, siginfo_t *info, bool group)
{
	struct task *t;
	uint64_t f;
	long err = -ESRCH;

	f = spin_lock_irqsave(&tasks_lock);
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->pid != tid || (tgid != -1 && t->tgid != tgid) || t->is_kthread)
			continue;
		if (group && t != t->group_leader)
			continue;
		if (sig < 0 || sig > SIG_COUNT)
			err = -EINVAL;
		else if (!kill_permitted(t, sig))
			err = -EPERM;
		else
			err = sig ? signal_send_info_locked(t, sig, info, group) : 0;
		break;
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	return err;
}

/* tgkill/tkill: one thread, optionally checked to belong to tgid. */
static long kill_thread(pid_t tgid, pid_t tid, int sig)
{
	siginfo_t info;

	if (tid <= 0 || (tgid != -1 && tgid <= 0) || sig < 0 || sig > SIG_COUNT)
		return -EINVAL;
	siginfo_user(&info, sig);
	info.si_code = SI_TKILL;
	return send_to(tgid, tid, sig, &info, false);
}

long sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	return kill_thread(tgid, tid, sig);
}

long sys_tkill(pid_t tid, int sig)
{
	return kill_thread(-1, tid, sig);
}

/* The caller's siginfo for rt_sigqueueinfo/rt_tgsigqueueinfo: only the kernel may
 * claim a kernel or tkill origin when signalling another task (EPERM). */
static long queueinfo_copy(siginfo_t *info, const siginfo_t __user *uinfo, int sig, pid_t self_target)
{
	if (copy_from_user(info, uinfo, sizeof(*info)))
		return -EFAULT;
	info->si_signo = sig;
	if ((info->si_code >= 0 || info->si_code == SI_TKILL) && current->pid != self_target)
		return -EPERM;
	return 0;
}

/* rt_sigqueueinfo(2): a signal with the caller's siginfo to process tgid. */
long sys_rt_sigqueueinfo(pid_t tgid, int sig, const siginfo_t __user *uinfo)
{
	siginfo_t info;
	long err = queueinfo_copy(&info, uinfo, sig, tgid);

	if (err)
		return err;
	if (tgid <= 0)
		return -ESRCH;
	return send_to(-1, tgid, sig, &info, true);
}

/* rt_tgsigqueueinfo(2): a signal with the caller's siginfo to thread tid of tgid
 * (pthread_sigqueue). */
long sys_rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, const siginfo_t __user *uinfo)
{
	siginfo_t info;
	long err;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	err = queueinfo_copy(&info, uinfo, sig, tid);
	if (err)
		return err;
	return send_to(tgid, tid, sig, &info, false);
}
