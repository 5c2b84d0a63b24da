/*
 * proc.h — tasks (processes and threads), the scheduler, wait queues and signals:
 * what other subsystems use of kernel/proc/.
 *
 * A task is a thread. Threads of one process share its vm_space, fd table, fs state
 * and signal handlers (each shared structure is reference counted); the process is
 * named by its thread-group leader (tgid == leader's pid).
 */
#ifndef LUMEN_PROC_H
#define LUMEN_PROC_H

#include "lib/lib.h"
#include "lib/spinlock.h"
#include "arch/x86_64/arch.h"

struct vm_space;
struct fd_table;
struct fs_state;
struct tty;

/* ---- wait queues ---- */

/* Tasks sleeping for an event. `lock` protects `waiters`. */
struct wait_queue {
	spinlock_t lock;
	struct list_head waiters;
};
/* One task's place in a wait queue (it may sit in several at once, e.g. for poll),
 * or a callback's (func set: wake_up calls func instead of waking task). */
struct waiter {
	struct task *task;
	struct wait_queue *queue;
	struct list_head link;
	void (*func)(struct waiter *w);	/* called under queue->lock, interrupts off */
};
#define WAIT_QUEUE_INIT(name) { SPINLOCK_INIT("waitq"), LIST_HEAD_INIT((name).waiters) }
void wait_queue_init(struct wait_queue *wq);
/* Wakes every task waiting on wq. Safe from interrupt handlers. */
void wake_up(struct wait_queue *wq);
/* Queues w (for the current task) on wq and marks the task as about to sleep, so a
 * wake_up between this and schedule() is not lost. */
void prepare_to_wait(struct wait_queue *wq, struct waiter *w, bool interruptible);
void finish_wait(struct waiter *w);
/* Queues w on wq so that every wake_up(wq) calls func(w) (under wq->lock with
 * interrupts off: func may only take spinlocks ordered after it) until
 * wait_queue_remove(w). */
void wait_queue_add_callback(struct wait_queue *wq, struct waiter *w,
			     void (*func)(struct waiter *w));
/* Takes a callback waiter off its queue; after it returns func no longer runs. */
void wait_queue_remove(struct waiter *w);
/* True when the current task has a signal to handle (interrupts interruptible sleeps). */
bool signal_pending_current(void);

/*
 * Sleeps until `cond` holds. The _interruptible form returns -ERESTARTSYS when a
 * signal arrives first (syscalls return it; the signal code turns it into EINTR or a
 * restart). The _timeout form also returns -ETIMEDOUT at the monotonic deadline_ns.
 */
#define wait_event_common(wq, cond, interruptible, deadline_ns) ({		\
	int __ret = 0;								\
	struct waiter __w = { 0 };						\
	uint64_t __deadline = (deadline_ns);					\
	for (;;) {								\
		prepare_to_wait((wq), &__w, (interruptible));			\
		if (cond)							\
			break;							\
		if ((interruptible) && signal_pending_current()) {		\
			__ret = -ERESTARTSYS;					\
			break;							\
		}								\
		if (__deadline && clock_monotonic_ns() >= __deadline) {		\
			__ret = -ETIMEDOUT;					\
			break;							\
		}								\
		schedule_until(__deadline);					\
	}									\
	finish_wait(&__w);							\
	__ret;									\
})
#define wait_event(wq, cond) wait_event_common(wq, cond, false, 0)
#define wait_event_interruptible(wq, cond) wait_event_common(wq, cond, true, 0)
#define wait_event_interruptible_timeout(wq, cond, deadline_ns) \
	wait_event_common(wq, cond, true, deadline_ns)

/* ---- tasks ---- */
enum task_state { TASK_RUNNING, TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE, TASK_ZOMBIE, TASK_DEAD };

/* Supplementary groups, sorted; never changed once shared (setgroups installs a new
 * list). refcount: the credentials pointing to it. */
struct group_info {
	int refcount;
	int count;
	gid_t gids[];
};

