/*
 * sched.c — the scheduler: a run queue per CPU (one CPU today), preemptive round
 * robin driven by the timer tick, timed sleeps, the idle task and kernel threads.
 *
 * A task sleeps by setting its state (prepare_to_wait) and calling schedule(); the
 * run queue lock orders that against task_wake(), so a wake-up between the two only
 * makes schedule() keep the task runnable.
 */
#include "proc/task.h"
#include "lib/log.h"
#include "mm/mm.h"

#undef current	/* this file sets struct cpu.current */

/* A CPU's runnable tasks and its timed sleepers. */
struct run_queue {
	spinlock_t lock;
	struct list_head queue;		/* runnable, not running; FIFO */
	struct list_head sleepers;	/* tasks with a wake_deadline */
	struct task *prev;		/* the task switched away from, for the finish */
	uint64_t switched_in_ns;	/* when current started running */
	/* CPU time of this CPU for /proc/stat, written by this CPU only: busy_ns is
	 * the run time of every task but idle, user_ns its user-mode part. */
	uint64_t busy_ns, user_ns;
	uint64_t switches;		/* context switches */
};
static struct run_queue run_queues[MAX_CPUS];

/* The run queue a task belongs to; every task runs on CPU 0 until SMP arrives. */
static struct run_queue *task_rq(struct task *t)
{
	return &run_queues[0];
}

/* Puts a runnable task at the back of its queue. Needs the queue's lock. */
static void rq_enqueue_locked(struct run_queue *rq, struct task *t)
{
	assert_held(&rq->lock);
	if (t->on_rq || t == this_cpu()->idle)
		return;
	t->on_rq = true;
	list_add_tail(&t->rq_link, &rq->queue);
}

