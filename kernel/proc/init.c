/*
 * init.c — PID 1: the first user process, started from kernel_main.
 */
#include "proc/task.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm.h"
#include <linux/fcntl.h>

struct init_start {
	const char *path;
	char *const *argv;
	char *const *envp;
	void (*late_init)(void);
};

/* Opens /dev/console as fds 0, 1 and 2; without it PID 1 runs with no fds, as on
 * Linux. */
static void init_open_console(struct task *t)
{
	struct file *con = vfs_open("/dev/console", O_RDWR, 0);

	if (IS_ERR(con)) {
		pr_warn("init: cannot open /dev/console (%ld)", PTR_ERR(con));
		return;
	}
	file_get(con);
	file_get(con);
	for (int i = 0; i < 3; i++)
		if (fd_install(t->files, con, 0) < 0)
			file_put(con);
}

/* PID 1's first code, on its own kernel stack: files, then exec into user mode. */
static __noreturn void init_main(void *p)
{
	struct init_start *s = p;
	struct task *t = current;
	int err;

	irq_enable();
	t->fs = fs_state_create();
	t->files = fd_table_create();
	if (IS_ERR_OR_NULL(t->fs) || IS_ERR_OR_NULL(t->files))
		panic("init: out of memory");
	init_open_console(t);
	if (s->late_init)
		s->late_init();
	err = exec_kernel(s->path, s->argv, s->envp);
	if (err)
		panic("init: cannot run %s (%d)", s->path, err);
	proc_return_to_user(t->user_frame);
	user_return_iret(t->user_frame);
}

/* Starts PID 1 running path, then turns the boot context into the idle task. */
void proc_start_init(const char *path, char *const argv[], char *const envp[],
		     void (*late_init)(void))
{
	static struct init_start start;
	struct task *t = task_alloc();
	uint64_t f;

	if (!t)
		panic("init: out of memory");
	t->proc = process_alloc();
	t->sighand = sighand_alloc();
	if (!t->proc || !t->sighand)
		panic("init: out of memory");
	start = (struct init_start){ path, argv, envp, late_init };
	t->group_leader = t;
	t->exit_signal_sigchld = true;
	strlcpy(t->comm, "init", sizeof(t->comm));
	t->user_frame = (struct trap_frame *)(task_kstack_top(t) - sizeof(struct trap_frame));
	task_prepare_stack(t, init_main, &start, (uint64_t)t->user_frame);
	f = spin_lock_irqsave(&tasks_lock);
	t->pid = t->tgid = 1;
	t->proc->tgid = 1;	/* group and session 0, as Linux's init_struct_pid */
	t->proc->live_threads = 1;
	list_add_tail(&t->all_link, &all_tasks);
	init_task = t;
	spin_unlock_irqrestore(&tasks_lock, f);
	sched_enqueue_new(t);
	sched_become_idle();
}