/* Credentials; copied on fork (groups counted once more). */
struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	struct group_info *groups;	/* NULL when there are none */
};
void groups_get(struct group_info *g);
void groups_put(struct group_info *g);
/* True when c's fsgid or one of its supplementary groups is gid (permission checks). */
bool cred_in_group(const struct cred *c, gid_t gid);
/* setgroups(2) for the current task (count already checked): 0, -EFAULT, -ENOMEM. */
int groups_set_current(const gid_t __user *ulist, int count);
/* Another task's groups, counted (groups_put them); NULL for none. */
struct group_info *task_groups_get(struct task *t);

struct task;	/* defined in kernel/proc/task.h, private to kernel/proc/ */

/* The task running on this CPU. */
static inline struct task *current_task(void) { return this_cpu()->current; }
#define current current_task()

/* Accessors other subsystems need; the struct itself stays private to proc/. */
pid_t task_pid(struct task *t);		/* thread id */
pid_t task_tgid(struct task *t);	/* process id */
pid_t task_pgid(struct task *t);
pid_t task_sid(struct task *t);
struct vm_space *task_vm(struct task *t);
struct fd_table *task_files(struct task *t);
struct fs_state *task_fs(struct task *t);
struct cred *task_cred(struct task *t);
/* The controlling tty of t's session (NULL when none); tty code sets it. */
struct tty *task_ctty(struct task *t);
void session_set_ctty(struct task *leader, struct tty *tty);
/* Every process of session sid whose controlling tty is tty loses it (a hang-up).
 * Takes tasks_lock. */
void session_drop_ctty(pid_t sid, struct tty *tty);
/* The soft limit of RLIMIT_* resource for t's process (RLIM_INFINITY = ~0). */
uint64_t task_rlimit(struct task *t, int resource);
/* Name of the program (comm), up to 15 bytes. */
const char *task_comm(struct task *t);
/* Finds a task by thread id; NULL when none. Caller holds no reference: use it
 * only while holding tasks_lock, or for an immediate check. */
struct task *task_find(pid_t pid);
/* Finds a task by thread id and takes a reference that keeps the struct (and its
 * process block) valid after it exits; NULL when none. Takes tasks_lock. */
struct task *task_find_get(pid_t pid);
/* Drops a reference taken by task_find_get. */
void task_put(struct task *t);
extern spinlock_t tasks_lock;
/* For procfs: calls fn on each process (thread-group leader) with tasks_lock held, so
 * fn must not sleep. */
void task_for_each_process(void (*fn)(struct task *t, void *ctx), void *ctx);
/* The same for every user thread of every process (zombie leaders included). */
void task_for_each_thread(void (*fn)(struct task *t, void *ctx), void *ctx);
/* The parent process's tgid (0 for PID 1). */
pid_t task_ppid(struct task *t);
/* True when some process belongs to process group pgid in session sid. */
bool pgrp_exists_in_session(pid_t pgid, pid_t sid);
/* For tty job control (kernel/dev/tty_ioctl.c): true when t ignores or blocks sig;
 * true when process group pgid is orphaned (no member has a parent in another group
 * of the same session). */
bool signal_ignored_or_blocked(struct task *t, int sig);
bool pgrp_is_orphaned(pid_t pgid);

/* ---- figures for /proc (kernel/proc/stats.c) ---- */
struct cpu_stats {
	uint64_t user_ns, system_ns, idle_ns;	/* CPU time by kind */
	uint64_t switches, irqs;		/* context switches, interrupts */
};
struct task_counts {
	unsigned running, blocked, total;	/* runnable, uninterruptible, all live */
	pid_t last_pid;				/* the pid handed out last */
	uint64_t created;			/* tasks created since boot */
};
struct process_times {
	uint64_t utime_ns, stime_ns;		/* all its threads, exited ones too */
	uint64_t cutime_ns, cstime_ns;		/* its reaped children */
	uint64_t start_ns;			/* monotonic, when it was created */
	int threads;
};
/* What /proc/PID/status and stat say of one thread and its process. */
struct task_status {
	char state;				/* R, S, D, T or Z */
	int threads;				/* live threads of the process */
	uint64_t sig_pending, shared_pending;	/* bit sig-1 */
	uint64_t blocked, ignored, caught;
};
/* Fills s for t. Takes tasks_lock and t's sighand lock. */
void task_get_status(struct task *t, struct task_status *s);
/* Linux's name of a state letter ("sleeping" for 'S'...). */
const char *task_state_name(char state);
/* Sets t's comm (prctl(PR_SET_NAME), /proc/PID/comm); name is NUL-terminated. */
void task_set_comm(struct task *t, const char *name);
/* CPU cpu's figures since boot (< cpu_count); lock-free, each only grows. */
void proc_cpu_stats(int cpu, struct cpu_stats *out);
/* Live task counts, last pid and tasks created. Takes tasks_lock. */
void proc_task_counts(struct task_counts *out);
/* The 1, 5 and 15 minute load averages in hundredths (sampled every 5 s). */
void proc_loadavg(unsigned long hundredths[3]);
/* The CPU times and start of t's process. Takes tasks_lock. */
void task_process_times(struct task *t, struct process_times *out);

