/*
 * task.h — struct task and the structures threads share, private to kernel/proc/.
 *
 * Locking legend, one tag per field:
 *   [T] tasks_lock: the task table, parent/child links, pgid/sid, exit state
 *   [R] the owning CPU's run queue lock: state, run-queue and sleep links
 *   [S] sighand->lock: handlers, blocked masks and pending sets of every thread
 *       using that sighand
 *   [C] only the task itself (current) touches it
 *   [I] immutable after creation
 */
#ifndef LUMEN_PROC_TASK_H
#define LUMEN_PROC_TASK_H

#include "proc/proc.h"
#include <asm/signal.h>
#include <asm-generic/siginfo.h>
#include <linux/resource.h>

#define KERNEL_STACK_SIZE (16 * 1024)
#define SIG_COUNT 64
#define TIMESLICE_TICKS 5	/* 20 ms at TIMER_HZ 250 */
#define sigbit(sig) (1UL << ((sig) - 1))

/* Linux's x86_64 kernel sigaction, as rt_sigaction passes it. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/* Signal handlers, shared by CLONE_SIGHAND threads (refcount under lock). */
struct sighand {
	spinlock_t lock;
	int refcount;
	struct k_sigaction action[SIG_COUNT];	/* [S] index sig - 1 */
};

/* Signals waiting for delivery: a bit per signal and its first siginfo. */
struct sigpending {
	uint64_t set;
	siginfo_t info[SIG_COUNT];
};

/*
 * What the threads of one process share beyond the refcounted resources: the
 * process-wide pending signals, job-control state, session and limits.
 * Freed when the last thread is reaped (refcount = threads not yet freed).
 */
struct process {
	int refcount;			/* [T] */
	int live_threads;		/* [T] threads not yet exited */
	struct sigpending shared_pending;	/* [S] */
	bool group_exit;		/* [S] exit_group, fatal signal or exec under way */
	struct task *exec_task;		/* [S] the thread exec'ing, spared by group_exit */
	int group_exit_code;		/* [S] wait status of the whole process */
	bool stopped;			/* [S] job-control stop in effect */
	int stop_sig;			/* [S] */
	int notify_parent;		/* [T] 0, CLD_STOPPED or CLD_CONTINUED, for wait4 */
	pid_t pgid, sid;		/* [T] */
	struct tty *ctty;		/* [T] the session's controlling tty (leader's copy) */
	struct rlimit rlim[RLIM_NLIMITS];	/* [C] */
	uint64_t child_utime_ns, child_stime_ns;	/* [T] reaped children */
	uint64_t dead_utime_ns, dead_stime_ns;	/* [T] exited threads */
	struct wait_queue child_wait;	/* wait4 sleeps here */
	struct wait_queue stop_wait;	/* threads of a stopped process sleep here */
	uint64_t itimer_deadline;	/* [itimer_lock] ITIMER_REAL expiry, 0 = off */
	uint64_t itimer_interval;	/* [itimer_lock] reload, 0 = one-shot */
	struct list_head itimer_link;	/* [itimer_lock] in the armed list */
	/* ITIMER_VIRTUAL and ITIMER_PROF, indexed which - 1: the process CPU time
	 * (user, user + system) at which each fires, 0 = off, and its reload. */
	uint64_t cpu_itimer_expires[2];	/* [itimer_lock] */
	uint64_t cpu_itimer_incr[2];	/* [itimer_lock] */
	pid_t tgid;			/* [I] for SIGALRM */
};

/* A thread. Allocated by task_alloc with one reference, the owner's (the task
 * table's until reaped); task_find_get adds more (procfs), task_free drops the
 * owner's, task_put the others; the last one frees it. */
struct task {
	int refcount;			/* atomic */
	pid_t pid;			/* [I] thread id */
	pid_t tgid;			/* [I] process id = leader's pid */
	struct task *group_leader;	/* [I] */
	struct list_head thread_link;	/* [T] in the leader's threads list */
	struct list_head threads;	/* [T] leader only */
	struct task *parent;		/* [T] leader only: the parent process's leader */
	struct list_head children;	/* [T] leaders of child processes */
	struct list_head sibling;	/* [T] in parent->children */
	struct list_head all_link;	/* [T] in the global task list */

	enum task_state state;		/* [R] */
	bool on_rq;			/* [R] queued on a run queue */
	bool on_cpu;			/* [R] running on some CPU right now */
	struct list_head rq_link;	/* [R] */
	struct list_head sleep_link;	/* [R] in the timed-sleep list */
	uint64_t wake_deadline;		/* [R] monotonic ns, 0 = none */
	int timeslice;			/* [R] ticks left */
	uint64_t run_ns;		/* [R] CPU time used, for the CPU-time clocks */
	uint64_t utime_ns;		/* [R] user-mode part of run_ns */
	uint64_t user_since;		/* [R] when it last returned to user mode, 0 = in kernel */
	uint64_t start_ns;		/* [I] monotonic ns at creation */

	int exit_code;			/* [T] wait status while a zombie */
	bool exit_signal_sigchld;	/* [I] tell the parent with SIGCHLD */
	bool is_kthread;		/* [I] */

	void *kstack;			/* [I] KERNEL_STACK_SIZE bytes */
	uint64_t saved_rsp;		/* [R] while switched out */
	void *fpu_raw;			/* [I] allocation holding fpu */
	void *fpu;			/* [C] 64-byte aligned FPU area */
	uint64_t fs_base, gs_base;	/* [C] user TLS bases */
	struct trap_frame *user_frame;	/* [C] this task's user register frame */

