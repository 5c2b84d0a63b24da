/*
 * exec_thread.c — execve in a multi-threaded process: the other threads exit and
 * the exec'ing thread becomes the process's only thread (and its leader, taking
 * over the process id), as Linux's de_thread.
 */
#include "proc/task.h"
#include "lib/log.h"

/* Makes t (a non-leader) the leader of its process in place of the exited old
 * leader: t takes its pid, parent and children. Needs tasks_lock. */
static void exec_take_leadership_locked(struct task *t)
{
	struct task *old = t->group_leader, *c, *tmp;

	assert_held(&tasks_lock);
	list_del(&t->thread_link);
	t->pid = old->pid;
	t->group_leader = t;
	t->parent = old->parent;
	t->exit_signal_sigchld = true;
	list_add_tail(&t->sibling, &old->sibling);
	list_del(&old->sibling);
	list_for_each_entry_safe(c, tmp, &old->children, sibling) {
		list_del(&c->sibling);
		c->parent = t;
		list_add_tail(&c->sibling, &t->children);
	}
	list_del(&old->all_link);
	old->state = TASK_DEAD;
}

/* Ends every other thread of t's process and waits until they are gone; then t
 * leads the process alone. Returns 0, or -EAGAIN when another exit_group won. */
int exec_unshare_threads(struct task *t)
{
	struct process *p = t->proc;
	struct task *old = NULL;
	uint64_t f;

	if (READ_ONCE(p->live_threads) == 1 && t == t->group_leader)
		return 0;
	f = spin_lock_irqsave(&t->sighand->lock);
	if (p->group_exit) {
		spin_unlock_irqrestore(&t->sighand->lock, f);
		return -EAGAIN;
	}
	p->group_exit = true;
	p->group_exit_code = 0;
	p->exec_task = t;
	spin_unlock_irqrestore(&t->sighand->lock, f);
	signal_kill_other_threads(t);
	wait_event(&p->stop_wait, READ_ONCE(p->live_threads) == 1);

	f = spin_lock_irqsave(&tasks_lock);
	if (t != t->group_leader) {
		old = t->group_leader;
		exec_take_leadership_locked(t);
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	f = spin_lock_irqsave(&t->sighand->lock);
	p->group_exit = false;
	p->exec_task = NULL;
	spin_unlock_irqrestore(&t->sighand->lock, f);
	if (old) {
		while (__atomic_load_n(&old->on_cpu, __ATOMIC_ACQUIRE))
			cpu_relax();
		task_free(old);
	}
	return 0;
}
