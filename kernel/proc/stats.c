/*
 * stats.c — the scheduler's and the task table's figures that /proc shows: CPU time
 * per CPU, task counts, the load average, a process's CPU times and start time.
 *
 * The load average is Linux's: every LOAD_FREQ the timer tick on CPU 0 samples the
 * runnable tasks into three exponentially decaying averages (1, 5 and 15 minutes),
 * in fixed point with FSHIFT fraction bits. Only that tick writes avenrun; readers
 * read each word once. Tasks in uninterruptible sleep are not counted (Lumen has
 * no per-queue count of them the tick could read without tasks_lock).
 */
#include "proc/task.h"

#define FSHIFT 11
#define FIXED_1 (1UL << FSHIFT)
#define LOAD_FREQ_NS (5 * 1000000000ULL + 1000000000ULL / TIMER_HZ)
/* FIXED_1 / exp(5 s / 1 min), / exp(5 s / 5 min), / exp(5 s / 15 min). */
static const unsigned long load_exp[3] = { 1884, 2014, 2037 };

static unsigned long avenrun[3];
static uint64_t next_sample_ns = LOAD_FREQ_NS;

/* True when the next load sample is due at monotonic time now (CPU 0's tick). */
bool loadavg_due(uint64_t now)
{
	return now >= next_sample_ns;
}

/* Folds nr_running runnable tasks into the three averages (CPU 0's tick). */
void loadavg_sample(unsigned nr_running)
{
	unsigned long active = (unsigned long)nr_running * FIXED_1;

	for (int i = 0; i < 3; i++) {
		unsigned long load = avenrun[i];
		unsigned long next = load * load_exp[i] + active * (FIXED_1 - load_exp[i]);

		if (active >= load)
			next += FIXED_1 - 1;
		WRITE_ONCE(avenrun[i], next / FIXED_1);
	}
	next_sample_ns += LOAD_FREQ_NS;
}

/* The 1, 5 and 15 minute load averages, in hundredths. */
void proc_loadavg(unsigned long hundredths[3])
{
	for (int i = 0; i < 3; i++) {
		unsigned long a = READ_ONCE(avenrun[i]) + FIXED_1 / 200;

		hundredths[i] = (a >> FSHIFT) * 100 + ((a & (FIXED_1 - 1)) * 100 >> FSHIFT);
	}
}

/* CPU cpu's user, system and idle time (ns), context switches and interrupts. */
void proc_cpu_stats(int cpu, struct cpu_stats *out)
{
	sched_cpu_stats(cpu, &out->user_ns, &out->system_ns, &out->idle_ns, &out->switches);
	out->irqs = READ_ONCE(cpus[cpu].irq_count);
}

/* Counts the live tasks: runnable, in uninterruptible sleep, and all of them; the
 * pid handed out last and the tasks created since boot. Takes tasks_lock. */
void proc_task_counts(struct task_counts *out)
{
	uint64_t flags;
	struct task *t;

	memset(out, 0, sizeof(*out));
	pid_stats(&out->last_pid, &out->created);
	flags = spin_lock_irqsave(&tasks_lock);
	list_for_each_entry(t, &all_tasks, all_link) {
		enum task_state state = READ_ONCE(t->state);

		if (state == TASK_ZOMBIE || state == TASK_DEAD)
			continue;
		out->total++;
		out->running += state == TASK_RUNNING;
		out->blocked += state == TASK_UNINTERRUPTIBLE;
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* t's process: CPU times of its threads (exited ones included) and of its reaped
 * children, its start time and live threads. Takes tasks_lock. */
void task_process_times(struct task *t, struct process_times *out)
{
	struct process *p = t->proc;
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	struct task *th;

	out->utime_ns = p->dead_utime_ns;
	out->stime_ns = p->dead_stime_ns;
	out->cutime_ns = p->child_utime_ns;
	out->cstime_ns = p->child_stime_ns;
	out->start_ns = t->group_leader->start_ns;
	out->threads = p->live_threads;
	list_for_each_entry(th, &all_tasks, all_link) {
		uint64_t u, s;

		if (th->proc != p || th->state == TASK_ZOMBIE || th->state == TASK_DEAD)
			continue;
		task_times(th, &u, &s);
		out->utime_ns += u;
		out->stime_ns += s;
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* See task.h. */
void process_cpu_sample(struct process *p, uint64_t *user, uint64_t *total)
{
	uint64_t flags = spin_lock_irqsave(&tasks_lock);
	struct task *th;

	*user = p->dead_utime_ns;
	*total = p->dead_utime_ns + p->dead_stime_ns;
	list_for_each_entry(th, &all_tasks, all_link) {
		uint64_t u, s;

		if (th->proc != p || th->state == TASK_ZOMBIE || th->state == TASK_DEAD)
			continue;
		task_times(th, &u, &s);
		*user += u;
		*total += u + s;
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* The letter Linux shows for t: a task sleeping in a job-control stop is T. */
static char task_state_letter(struct task *t)
{
	enum task_state st = READ_ONCE(t->state);

	switch (st) {
	case TASK_RUNNING:
		return 'R';
	case TASK_ZOMBIE:
		return 'Z';
	case TASK_DEAD:
		return 'X';
	default:
		if (READ_ONCE(t->proc->stopped))
			return 'T';
		return st == TASK_UNINTERRUPTIBLE ? 'D' : 'S';
	}
}

/* See proc.h: state, threads and signal sets of t, for /proc. */
void task_get_status(struct task *t, struct task_status *s)
{
	uint64_t f = spin_lock_irqsave(&tasks_lock);
	struct sighand *sh = t->sighand;

	memset(s, 0, sizeof(*s));
	s->state = task_state_letter(t);
	s->threads = t->proc->live_threads;
	if (sh && t->state != TASK_ZOMBIE && t->state != TASK_DEAD) {
		spin_lock(&sh->lock);
		s->sig_pending = t->pending.set;
		s->shared_pending = t->proc->shared_pending.set;
		s->blocked = t->blocked;
		for (int i = 0; i < SIG_COUNT; i++) {
			uint64_t h = sh->action[i].handler;

			if (h == (uint64_t)SIG_IGN)
				s->ignored |= 1UL << i;
			else if (h != (uint64_t)SIG_DFL)
				s->caught |= 1UL << i;
		}
		spin_unlock(&sh->lock);
	}
	spin_unlock_irqrestore(&tasks_lock, f);
}

/* See proc.h. */
const char *task_state_name(char state)
{
	switch (state) {
	case 'R': return "running";
	case 'S': return "sleeping";
	case 'D': return "disk sleep";
	case 'T': return "stopped";
	case 'Z': return "zombie";
	default: return "dead";
	}
}

/* See proc.h: the new name, NUL-padded, under tasks_lock so readers see it whole
 * or not at all. */
void task_set_comm(struct task *t, const char *name)
{
	uint64_t f = spin_lock_irqsave(&tasks_lock);

	memset(t->comm, 0, sizeof(t->comm));
	strlcpy(t->comm, name, sizeof(t->comm));
	spin_unlock_irqrestore(&tasks_lock, f);
}
