/*
 * jobctl.c — questions the tty layer and procfs ask about processes and process
 * groups: the parent, the list of processes, blocked or ignored signals, orphaned
 * groups (POSIX: a group none of whose members has a parent in another group of the
 * same session; its members get EIO instead of SIGTTIN/SIGTTOU, and an exit that
 * orphans a group with a stopped member sends it SIGHUP and SIGCONT).
 */
#include "proc/task.h"
#include "lib/log.h"

void task_for_each_process(void (*fn)(struct task *t, void *ctx), void *ctx)
{
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->group_leader == t && !t->is_kthread)
			fn(t, ctx);
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* See proc.h: fn on every user thread, tasks_lock held. */
void task_for_each_thread(void (*fn)(struct task *t, void *ctx), void *ctx)
{
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (!t->is_kthread && t->state != TASK_DEAD)
			fn(t, ctx);
	spin_unlock_irqrestore(&tasks_lock, flags);
}

pid_t task_ppid(struct task *t)
{
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	struct task *parent = t->group_leader->parent;
	pid_t ppid = parent && !parent->is_kthread ? parent->tgid : 0;

	spin_unlock_irqrestore(&tasks_lock, flags);
	return ppid;
}

/* Takes t's sighand lock. */
bool signal_ignored_or_blocked(struct task *t, int sig)
{
	struct sighand *sh = t->sighand;
	uint64_t flags = spin_lock_irqsave(&sh->lock);
	bool result = (t->blocked & sigbit(sig)) ||
		      sh->action[sig - 1].handler == (uint64_t)SIG_IGN;

	spin_unlock_irqrestore(&sh->lock, flags);
	return result;
}

/* Takes tasks_lock. */
bool pgrp_is_orphaned(pid_t pgid)
{
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	bool orphaned = true;
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link) {
		struct task *parent = t->group_leader->parent;

		if (t->group_leader != t || t->proc->pgid != pgid || t->state == TASK_ZOMBIE)
			continue;
		if (parent && parent->proc->pgid != pgid && parent->proc->sid == t->proc->sid) {
			orphaned = false;
			break;
		}
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return orphaned;
}

/* True when no process of group pgid but `ignored` (and zombies) has a parent in
 * another group of the same session; PID 1 links no group. Needs tasks_lock. */
static bool pgrp_will_be_orphaned_locked(pid_t pgid, struct task *ignored)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link) {
		struct task *parent = t->parent;

		if (t->group_leader != t || t->proc->pgid != pgid || t == ignored ||
		    t->state == TASK_ZOMBIE || !parent || parent == init_task)
			continue;
		if (parent->proc->pgid != pgid && parent->proc->sid == t->proc->sid)
			return false;
	}
	return true;
}

/* True when a process of group pgid is stopped. Needs tasks_lock. */
static bool pgrp_has_stopped_locked(pid_t pgid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->group_leader == t && t->proc->pgid == pgid && READ_ONCE(t->proc->stopped))
			return true;
	return false;
}

void pgrp_orphaned_by_exit_locked(struct task *t, struct task *parent)
{
	struct task *ignored = parent ? NULL : t;
	pid_t pgid = t->proc->pgid;

	assert_held(&tasks_lock);
	if (!parent)
		parent = t->parent;
	if (!parent || parent->proc->pgid == pgid || parent->proc->sid != t->proc->sid)
		return;
	if (!pgrp_will_be_orphaned_locked(pgid, ignored) || !pgrp_has_stopped_locked(pgid))
		return;
	signal_send_pgrp_locked(pgid, SIGHUP);
	signal_send_pgrp_locked(pgid, SIGCONT);
}
