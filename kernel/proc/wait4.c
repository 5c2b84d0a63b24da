/*
 * wait4.c — waiting for child processes (wait4, waitid): exit, stop and continue
 * reports, with Linux's status encoding and rusage.
 */
#include "proc/task.h"
#include "lib/log.h"
#include "mm/mm.h"
#include <linux/wait.h>

/* What one wait found, gathered under tasks_lock and copied out after. */
struct wait_result {
	pid_t pid;
	uid_t uid;
	int status;		/* wait4's encoding */
	int why;		/* CLD_* for waitid */
	int code;		/* exit code or signal number, for waitid */
	uint64_t utime_ns, stime_ns;
};

/* True when child c matches the pid selector and clone-ness options. */
static bool wait_matches(struct task *c, pid_t pid, int options)
{
	if (!(options & __WALL) && !!(options & __WCLONE) != !c->exit_signal_sigchld)
		return false;
	if (pid > 0)
		return c->tgid == pid;
	if (pid == 0)
		return c->proc->pgid == current->proc->pgid;
	if (pid < -1)
		return c->proc->pgid == -pid;
	return true;
}

/* Reports zombie c; reaps it (accounts its times to the caller and unlinks it)
 * unless WNOWAIT. Needs tasks_lock; the caller frees a reaped task after. */
static void wait_zombie_locked(struct task *c, int options, struct wait_result *r)
{
	struct process *cp = c->proc, *pp = current->proc;
	int st = c->exit_code;

	r->pid = c->tgid;
	r->uid = c->cred.uid;
	r->status = st;
	r->why = (st & 0x7f) ? CLD_KILLED : CLD_EXITED;
	r->code = (st & 0x7f) ? (st & 0x7f) : (st >> 8) & 0xff;
	r->utime_ns = cp->dead_utime_ns;
	r->stime_ns = cp->dead_stime_ns;
	if (options & WNOWAIT)
		return;
	pp->child_utime_ns += cp->dead_utime_ns + cp->child_utime_ns;
	pp->child_stime_ns += cp->dead_stime_ns + cp->child_stime_ns;
	list_del(&c->sibling);
	list_del(&c->all_link);
}

/* Reports a stop or continue of c (why = CLD_STOPPED / CLD_CONTINUED); consumes it
 * unless WNOWAIT. Needs tasks_lock. */
static void wait_jobctl_locked(struct task *c, int options, int why, struct wait_result *r)
{
	r->pid = c->tgid;
	r->uid = c->cred.uid;
	r->why = why;
	r->code = why == CLD_STOPPED ? c->proc->stop_sig : SIGCONT;
	r->status = why == CLD_STOPPED ? (c->proc->stop_sig << 8) | 0x7f : 0xffff;
	if (!(options & WNOWAIT))
		c->proc->notify_parent = 0;
}

/* Looks for a child to report per options (WEXITED, WSTOPPED, WCONTINUED,
 * WNOWAIT). Returns 1 with *r filled (and *reaped set when the caller must free
 * it), 0 when children exist but none is ready, -ECHILD. Needs tasks_lock. */
static int wait_scan_locked(pid_t pid, int options, struct wait_result *r, struct task **reaped)
{
	struct task *c;
	bool any = false;

	list_for_each_entry(c, &current->group_leader->children, sibling) {
		if (!wait_matches(c, pid, options))
			continue;
		any = true;
		if ((options & WEXITED) && c->state == TASK_ZOMBIE && c->proc->live_threads == 0) {
			wait_zombie_locked(c, options, r);
			if (!(options & WNOWAIT))
				*reaped = c;
			return 1;
		}
		if ((options & WSTOPPED) && c->proc->notify_parent == CLD_STOPPED) {
			wait_jobctl_locked(c, options, CLD_STOPPED, r);
			return 1;
		}
		if ((options & WCONTINUED) && c->proc->notify_parent == CLD_CONTINUED) {
			wait_jobctl_locked(c, options, CLD_CONTINUED, r);
			return 1;
		}
	}
	return any ? 0 : -ECHILD;
}

/* Waits for a child per pid and options; returns 1 with *r filled, 0 (WNOHANG and
 * nothing ready), -ECHILD or -ERESTARTSYS. */
