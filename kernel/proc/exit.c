/*
 * exit.c — exit, exit_group and wait4: tasks become zombies, orphans go to PID 1,
 * the parent hears SIGCHLD (or reaps nothing when it asked not to), wait4 reaps.
 */
#include "proc/task.h"
#include "dev/dev.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm.h"
#include <linux/futex.h>

/* Linux's mm_release: releases the robust futexes t holds, clears the
 * clear_child_tid word and wakes a futex waiter on it (pthread_join), when the
 * task still has its address space. */
void exit_mm_release(struct task *t)
{
	int __user *tid = t->clear_child_tid;

	futex_exit_robust(t);
	t->clear_child_tid = NULL;
	if (!tid || !t->vm)
		return;
	if (put_user(0, tid) == 0)
		futex_wake_addr((uint64_t)tid, 1, FUTEX_BITSET_MATCH_ANY);
}

/* Drops the address space, files and fs state of the exiting current task. */
static void exit_release_resources(struct task *t)
{
	struct vm_space *vm = t->vm;

	if (vm) {
		uint64_t f = irq_save();
		t->vm = NULL;
		vm_space_activate_kernel();
		irq_restore(f);
		vm_space_put(vm);
	}
	if (t->files) {
		fd_table_put(t->files);
		t->files = NULL;
	}
	if (t->fs) {
		fs_state_put(t->fs);
		t->fs = NULL;
	}
}

/* A session leader's last thread exits: its tty drops the session (SIGHUP and
 * SIGCONT to the foreground group) and no process keeps it as controlling tty. */
static void exit_session_leader(struct task *t)
{
	struct task *leader = t->group_leader;
	struct tty *tty = leader->proc->ctty;

	if (!tty || leader->proc->sid != leader->tgid || READ_ONCE(t->proc->live_threads) > 1)
		return;
	tty_session_leader_exit(tty);
	session_set_ctty(leader, NULL);
}

/* Frees a reaped task once it has left its last CPU (it may still be switching
 * away on another one). */
static void task_free_when_off_cpu(struct task *t)
{
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	task_free(t);
}

/* Removes a reaped or auto-reaped process leader from the table. Needs tasks_lock. */
static void exit_unlink_locked(struct task *t)
{
	list_del(&t->sibling);
	list_del(&t->all_link);
	list_del(&t->thread_link);
}

/* The whole process has exited: tell the parent, or reap at once when the parent
 * ignores SIGCHLD. Returns true when leader was auto-reaped. Needs tasks_lock. */
static bool exit_notify_parent(struct task *leader)
{
	struct process *p = leader->proc;
	int status = leader->exit_code;
	int why = (status & 0x7f) ? ((status & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED;

	assert_held(&tasks_lock);
	if (!leader->parent) {
		exit_unlink_locked(leader);
		return true;
	}
	if (signal_notify_parent(leader, why, (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff)) {
		struct process *pp = leader->parent->proc;
		pp->child_utime_ns += p->dead_utime_ns + p->child_utime_ns;
		pp->child_stime_ns += p->dead_stime_ns + p->child_stime_ns;
		exit_unlink_locked(leader);
		return true;
	}
	wake_up(&leader->parent->proc->child_wait);
	return false;
}

/* Gives the children of the exiting process leader to PID 1; init hears about the
 * zombies among them as if they had just exited. Needs tasks_lock. */
static void exit_reparent_children(struct task *leader)
{
	struct task *c, *tmp;

	assert_held(&tasks_lock);
	if (!init_task || leader == init_task)
		return;
	list_for_each_entry_safe(c, tmp, &leader->children, sibling) {
		list_del(&c->sibling);
		c->parent = init_task;
		list_add_tail(&c->sibling, &init_task->children);
		pgrp_orphaned_by_exit_locked(c, leader);
		if (c->state == TASK_ZOMBIE && c->proc->live_threads == 0 && exit_notify_parent(c)) {
			c->state = TASK_DEAD;
			task_free_when_off_cpu(c);
		}
	}
}

/* Ends the current thread with wait status `status`; the process ends with its
 * last thread. Never returns. */
void do_exit(int status)
{
	struct task *t = current, *leader = t->group_leader;
	struct process *p = t->proc;
	uint64_t utime, stime, f;
	bool last, reaped = false;

	if (t->tgid == 1 && !t->is_kthread && p->live_threads <= 1)
		panic("Attempted to kill init! exitcode=0x%08x", status);
	exit_mm_release(t);
	vfork_release(t);
	exit_release_resources(t);
	exit_session_leader(t);
	task_times(t, &utime, &stime);

	if (READ_ONCE(p->live_threads) == 1)
		itimer_cancel(p);
	f = spin_lock_irqsave(&tasks_lock);
	last = --p->live_threads == 0;
	p->dead_utime_ns += utime;
	p->dead_stime_ns += stime;
	if (p->group_exit)
		status = p->group_exit_code;
	if (t == leader || last)
		leader->exit_code = status;
	if (last) {
		exit_reparent_children(leader);
		pgrp_orphaned_by_exit_locked(leader, NULL);
	}
	if (t != leader) {
		exit_unlink_locked(t);
		if (last && leader->state == TASK_ZOMBIE)
			reaped = exit_notify_parent(leader);
	} else if (last) {
		reaped = exit_notify_parent(leader);
	}
	/* A reaped leader that is not us was already switched out for good. */
	if (reaped && leader != t)
		leader->state = TASK_DEAD;
	WRITE_ONCE(t->state, (t != leader || reaped) ? TASK_DEAD : TASK_ZOMBIE);
	spin_unlock(&tasks_lock);
	if (p->exec_task)
		wake_up(&p->stop_wait);
	if (reaped && leader != t)
		task_free_when_off_cpu(leader);
	irq_disable();
	(void)f;
	sched_exit_current();
}

/* Makes every thread of the process exit with `status`, then exits. */
void do_group_exit(int status)
{
	struct process *p = current->proc;
	uint64_t f = spin_lock_irqsave(&current->sighand->lock);

	if (!p->group_exit) {
		p->group_exit = true;
		p->group_exit_code = status;
	}
	spin_unlock_irqrestore(&current->sighand->lock, f);
	signal_kill_other_threads(current);
	do_exit(status);
}

long sys_exit(int code)
{
	do_exit((code & 0xff) << 8);
}

long sys_exit_group(int code)
{
	do_group_exit((code & 0xff) << 8);
}
