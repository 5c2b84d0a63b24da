/*
 * signal.c — generating signals: pending sets, the side effects of SIGCONT, SIGKILL
 * and the stop signals, SIGCHLD to parents, and faults.
 *
 * Lock order: tasks_lock, then a sighand lock. Every sender takes tasks_lock so it
 * may walk thread lists and reach parents.
 */
#include "proc/task.h"
#include "lib/log.h"

#define STOP_SIGS (sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU))

/* True when sig's default action is to ignore it. */
static bool sig_default_ignore(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* True when handler means the signal is discarded (SIG_IGN, or SIG_DFL of a signal
 * ignored by default). */
bool signal_ignored_default(int sig, uint64_t handler)
{
	return handler == (uint64_t)SIG_IGN || (handler == (uint64_t)SIG_DFL && sig_default_ignore(sig));
}

/* The thread group of t's leader, one thread at a time: leader first. */
#define for_each_thread(leader, t)						\
	for (t = (leader); t; t = (t == (leader) ? 				\
		(list_empty(&(leader)->threads) ? NULL : list_first_entry(&(leader)->threads, struct task, thread_link)) : \
		(t->thread_link.next == &(leader)->threads ? NULL : list_entry(t->thread_link.next, struct task, thread_link))))

/* Removes the signals in mask from every pending set of t's process. Needs the
 * sighand lock and tasks_lock. */
static void signal_flush_mask_locked(struct task *leader, uint64_t mask)
{
	struct task *t;

	leader->proc->shared_pending.set &= ~mask;
	for_each_thread(leader, t)
		t->pending.set &= ~mask;
}

/* The stop/continue side effects of generating sig for t's process. Returns the
 * CLD_CONTINUED notification to send, or 0. Needs tasks_lock and the sighand lock. */
static int signal_prepare_locked(struct task *t, int sig)
{
	struct process *p = t->proc;
	struct task *leader = t->group_leader;
	int notify = 0;

	if (sig == SIGCONT || sig == SIGKILL) {
		if (sig == SIGCONT)
			signal_flush_mask_locked(leader, STOP_SIGS);
		if (p->stopped) {
			p->stopped = false;
			if (sig == SIGCONT) {
				p->notify_parent = CLD_CONTINUED;
				notify = CLD_CONTINUED;
			}
			wake_up(&p->stop_wait);
		}
	} else if (sigbit(sig) & STOP_SIGS) {
		signal_flush_mask_locked(leader, sigbit(SIGCONT));
	}
	return notify;
}

/* Picks the thread that should handle a process-wide signal and wakes it (every
 * thread for SIGKILL). Needs tasks_lock and the sighand lock. */
static void signal_wake_target_locked(struct task *t, int sig, bool group)
{
	struct task *leader = t->group_leader, *th;

	if (!group) {
		task_wake_interruptible(t);
		return;
	}
	for_each_thread(leader, th) {
		if (th->state == TASK_ZOMBIE || th->state == TASK_DEAD)
			continue;
		if (sig == SIGKILL || !(th->blocked & sigbit(sig))) {
			task_wake_interruptible(th);
			if (sig != SIGKILL)
				return;
		}
	}
}

/* Woken whenever a signal is queued, for signalfd's pollers (see proc.h). */
struct wait_queue signal_queued_wq = WAIT_QUEUE_INIT(signal_queued_wq);

/* Queues sig with info for thread t (group = false) or its whole process. Needs
 * tasks_lock. Returns 0 or -EINVAL. */
int signal_send_info_locked(struct task *t, int sig, siginfo_t *info, bool group)
{
	struct sighand *sh = t->sighand;
	struct sigpending *pend;
	int notify;
	uint64_t handler;

	assert_held(&tasks_lock);
	if (sig < 1 || sig > SIG_COUNT)
		return -EINVAL;
	if (t->group_leader->state == TASK_DEAD || t->proc->live_threads == 0)
		return 0;
	spin_lock(&sh->lock);
	notify = signal_prepare_locked(t, sig);
	handler = sh->action[sig - 1].handler;
	if (!(t->blocked & sigbit(sig)) && signal_ignored_default(sig, handler) && sig != SIGKILL) {
		spin_unlock(&sh->lock);
		goto notify;
	}
	pend = group ? &t->proc->shared_pending : &t->pending;
	if (!(pend->set & sigbit(sig))) {
		pend->set |= sigbit(sig);
		pend->info[sig - 1] = *info;
	}
	signal_wake_target_locked(t, sig, group);
	spin_unlock(&sh->lock);
	wake_up(&signal_queued_wq);
notify:
	if (notify)
		signal_notify_parent(t->group_leader, notify, SIGCONT);
	return 0;
}

/* Queues sig with info for thread t or its process; takes tasks_lock. */
int signal_send_info(struct task *t, int sig, siginfo_t *info, bool group)
{
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	int err = signal_send_info_locked(t, sig, info, group);

	spin_unlock_irqrestore(&tasks_lock, f);
	return err;
}

/* A siginfo for a signal sent by the current task with kill(2)'s SI_USER. */
void siginfo_user(siginfo_t *info, int sig)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_USER;
	info->si_pid = current ? current->tgid : 0;
	info->si_uid = current ? current->cred.uid : 0;
}