	struct vm_space *vm;		/* [C] NULL for kernel threads */
	struct fd_table *files;		/* [C] */
	struct fs_state *fs;		/* [C] */
	struct sighand *sighand;	/* [C] pointer; contents [S] */
	struct process *proc;		/* [I] */
	uint64_t blocked;		/* [S] */
	uint64_t saved_blocked;		/* [C] rt_sigsuspend's mask to restore */
	bool restore_blocked;		/* [C] */
	struct sigpending pending;	/* [S] this thread only */
	uint64_t altstack_sp, altstack_size;	/* [C] */
	int altstack_flags;		/* [C] */
	struct cred cred;		/* [C] */
	char comm[16];			/* [C] */
	int __user *set_child_tid;	/* [C] */
	int __user *clear_child_tid;	/* [C] */
	struct task *vfork_parent;	/* [T] woken at exec or exit */
	struct wait_queue vfork_wait;	/* this task sleeps here during vfork */
	bool vfork_done;		/* [T] the vfork child exec'd or exited */
	bool did_exec;			/* [T] for setpgid's EACCES */
	/* restart_syscall(2): what an interrupted sleep resumes (ERESTART_RESTARTBLOCK). */
	long (*restart_fn)(void);	/* [C] */
	uint64_t restart_deadline;	/* [C] monotonic ns, or the CPU-time clock's target */
	int restart_clock;		/* [C] the CPU-time clock a sleep waits on */
	void __user *restart_rem;	/* [C] */
	uint64_t robust_list;		/* [C] set_robust_list's head */
};

extern struct list_head all_tasks;
extern struct task *init_task;

/* task.c */
struct task *task_alloc(void);
void task_free(struct task *t);
pid_t pid_alloc(void);
void pid_stats(pid_t *last, uint64_t *created);
struct process *process_alloc(void);
void process_put(struct process *p);
struct sighand *sighand_alloc(void);
void sighand_put(struct sighand *sh);
uint64_t task_kstack_top(struct task *t);

/* sched.c */
void sched_enqueue_new(struct task *t);
void task_wake_interruptible(struct task *t);
void task_prepare_stack(struct task *t, void (*fn)(void *), void *arg, uint64_t top);
__noreturn void sched_become_idle(void);
void sched_finish_switch(void);
void sched_exit_current(void) __noreturn;
uint64_t task_cpu_time_ns(struct task *t);
void task_times(struct task *t, uint64_t *utime, uint64_t *stime);
void sched_cpu_stats(int cpu, uint64_t *user, uint64_t *system, uint64_t *idle,
		     uint64_t *switches);

/* stats.c */
bool loadavg_due(uint64_t now);
void loadavg_sample(unsigned nr_running);
/* p's CPU time, exited threads included: user time and user + system time (ns).
 * Takes tasks_lock. */
void process_cpu_sample(struct process *p, uint64_t *user, uint64_t *total);

/* switch.S and syscall_entry.S */
void context_switch(uint64_t *old_rsp, uint64_t new_rsp);
void task_first_entry(void);
__noreturn void user_return_iret(struct trap_frame *frame);
void syscall_msr_init(void);

/* signal.c */
void signal_deliver(struct trap_frame *frame);
bool signal_ignored_default(int sig, uint64_t handler);
/* Fills info as a signal sent by the current process (SI_USER, its tgid and uid). */
void siginfo_user(siginfo_t *info, int sig);
int signal_send_info(struct task *t, int sig, siginfo_t *info, bool group);
int signal_send_info_locked(struct task *t, int sig, siginfo_t *info, bool group);
int signal_send_pgrp_locked(pid_t pgid, int sig);
/* Linux's kill_orphaned_pgrp: when t's group is orphaned by an exit (t's own, with
 * parent NULL, or the group of a child t of the exiting parent) and has a stopped
 * process, the group gets SIGHUP and SIGCONT. Needs tasks_lock. */
void pgrp_orphaned_by_exit_locked(struct task *t, struct task *parent);
void signal_exec_reset(struct task *t);
bool signal_notify_parent(struct task *leader, int why, int status);
void signal_kill_other_threads(struct task *t);
uint64_t signal_pending_mask(struct task *t);

/* fork.c */
void vfork_release(struct task *t);

/* exec_thread.c */
int exec_unshare_threads(struct task *t);

/* exec.c */
int exec_kernel(const char *path, char *const argv[], char *const envp[]);

/* exit.c */
__noreturn void do_exit(int status);
__noreturn void do_group_exit(int status);
void exit_mm_release(struct task *t);

/* wait4.c */
struct rusage;
void proc_rusage(int who, struct rusage *ru);

/* itimer.c */
void itimer_tick(uint64_t now);
/* Fires cur's process's ITIMER_VIRTUAL/ITIMER_PROF when its CPU time reached them;
 * from the tick of the CPU running cur. */
void itimer_cpu_tick(struct task *cur);
/* Runs the kernel timers whose deadline passed (ktimer.c); from the tick. */
void ktimer_tick(uint64_t now);
void itimer_cancel(struct process *p);

/* robust.c */
void futex_exit_robust(struct task *t);

/* futex.c */
int futex_wake_addr(uint64_t uaddr, int count, uint32_t bitset);

#endif
