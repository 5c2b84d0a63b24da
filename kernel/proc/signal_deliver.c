/*
 * signal_deliver.c — taking signals on the way back to user mode: default actions,
 * job-control stops, syscall restarts, Linux's x86_64 rt_sigframe and rt_sigreturn.
 */
#include "proc/task.h"
#include "lib/log.h"
#include "mm/mm.h"
#include <asm/sigcontext.h>
#include <asm/ucontext.h>
#include <linux/signal.h>
#include <asm/unistd.h>

#define RFLAGS_TF (1UL << 8)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_RF (1UL << 16)
/* The flags a signal handler may change through its sigcontext (Linux's FIX_EFLAGS). */
#define RFLAGS_USER_FIX 0x50dd5UL
#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#define SYNC_SIGS (sigbit(SIGSEGV) | sigbit(SIGBUS) | sigbit(SIGILL) | sigbit(SIGTRAP) | \
		   sigbit(SIGFPE) | sigbit(SIGSYS))
#define FXSAVE_SIZE 512

/* Linux's x86_64 signal frame; the FPU area follows it at a 64-byte boundary. */
struct rt_sigframe {
	uint64_t pretcode;
	struct ucontext uc;
	siginfo_t info;
};

static bool sig_default_stop(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Takes the next deliverable signal (faults first, then the lowest number; own
 * pending set before the process's). Returns 0 when none. Needs the sighand lock. */
static int signal_dequeue_locked(struct task *t, siginfo_t *info)
{
	uint64_t mine = t->pending.set & ~t->blocked;
	uint64_t shared = t->proc->shared_pending.set & ~t->blocked;
	struct sigpending *from = mine ? &t->pending : &t->proc->shared_pending;
	uint64_t set = mine ? mine : shared;
	int sig;

	if (!set)
		return 0;
	if (set & SYNC_SIGS)
		set &= SYNC_SIGS;
	sig = __builtin_ctzll(set) + 1;
	from->set &= ~sigbit(sig);
	*info = from->info[sig - 1];
	return sig;
}

/* Whether t may have a signal to deliver, read without the sighand lock so that
 * returning to user mode costs no lock when nothing is pending (every syscall passes
 * here). A signal sent just after this check waits for t's next return to user mode,
 * exactly as one sent just after the locked check would. */
static bool signal_maybe_deliverable(struct task *t)
{
	uint64_t set = READ_ONCE(t->pending.set) | READ_ONCE(t->proc->shared_pending.set);

	return set & ~READ_ONCE(t->blocked);
}

/* Takes the current task's lowest pending signal within mask, its own pending set
 * before its process's (see proc.h); 0 when none. Takes the sighand lock. */
int signal_dequeue_mask(uint64_t mask, siginfo_t *info)
{
	struct task *t = current;
	uint64_t fl = spin_lock_irqsave(&t->sighand->lock);
	struct sigpending *from = (t->pending.set & mask) ? &t->pending : &t->proc->shared_pending;
	uint64_t set = from->set & mask;
	int sig = 0;

	if (set) {
		if (set & SYNC_SIGS)
			set &= SYNC_SIGS;
		sig = __builtin_ctzll(set) + 1;
		from->set &= ~sigbit(sig);
		*info = from->info[sig - 1];
	}
	spin_unlock_irqrestore(&t->sighand->lock, fl);
	return sig;
}

/* The current task's pending signals (its own and its process's) within mask. */
uint64_t signal_pending_in(uint64_t mask)
{
	struct task *t = current;
	uint64_t fl = spin_lock_irqsave(&t->sighand->lock);
	uint64_t set = (t->pending.set | t->proc->shared_pending.set) & mask;

	spin_unlock_irqrestore(&t->sighand->lock, fl);
	return set;
}

/* Stops the process for a job-control signal: tells the parent, then sleeps until
 * SIGCONT or SIGKILL clears the stop. */
static void signal_do_stop(struct task *t, int sig)
{
	struct process *p = t->proc;
	uint64_t f = spin_lock_irqsave(&tasks_lock);

	spin_lock(&t->sighand->lock);
	if (!p->stopped) {
		p->stopped = true;
		p->stop_sig = sig;
		p->notify_parent = CLD_STOPPED;
		spin_unlock(&t->sighand->lock);
		signal_notify_parent(t->group_leader, CLD_STOPPED, sig);
	} else {
		spin_unlock(&t->sighand->lock);
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	wait_event(&p->stop_wait, !READ_ONCE(p->stopped));
}

/* A syscall interrupted by a signal: EINTR or a restart per its return code and
 * whether a handler (with SA_RESTART) runs. */
static void signal_syscall_restart(struct trap_frame *f, const struct k_sigaction *act)
{
	long ret = (long)f->rax;
	bool restart;

	if (f->vector != TRAP_SYSCALL)
		return;
	switch (ret) {
	case -ERESTARTNOINTR:
		restart = true;
		break;
	case -ERESTARTSYS:
		restart = !act || (act->flags & SA_RESTART);
		break;
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		restart = !act;
		break;
	default:
		return;
	}
	f->vector = 0;
	if (restart) {
		f->rax = ret == -ERESTART_RESTARTBLOCK ? __NR_restart_syscall : f->error;
		f->rip -= 2;
	} else {
		f->rax = (uint64_t)-EINTR;
	}
}

/* True when sp lies on t's alternate signal stack. */
static bool on_altstack(struct task *t, uint64_t sp)
{
	return t->altstack_size && sp > t->altstack_sp && sp <= t->altstack_sp + t->altstack_size;
}

/* Marks the saved FPU image as Linux does (the fx_sw_bytes and the second magic),
 * so that glibc and debuggers recognize an XSAVE layout. */
static void fpu_frame_mark(uint8_t *area, size_t size)
{
	struct _fpx_sw_bytes *sw = (struct _fpx_sw_bytes *)(area + 464);

	if (size <= FXSAVE_SIZE)
		return;
	sw->magic1 = FP_XSTATE_MAGIC1;
	sw->extended_size = size + FP_XSTATE_MAGIC2_SIZE;
	sw->xfeatures = *(uint64_t *)(area + FXSAVE_SIZE);
	sw->xstate_size = size;
	*(uint32_t *)(area + size) = FP_XSTATE_MAGIC2;
}

/* Fills the sigcontext of the frame from the registers. */
static void sigcontext_fill(struct sigcontext *sc, const struct trap_frame *f, uint64_t mask)
{
	sc->r8 = f->r8; sc->r9 = f->r9; sc->r10 = f->r10; sc->r11 = f->r11;
	sc->r12 = f->r12; sc->r13 = f->r13; sc->r14 = f->r14; sc->r15 = f->r15;
	sc->rdi = f->rdi; sc->rsi = f->rsi; sc->rbp = f->rbp; sc->rbx = f->rbx;
	sc->rdx = f->rdx; sc->rax = f->rax; sc->rcx = f->rcx; sc->rsp = f->rsp;
	sc->rip = f->rip;
	sc->eflags = f->rflags;
	sc->cs = f->cs;
	sc->ss = f->ss;
	sc->err = f->vector == TRAP_SYSCALL ? 0 : f->error;
	sc->trapno = f->vector == TRAP_SYSCALL ? 0 : f->vector;
	sc->oldmask = mask;
}

/* Builds the rt_sigframe on the user stack and points the registers at the
 * handler. Returns 0 or -EFAULT (the caller then kills with SIGSEGV). */
static int signal_setup_frame(struct task *t, struct trap_frame *f, int sig,
			      const struct k_sigaction *act, siginfo_t *info, uint64_t oldmask)
{
	size_t fsize = fpu_state_size();
	uint64_t sp = f->rsp, fpstate, frame_addr;
	struct rt_sigframe *frame;
	bool was_on = on_altstack(t, sp);
	int err = -EFAULT;

	if (!(act->flags & SA_RESTORER))
		return -EFAULT;
	if ((act->flags & SA_ONSTACK) && t->altstack_size && !was_on)
		sp = t->altstack_sp + t->altstack_size;
	else
		sp -= 128;
	fpstate = ALIGN_DOWN(sp - fsize - FP_XSTATE_MAGIC2_SIZE, 64);
	frame_addr = ((fpstate - sizeof(*frame) + 8) & ~15UL) - 8;
	frame = kzalloc(sizeof(*frame) + fsize + FP_XSTATE_MAGIC2_SIZE);
	if (!frame)
		return -ENOMEM;
	frame->pretcode = act->restorer;
	frame->uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (fsize > FXSAVE_SIZE ? UC_FP_XSTATE : 0);
	frame->uc.uc_stack.ss_sp = (void *)t->altstack_sp;
	frame->uc.uc_stack.ss_size = t->altstack_size;
	frame->uc.uc_stack.ss_flags = !t->altstack_size ? SS_DISABLE : (was_on ? SS_ONSTACK : 0);
	sigcontext_fill(&frame->uc.uc_mcontext, f, oldmask);
	frame->uc.uc_mcontext.fpstate = (struct _fpstate *)fpstate;
	frame->uc.uc_sigmask = oldmask;
	frame->info = *info;
	fpu_save(t->fpu);
	memcpy((uint8_t *)(frame + 1), t->fpu, fsize);
	fpu_frame_mark((uint8_t *)(frame + 1), fsize);
	if (!copy_to_user((void *)fpstate, frame + 1, fsize + FP_XSTATE_MAGIC2_SIZE) &&
	    !copy_to_user((void *)frame_addr, frame, sizeof(*frame)))
		err = 0;
	kfree(frame);
	if (err)
		return err;
	if (t->altstack_flags & SS_AUTODISARM)
		t->altstack_sp = t->altstack_size = 0;
	/* The handler starts with a clean FPU, as on Linux; sigreturn restores ours. */
	fpu_state_init(t->fpu);
	fpu_restore(t->fpu);
	f->rdi = sig;
	f->rsi = frame_addr + offsetof(struct rt_sigframe, info);
	f->rdx = frame_addr + offsetof(struct rt_sigframe, uc);
	f->rax = 0;
	f->rip = act->handler;
	f->rsp = frame_addr;
	f->cs = USER_CS;
	f->ss = USER_DS;
	f->rflags &= ~(RFLAGS_TF | RFLAGS_DF | RFLAGS_RF);
	return 0;
}

/* Runs the handler for sig: restart decision, frame, then the handler's mask. */
static void signal_handle(struct task *t, struct trap_frame *f, int sig, siginfo_t *info,
			  struct k_sigaction *act)
{
	struct sighand *sh = t->sighand;
	uint64_t oldmask = t->restore_blocked ? t->saved_blocked : t->blocked;
	uint64_t fl;

	signal_syscall_restart(f, act);
	if (signal_setup_frame(t, f, sig, act, info, oldmask))
		do_group_exit(SIGSEGV);
	t->restore_blocked = false;
	fl = spin_lock_irqsave(&sh->lock);
	t->blocked |= act->mask;	/* a temporary mask holds during the handler */
	if (!(act->flags & SA_NODEFER))
		t->blocked |= sigbit(sig);
	t->blocked &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	if (act->flags & SA_RESETHAND)
		sh->action[sig - 1].handler = (uint64_t)SIG_DFL;
	spin_unlock_irqrestore(&sh->lock, fl);
}

/*
 * Takes pending signals on the way to user mode with frame f: ignores, stops or
 * kills per default actions, or sets up one handler. Also turns a restart code left
 * in rax into a restart when no handler runs.
 */
void signal_deliver(struct trap_frame *f)
{
	struct task *t = current;
	struct sighand *sh = t->sighand;
	struct k_sigaction act;
	siginfo_t info;
	uint64_t fl;
	int sig;

	for (;;) {
		if (READ_ONCE(t->proc->group_exit) && READ_ONCE(t->proc->exec_task) != t)
			do_exit(t->proc->group_exit_code);
		if (READ_ONCE(t->proc->stopped)) {
			wait_event(&t->proc->stop_wait, !READ_ONCE(t->proc->stopped));
			continue;
		}
		if (!signal_maybe_deliverable(t))
			break;
		fl = spin_lock_irqsave(&sh->lock);
		sig = signal_dequeue_locked(t, &info);
		if (sig)
			act = sh->action[sig - 1];
		spin_unlock_irqrestore(&sh->lock, fl);
		if (!sig)
			break;
		if (act.handler == (uint64_t)SIG_IGN && sig != SIGKILL && sig != SIGSTOP)
			continue;
		if (act.handler != (uint64_t)SIG_DFL && sig != SIGKILL && sig != SIGSTOP) {
			signal_handle(t, f, sig, &info, &act);
			return;
		}
		if (signal_ignored_default(sig, (uint64_t)SIG_DFL))
			continue;
		if (sig_default_stop(sig)) {
			signal_do_stop(t, sig);
			continue;
		}
		/* Terminate; core-type signals too, without the core bit: no dump. */
		do_group_exit(sig);
	}
	signal_syscall_restart(f, NULL);
	if (t->restore_blocked) {
		t->restore_blocked = false;
		fl = spin_lock_irqsave(&sh->lock);
		t->blocked = t->saved_blocked;
		spin_unlock_irqrestore(&sh->lock, fl);
	}
}

/* Called before every return to user mode (syscalls and traps): reschedules when
 * the timeslice is over or a task was woken, and takes pending signals. */
void proc_return_to_user(struct trap_frame *f)
{
	for (;;) {
		if (this_cpu()->need_resched)
			schedule();
		signal_deliver(f);
		if (!this_cpu()->need_resched)
			break;
	}
	current->user_since = clock_monotonic_ns();	/* every entry ended the last stretch */
}

/* Clears reserved bits of a user-supplied FPU image so fpu_restore cannot fault. */
static void fpu_image_sanitize(uint8_t *area, size_t size)
{
	*(uint32_t *)(area + 24) &= 0xffbf;	/* MXCSR: only the defined bits */
	if (size > FXSAVE_SIZE) {
		uint32_t lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		*(uint64_t *)(area + FXSAVE_SIZE) &= ((uint64_t)hi << 32) | lo;
		memset(area + FXSAVE_SIZE + 8, 0, 56);	/* xcomp_bv and reserved */
	}
}

/* rt_sigreturn(2): restores the registers, mask, alternate stack and FPU state
 * saved by the signal frame below the user's rsp. */
long sys_rt_sigreturn(void)
{
	struct task *t = current;
	struct trap_frame *f = t->user_frame;
	struct rt_sigframe frame;
	struct sigcontext *sc = &frame.uc.uc_mcontext;
	size_t fsize = fpu_state_size();
	uint8_t *fpu;
	uint64_t fl;

	if (copy_from_user(&frame, (void *)(f->rsp - 8), sizeof(frame)) ||
	    sc->rip >= USER_SPACE_END || sc->rsp >= USER_SPACE_END)
		goto bad;
	fpu = kmalloc(fsize);
	if (!fpu)
		goto bad;
	if (sc->fpstate && copy_from_user(fpu, sc->fpstate, fsize)) {
		kfree(fpu);
		goto bad;
	}
	if (sc->fpstate) {
		fpu_image_sanitize(fpu, fsize);
		memcpy(t->fpu, fpu, fsize);
	} else {
		fpu_state_init(t->fpu);
	}
	kfree(fpu);
	fpu_restore(t->fpu);
	f->r8 = sc->r8; f->r9 = sc->r9; f->r10 = sc->r10; f->r11 = sc->r11;
	f->r12 = sc->r12; f->r13 = sc->r13; f->r14 = sc->r14; f->r15 = sc->r15;
	f->rdi = sc->rdi; f->rsi = sc->rsi; f->rbp = sc->rbp; f->rbx = sc->rbx;
	f->rdx = sc->rdx; f->rax = sc->rax; f->rcx = sc->rcx; f->rsp = sc->rsp;
	f->rip = sc->rip;
	f->rflags = (f->rflags & ~RFLAGS_USER_FIX) | (sc->eflags & RFLAGS_USER_FIX);
	f->cs = USER_CS;
	f->ss = USER_DS;
	f->vector = 0;
	fl = spin_lock_irqsave(&t->sighand->lock);
	t->blocked = frame.uc.uc_sigmask & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	spin_unlock_irqrestore(&t->sighand->lock, fl);
	if (!(frame.uc.uc_stack.ss_flags & SS_DISABLE) && !on_altstack(t, f->rsp)) {
		t->altstack_sp = (uint64_t)frame.uc.uc_stack.ss_sp;
		t->altstack_size = frame.uc.uc_stack.ss_size;
		t->altstack_flags = frame.uc.uc_stack.ss_flags & SS_AUTODISARM;
	}
	return f->rax;

bad:
	signal_force_fault(SIGSEGV, SI_KERNEL, 0);
	return f->rax;
}
