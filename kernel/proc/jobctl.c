/*
 * jobctl.c — questions the tty layer and procfs ask about processes and process
 * groups: the parent, the list of processes, blocked or ignored signals, orphaned
 * groups (POSIX: a group none of whose members has a parent in another group of the
 * same session; its members get EIO instead of SIGTTIN/SIGTTOU).
 */
#include "proc/task.h"

void task_for_each_process(void (*fn)(struct task *t, void *ctx), void *ctx)
{
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->group_leader == t && !t->is_kthread)
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