static int wait_common(pid_t pid, int options, struct wait_result *r)
{
	struct task *reaped = NULL;
	struct waiter w = { 0 };
	int found;

	for (;;) {
		uint64_t f;

		prepare_to_wait(&current->proc->child_wait, &w, true);
		f = spin_lock_irqsave(&tasks_lock);
		found = wait_scan_locked(pid, options, r, &reaped);
		spin_unlock_irqrestore(&tasks_lock, f);
		if (found || (options & WNOHANG))
			break;
		if (signal_pending_current()) {
			found = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&w);
	if (reaped) {
		/* It may still be switching away from its last CPU. */
		while (__atomic_load_n(&reaped->on_cpu, __ATOMIC_ACQUIRE))
			cpu_relax();
		task_free(reaped);
	}
	return found;
}

/* Fills a Linux struct rusage from CPU times. */
static void rusage_fill(struct rusage *ru, uint64_t utime_ns, uint64_t stime_ns)
{
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime.tv_sec = utime_ns / 1000000000;
	ru->ru_utime.tv_usec = utime_ns % 1000000000 / 1000;
	ru->ru_stime.tv_sec = stime_ns / 1000000000;
	ru->ru_stime.tv_usec = stime_ns % 1000000000 / 1000;
}

/* Copies the waited-for child's CPU times to ru unless it is NULL; 0 or -EFAULT. */
static int rusage_put(struct rusage __user *ru, const struct wait_result *r)
{
	struct rusage k;

	if (!ru)
		return 0;
	rusage_fill(&k, r->utime_ns, r->stime_ns);
	return copy_to_user(ru, &k, sizeof(k)) ? -EFAULT : 0;
}

/* wait4(2): waits for a child per pid and options; returns its pid, 0 (WNOHANG),
 * -ECHILD, -EINVAL, -EFAULT or -ERESTARTSYS. */
long sys_wait4(pid_t pid, int __user *status, int options, struct rusage __user *ru)
{
	struct wait_result r = { 0 };
	int found;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	found = wait_common(pid, options | WEXITED, &r);
	if (found <= 0)
		return found;
	if (status && put_user(r.status, status))
		return -EFAULT;
	if (rusage_put(ru, &r))
		return -EFAULT;
	return r.pid;
}

/* waitid(2): P_ALL, P_PID, P_PGID (0 = the caller's group); reports through a
 * siginfo (zeroed when WNOHANG finds nothing). */
long sys_waitid(int which, pid_t id, siginfo_t __user *uinfo, int options,
		struct rusage __user *ru)
{
	struct wait_result r = { 0 };
	siginfo_t info;
	pid_t pid;
	int found;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (which == P_ALL)
		pid = -1;
	else if (which == P_PID && id > 0)
		pid = id;
	else if (which == P_PGID && id >= 0)
		pid = id ? -id : 0;
	else
		return -EINVAL;
	found = wait_common(pid, options, &r);
	if (found < 0)
		return found;
	memset(&info, 0, sizeof(info));
	if (found) {
		info.si_signo = SIGCHLD;
		info.si_code = r.why;
		info.si_pid = r.pid;
		info.si_uid = r.uid;
		info.si_status = r.code;
	}
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	if (rusage_put(ru, &r))
		return -EFAULT;
	return 0;
}

/* getrusage's numbers for who = RUSAGE_SELF / CHILDREN / THREAD. */
void proc_rusage(int who, struct rusage *ru)
{
	struct process *p = current->proc;
	uint64_t ut, st, f = spin_lock_irqsave(&tasks_lock);
	struct task *t;

	if (who == RUSAGE_CHILDREN) {
		ut = p->child_utime_ns;
		st = p->child_stime_ns;
	} else if (who == RUSAGE_THREAD) {
		task_times(current, &ut, &st);
	} else {
		ut = p->dead_utime_ns;
		st = p->dead_stime_ns;
		list_for_each_entry(t, &all_tasks, all_link) {
			if (t->proc == p && t->state != TASK_ZOMBIE && t->state != TASK_DEAD) {
				uint64_t u, s;
				task_times(t, &u, &s);
				ut += u;
				st += s;
			}
		}
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	rusage_fill(ru, ut, st);
}