/* Sends sig to the process tgid. Returns 0, -ESRCH or -EINVAL. */
int signal_send_process(pid_t tgid, int sig)
{
	siginfo_t info;
	struct task *t;
	uint64_t f;
	int err = -ESRCH;

	siginfo_user(&info, sig);
	f = spin_lock_irqsave(&tasks_lock);
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->pid == tgid && t->tgid == tgid && !t->is_kthread) {
			err = sig ? signal_send_info_locked(t, sig, &info, true) : 0;
			break;
		}
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	return err;
}

/* Sends sig to thread t. Returns 0 or -EINVAL. */
int signal_send_thread(struct task *t, int sig)
{
	siginfo_t info;

	siginfo_user(&info, sig);
	info.si_code = SI_TKILL;
	return sig ? signal_send_info(t, sig, &info, false) : 0;
}

/* signal_send_pgrp with tasks_lock held. */
int signal_send_pgrp_locked(pid_t pgid, int sig)
{
	siginfo_t info;
	struct task *t;
	int err = -ESRCH;

	assert_held(&tasks_lock);
	siginfo_user(&info, sig);
	info.si_code = SI_KERNEL;
	info.si_pid = 0;
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->proc->pgid == pgid && t == t->group_leader && !t->is_kthread &&
		    t->state != TASK_ZOMBIE) {
			int e = sig ? signal_send_info_locked(t, sig, &info, true) : 0;
			if (err)
				err = e;
		}
	}
	return err;
}

/* Sends sig to every process of group pgid (from the tty: kernel-sent). Returns 0
 * or -ESRCH when the group is empty. Safe from interrupt handlers. */
int signal_send_pgrp(pid_t pgid, int sig)
{
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	int err = signal_send_pgrp_locked(pgid, sig);

	spin_unlock_irqrestore(&tasks_lock, f);
	return err;
}

/*
 * Tells leader's parent that the process exited, was killed, stopped or continued
 * (why = CLD_*): SIGCHLD unless the parent asked otherwise, and a wake-up of its
 * wait4. Returns true when the parent ignores SIGCHLD or set SA_NOCLDWAIT, so an
 * exited child must be reaped at once. Needs tasks_lock.
 */
bool signal_notify_parent(struct task *leader, int why, int status)
{
	struct task *parent = leader->parent;
	struct k_sigaction act;
	bool exited = why == CLD_EXITED || why == CLD_KILLED || why == CLD_DUMPED;
	bool autoreap = false, send = true;
	siginfo_t info;

	assert_held(&tasks_lock);
	if (!parent)
		return false;
	spin_lock(&parent->sighand->lock);
	act = parent->sighand->action[SIGCHLD - 1];
	spin_unlock(&parent->sighand->lock);
	if (exited) {
		autoreap = act.handler == (uint64_t)SIG_IGN || (act.flags & SA_NOCLDWAIT);
		send = leader->exit_signal_sigchld;
	} else if (act.flags & SA_NOCLDSTOP) {
		send = false;
	}
	if (send) {
		memset(&info, 0, sizeof(info));
		info.si_signo = SIGCHLD;
		info.si_code = why;
		info.si_pid = leader->tgid;
		info.si_uid = leader->cred.uid;
		info.si_status = status;
		signal_send_info_locked(parent, SIGCHLD, &info, true);
	}
	wake_up(&parent->proc->child_wait);
	return autoreap;
}