/* Adds a task that never ran to its run queue. */
void sched_enqueue_new(struct task *t)
{
	struct run_queue *rq = task_rq(t);
	uint64_t flags = spin_lock_irqsave(&rq->lock);

	t->state = TASK_RUNNING;
	rq_enqueue_locked(rq, t);
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* Wakes t when it sleeps in one of the states allowed. */
static void task_wake_states(struct task *t, bool uninterruptible_too)
{
	struct run_queue *rq = task_rq(t);
	uint64_t flags = spin_lock_irqsave(&rq->lock);

	if (t->state == TASK_INTERRUPTIBLE ||
	    (uninterruptible_too && t->state == TASK_UNINTERRUPTIBLE)) {
		t->state = TASK_RUNNING;
		list_del(&t->sleep_link);
		t->wake_deadline = 0;
		/* A task still on its CPU (before its schedule(), or inside it: the
		 * switch holds this lock until the next task runs) only needs
		 * TASK_RUNNING: schedule() requeues it. Queueing it here would leave a
		 * running task on the queue, where an exit later left it dead. */
		if (!__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE)) {
			rq_enqueue_locked(rq, t);
			this_cpu()->need_resched = true;
		}
	}
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* Makes a sleeping task runnable; harmless for a running or dead one. Safe from
 * interrupt handlers. */
void task_wake(struct task *t)
{
	task_wake_states(t, true);
}

/* Wakes t only from an interruptible sleep (signal delivery). */
void task_wake_interruptible(struct task *t)
{
	task_wake_states(t, false);
}

/* Loads next's machine state: address space, kernel stack for traps, TLS bases and
 * FPU registers; saves prev's. Needs the run queue lock, interrupts off. */
static void switch_machine_state(struct task *prev, struct task *next)
{
	uint64_t top = task_kstack_top(next);

	if (prev->vm)
		prev->fs_base = rdmsr(MSR_FS_BASE);
	fpu_save(prev->fpu);
	if (next->vm != prev->vm) {
		if (next->vm)
			vm_space_activate(next->vm);
		else
			vm_space_activate_kernel();
	}
	tss_set_kernel_stack(top);
	this_cpu()->kernel_rsp = top;
	if (next->vm) {
		wrmsr(MSR_FS_BASE, next->fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
	}
	fpu_restore(next->fpu);
}

/* Runs after every switch on the new task's stack: marks the old task as off the
 * CPU, releases the run queue lock taken by schedule(), frees a dead task. */
void sched_finish_switch(void)
{
	struct run_queue *rq = &run_queues[this_cpu()->id];
	struct task *prev = rq->prev;

	rq->prev = NULL;
	if (prev)
		__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	spin_unlock(&rq->lock);
	if (prev && prev->state == TASK_DEAD)
		task_free(prev);
}

/* Charges the time since the current task was switched in to it, and its user-mode
 * stretch when it is switched out from user mode (preempted). */
static void account_run_time(struct run_queue *rq, struct task *t)
{
	uint64_t now = clock_monotonic_ns();

	if (now > rq->switched_in_ns) {
		t->run_ns += now - rq->switched_in_ns;
		if (t != this_cpu()->idle)
			rq->busy_ns += now - rq->switched_in_ns;
	}
	rq->switched_in_ns = now;
	if (t->user_since && now > t->user_since) {
		t->utime_ns += now - t->user_since;
		rq->user_ns += now - t->user_since;
	}
	t->user_since = 0;
	rq->switches++;
}

/* Entry from user mode: ends the current task's user-mode stretch. */
void proc_enter_from_user(void)
{
	struct task *t = current_task();
	uint64_t now = clock_monotonic_ns();

	if (t->user_since && now > t->user_since) {
		t->utime_ns += now - t->user_since;
		run_queues[this_cpu()->id].user_ns += now - t->user_since;
	}
	t->user_since = 0;
}

/* /proc/stat's numbers for CPU cpu: nanoseconds spent in user mode, in the kernel
 * for tasks, idle (the running stretch included), and its context switches. Takes
 * the CPU's run queue lock. */
void sched_cpu_stats(int cpu, uint64_t *user, uint64_t *system, uint64_t *idle,
		     uint64_t *switches)
{
	struct run_queue *rq = &run_queues[cpu];
	uint64_t flags = spin_lock_irqsave(&rq->lock);
	uint64_t now = clock_monotonic_ns(), busy = rq->busy_ns;
	uint64_t stretch = now > rq->switched_in_ns ? now - rq->switched_in_ns : 0;
	struct task *cur = cpus[cpu].current, *idle_task = cpus[cpu].idle;

	*idle = idle_task ? idle_task->run_ns : 0;
	if (cur && cur == idle_task)
		*idle += stretch;
	else if (cur)
		busy += stretch;
	*user = MIN(rq->user_ns, busy);
	*system = busy - *user;
	*switches = rq->switches;
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* The number of runnable tasks on this CPU's run queue, the running one included
 * (the load average samples it). Needs the queue's lock. */
static unsigned rq_nr_running_locked(struct run_queue *rq, struct task *cur)
{
	struct task *t;
	unsigned n = cur != this_cpu()->idle && cur->state == TASK_RUNNING;

	assert_held(&rq->lock);
	list_for_each_entry(t, &rq->queue, rq_link)
		n++;
	return n;
}

/* Splits t's CPU time into user and system parts. */
void task_times(struct task *t, uint64_t *utime, uint64_t *stime)
{
	uint64_t total = task_cpu_time_ns(t);

	*utime = MIN(t->utime_ns, total);
	*stime = total - *utime;
}

/* Gives up the CPU until woken or until deadline_ns (monotonic, 0 = none). A task
 * still TASK_RUNNING stays runnable (yield). */
void schedule_until(uint64_t deadline_ns)
{
	struct task *prev = current_task(), *next;
	struct cpu *cpu = this_cpu();
	struct run_queue *rq = &run_queues[cpu->id];
	uint64_t flags = irq_save();

	spin_lock(&rq->lock);
	if (prev->state == TASK_RUNNING)
		rq_enqueue_locked(rq, prev);
	else if (prev->on_rq && (prev->state == TASK_ZOMBIE || prev->state == TASK_DEAD)) {
		/* Woken (and queued) while still running, then it exited instead of
		 * sleeping: a dead task must never be picked again. */
		list_del(&prev->rq_link);
		prev->on_rq = false;
	} else if (deadline_ns && (prev->state == TASK_INTERRUPTIBLE || prev->state == TASK_UNINTERRUPTIBLE)) {
		prev->wake_deadline = deadline_ns;
		list_add_tail(&prev->sleep_link, &rq->sleepers);
	}
	next = list_empty(&rq->queue) ? cpu->idle : list_first_entry(&rq->queue, struct task, rq_link);
	if (next != cpu->idle) {
		list_del(&next->rq_link);
		next->on_rq = false;
	}
	cpu->need_resched = false;
	next->timeslice = TIMESLICE_TICKS;
	if (next == prev) {
		spin_unlock(&rq->lock);
		irq_restore(flags);
		return;
	}
	/* A task woken while it was still switching out on another CPU. */
	while (__atomic_load_n(&next->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	account_run_time(rq, prev);
	next->on_cpu = true;
	rq->prev = prev;
	switch_machine_state(prev, next);
	cpu->current = next;
	context_switch(&prev->saved_rsp, next->saved_rsp);
	sched_finish_switch();
	irq_restore(flags);
}

/* Gives up the CPU; see schedule_until. */
void schedule(void)
{
	schedule_until(0);
}

/* Switches away from an exiting task for good; sched_finish_switch frees it when
 * its state is TASK_DEAD. */
void sched_exit_current(void)
{
	schedule();
	panic("sched: a dead task was scheduled again");
}

/* Timer tick, interrupts off: wakes expired sleepers and ends the timeslice. */
void sched_tick(void)
{
	struct cpu *cpu = this_cpu();
	struct run_queue *rq = &run_queues[cpu->id];
	struct task *t, *tmp, *cur = cpu->current;
	uint64_t now = clock_monotonic_ns();

	if (!cur)
		return;
	spin_lock(&rq->lock);
	list_for_each_entry_safe(t, tmp, &rq->sleepers, sleep_link) {
		if (t->wake_deadline && t->wake_deadline <= now) {
			list_del(&t->sleep_link);
			t->wake_deadline = 0;
			t->state = TASK_RUNNING;
			rq_enqueue_locked(rq, t);
			cpu->need_resched = true;
		}
	}
	if (cur == cpu->idle) {
		if (!list_empty(&rq->queue))
			cpu->need_resched = true;
	} else if (--cur->timeslice <= 0) {
		cur->timeslice = TIMESLICE_TICKS;
		if (!list_empty(&rq->queue))
			cpu->need_resched = true;
	}
	if (cpu->id == 0 && loadavg_due(now))
		loadavg_sample(rq_nr_running_locked(rq, cur));
	spin_unlock(&rq->lock);
	itimer_tick(now);
	if (cur != cpu->idle)
		itimer_cpu_tick(cur);
	ktimer_tick(now);
}

/* CPU time t has used, including the running stretch when it is current. */
uint64_t task_cpu_time_ns(struct task *t)
{
	struct run_queue *rq = task_rq(t);
	uint64_t flags = spin_lock_irqsave(&rq->lock);
	uint64_t ns = t->run_ns;

	if (t == current_task()) {
		uint64_t now = clock_monotonic_ns();
		if (now > rq->switched_in_ns)
			ns += now - rq->switched_in_ns;
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return ns;
}

/* The idle loop: halts until an interrupt makes some task runnable. */
static __noreturn void idle_loop(void)
{
	for (;;) {
		irq_disable();
		if (this_cpu()->need_resched || !list_empty(&run_queues[this_cpu()->id].queue)) {
			irq_enable();
			schedule();
			continue;
		}
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

struct kthread_start_info {
	void (*fn)(void *);
	void *arg;
};

/* First code of a kernel thread (called from task_first_entry with the info). */
static __noreturn void kthread_main(void *p)
{
	struct kthread_start_info info = *(struct kthread_start_info *)p;

	kfree(p);
	irq_enable();
	info.fn(info.arg);
	do_exit(0);
}

/* Prepares t's kernel stack so that the first switch to it calls fn(arg) through
 * task_first_entry (switch.S pops r15 r14 r13 r12 rbx rbp, then returns). */
void task_prepare_stack(struct task *t, void (*fn)(void *), void *arg, uint64_t top)
{
	uint64_t *sp = (uint64_t *)(top & ~15UL);

	*--sp = (uint64_t)task_first_entry;	/* its ret leaves rsp 16-aligned */
	*--sp = 0;				/* rbp */
	*--sp = 0;				/* rbx */
	*--sp = (uint64_t)fn;			/* r12 */
	*--sp = (uint64_t)arg;			/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	t->saved_rsp = (uint64_t)sp;
}

/* Starts fn(arg) in a new kernel thread sharing nothing with user space. Returns
 * the task or NULL when out of memory. */
struct task *kthread_start(const char *name, void (*fn)(void *), void *arg)
{
	struct kthread_start_info *info = kmalloc(sizeof(*info));
	struct task *t = task_alloc();
	uint64_t flags;

	if (!info || !t)
		goto fail;
	t->proc = process_alloc();
	t->sighand = sighand_alloc();
	if (!t->proc || !t->sighand)
		goto fail;
	info->fn = fn;
	info->arg = arg;
	t->is_kthread = true;
	t->group_leader = t;
	strlcpy(t->comm, name, sizeof(t->comm));
	task_prepare_stack(t, kthread_main, info, task_kstack_top(t));
	flags = spin_lock_irqsave(&tasks_lock);
	t->pid = t->tgid = t->proc->tgid = pid_alloc();
	t->proc->live_threads = 1;
	list_add_tail(&t->all_link, &all_tasks);
	spin_unlock_irqrestore(&tasks_lock, flags);
	sched_enqueue_new(t);
	return t;

fail:
	if (t)
		task_free(t);
	kfree(info);
	return NULL;
}

/* Makes the boot context this CPU's idle task, then sets up the syscall MSRs. */
void proc_init(void)
{
	struct task *idle = task_alloc();
	struct cpu *cpu = this_cpu();

	if (!idle)
		panic("proc: no memory for the idle task");
	for (int i = 0; i < MAX_CPUS; i++) {
		spin_init(&run_queues[i].lock, "runqueue");
		list_init(&run_queues[i].queue);
		list_init(&run_queues[i].sleepers);
	}
	idle->proc = process_alloc();
	idle->sighand = sighand_alloc();
	if (!idle->proc || !idle->sighand)
		panic("proc: no memory for the idle task");
	idle->is_kthread = true;
	idle->group_leader = idle;
	idle->on_cpu = true;
	strlcpy(idle->comm, "swapper/0", sizeof(idle->comm));
	cpu->idle = idle;
	cpu->current = idle;
	syscall_msr_init();
}

/* Turns the boot context into the idle loop for good. */
__noreturn void sched_become_idle(void)
{
	irq_enable();
	idle_loop();
}