/* ---- scheduler ---- */
void proc_init(void);	/* the idle task; before anything may block */
/* Starts PID 1 executing `path` with argv; does not return. late_init (may be NULL)
 * runs first in PID 1's context, where drivers that wait for their devices can probe
 * (as Linux's kernel_init runs the initcalls before exec'ing init). */
__noreturn void proc_start_init(const char *path, char *const argv[], char *const envp[],
				void (*late_init)(void));
/* Runs fn(arg) in a kernel thread. */
struct task *kthread_start(const char *name, void (*fn)(void *), void *arg);
/* Gives up the CPU; the current task's state says whether it stays runnable. */
void schedule(void);
/* schedule(), but wakes up again by itself at deadline_ns (0 = no deadline). */
void schedule_until(uint64_t deadline_ns);
/* Makes a sleeping task runnable. */
void task_wake(struct task *t);
/* Called by the timer interrupt TIMER_HZ times a second. */
void sched_tick(void);

/* A one-shot kernel timer (kernel/proc/ktimer.c): fn runs from the timer tick, at
 * or after the deadline, with interrupts off and no lock held; it may re-arm. list_init
 * the link before first use. */
struct ktimer {
	struct list_head link;	/* on the armed list; ktimer.c's lock */
	uint64_t deadline;	/* monotonic ns; 0 when not armed */
	void (*fn)(struct ktimer *t);
};
/* Arms or moves t to fire at the monotonic deadline_ns. Takes the ktimer lock. */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns);
/* Disarms t; on return its function is not running anywhere and t may be freed. */
void ktimer_cancel(struct ktimer *t);
/* Called before returning to user mode from any trap or syscall: delivers pending
 * signals and reschedules when asked. */
void proc_return_to_user(struct trap_frame *frame);
/* Called first thing on an entry from user mode (the syscall entry does; trap
 * entry from user mode should too), so CPU time splits into user and system. */
void proc_enter_from_user(void);

/* ---- signals ---- */
/* Queues sig for process (thread group) / thread / process group. Returns 0 or -errno. */
int signal_send_process(pid_t tgid, int sig);
int signal_send_thread(struct task *t, int sig);
int signal_send_pgrp(pid_t pgid, int sig);
/* A synchronous fault in user mode (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) with
 * si_code and si_addr; delivered before the task returns to user mode. */
void signal_force_fault(int sig, int code, uint64_t addr);
/* For ppoll/pselect6 (as rt_sigsuspend): mask replaces the blocked signals until the
 * return to user mode, where a handler's frame gets the old mask and the old mask
 * comes back; signal_mask_restore brings it back at once when the wait was not
 * interrupted. Both take sighand->lock. */
void signal_mask_temporarily(uint64_t mask);
void signal_mask_restore(void);
/* For signalfd: the current task's lowest pending signal within mask is taken into
 * info and returned (0 when none); signal_pending_in tells which are pending. Both
 * take the sighand lock. signal_queued_wq is woken whenever any signal is queued
 * (one queue for all: signalfd pollers re-check their own task, and it never goes
 * away under an epoll item the way a sighand could). */
struct siginfo;
int signal_dequeue_mask(uint64_t mask, struct siginfo *info);
uint64_t signal_pending_in(uint64_t mask);
extern struct wait_queue signal_queued_wq;

#endif