/* Wakes every other thread of t's process so it sees the group exit. */
void signal_kill_other_threads(struct task *t)
{
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	struct task *th;

	for_each_thread(t->group_leader, th)
		if (th != t)
			task_wake_interruptible(th);
	spin_unlock_irqrestore(&tasks_lock, f);
}

/* The signals pending for t and not blocked. Needs t's sighand lock. */
uint64_t signal_pending_mask(struct task *t)
{
	return (t->pending.set | t->proc->shared_pending.set) & ~t->blocked;
}

/* True when the current task must stop sleeping interruptibly: an unblocked signal,
 * a group exit or a job-control stop. */
bool signal_pending_current(void)
{
	struct task *t = current;

	if (!t || t->is_kthread)
		return false;
	return (READ_ONCE(t->pending.set) | READ_ONCE(t->proc->shared_pending.set)) & ~READ_ONCE(t->blocked) ||
	       (READ_ONCE(t->proc->group_exit) && READ_ONCE(t->proc->exec_task) != t);
}

/* ppoll/pselect6/rt_sigsuspend: blocks mask (never SIGKILL or SIGSTOP) instead of
 * the current mask until the return to user mode, which restores the saved one after
 * a handler's frame recorded it. Takes sighand->lock. */
void signal_mask_temporarily(uint64_t mask)
{
	struct task *t = current;
	uint64_t f = spin_lock_irqsave(&t->sighand->lock);

	t->saved_blocked = t->blocked;
	t->restore_blocked = true;
	t->blocked = mask & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	spin_unlock_irqrestore(&t->sighand->lock, f);
}

/* Ends a signal_mask_temporarily mask now (the call was not interrupted), so the
 * signals it let through stay pending instead of being delivered. Takes
 * sighand->lock. */
void signal_mask_restore(void)
{
	struct task *t = current;
	uint64_t f;

	if (!t->restore_blocked)
		return;
	f = spin_lock_irqsave(&t->sighand->lock);
	t->blocked = t->saved_blocked;
	t->restore_blocked = false;
	spin_unlock_irqrestore(&t->sighand->lock, f);
}

/*
 * A fault in user mode: queues sig for the current thread with si_code and si_addr.
 * When the program blocks or ignores it, the action goes back to default (it would
 * fault forever otherwise), as Linux's force_sig_fault.
 */
void signal_force_fault(int sig, int code, uint64_t addr)
{
	struct task *t = current;
	struct sighand *sh = t->sighand;
	siginfo_t info;
	uint64_t f;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = (void *)addr;
	f = spin_lock_irqsave(&tasks_lock);
	spin_lock(&sh->lock);
	if ((t->blocked & sigbit(sig)) || sh->action[sig - 1].handler == (uint64_t)SIG_IGN) {
		sh->action[sig - 1].handler = (uint64_t)SIG_DFL;
		t->blocked &= ~sigbit(sig);
	}
	spin_unlock(&sh->lock);
	signal_send_info_locked(t, sig, &info, false);
	spin_unlock_irqrestore(&tasks_lock, f);
}

/* execve: caught signals go back to SIG_DFL (ignored ones stay ignored). The table
 * is made private first when threads shared it. */
void signal_exec_reset(struct task *t)
{
	struct sighand *sh = t->sighand;
	uint64_t f;

	if (__atomic_load_n(&sh->refcount, __ATOMIC_ACQUIRE) > 1) {
		struct sighand *n = sighand_alloc();
		if (n) {
			f = spin_lock_irqsave(&sh->lock);
			memcpy(n->action, sh->action, sizeof(n->action));
			spin_unlock_irqrestore(&sh->lock, f);
			t->sighand = n;
			sighand_put(sh);
			sh = n;
		}
	}
	f = spin_lock_irqsave(&sh->lock);
	for (int i = 0; i < SIG_COUNT; i++) {
		struct k_sigaction *a = &sh->action[i];
		if (a->handler != (uint64_t)SIG_IGN) {
			memset(a, 0, sizeof(*a));
		} else {
			a->flags = 0;
			a->mask = 0;
			a->restorer = 0;
		}
	}
	spin_unlock_irqrestore(&sh->lock, f);
}
