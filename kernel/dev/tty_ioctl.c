/*
 * tty_ioctl.c — the ioctls of every tty and the job-control rules around them
 * (Linux's tty_ioctl.c and tty_jobctrl.c): termios, window size, foreground group,
 * controlling terminal, flushing and the small queries.
 */
#include "dev/dev.h"
#include "dev/tty.h"
#include "mm/mm.h"
#include <asm/ioctls.h>
#include <linux/tty.h>
#include <asm/signal.h>

int tty_job_check(struct tty *tty, int sig)
{
	struct task *t = current;
	pid_t pgrp = READ_ONCE(tty->pgrp), mine = task_pgid(t);

	if (task_ctty(t) != tty || pgrp <= 0 || pgrp == mine)
		return 0;
	if (signal_ignored_or_blocked(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_is_orphaned(mine))
		return -EIO;
	signal_send_pgrp(mine, sig);
	return -ERESTARTSYS;
}

void tty_set_ctty_current(struct tty *tty)
{
	struct task *t = current;
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	tty->session = task_sid(t);
	tty->pgrp = task_pgid(t);
	spin_unlock_irqrestore(&tty->lock, flags);
	session_set_ctty(t, tty);
}

/* TCGETS/TCGETS2: termios, or termios2 when size is the larger struct. */
static long tty_get_termios(struct tty *tty, void __user *arg, size_t size)
{
	struct termios2 t;
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	t = tty->ld.termios;
	spin_unlock_irqrestore(&tty->lock, flags);
	return copy_to_user(arg, &t, size);
}

/* TCSETS* and TCSETS2*: a background caller gets SIGTTOU first; TCSETSF also drops
 * pending input. Output is written synchronously, so "wait for output" holds. */
static long tty_set_termios(struct tty *tty, void __user *arg, size_t size, bool flush)
{
	struct termios2 t, old;
	uint64_t flags;
	int err = tty_job_check(tty, SIGTTOU);

	if (err)
		return err;
	flags = spin_lock_irqsave(&tty->lock);
	t = tty->ld.termios;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (copy_from_user(&t, arg, size))
		return -EFAULT;
	flags = spin_lock_irqsave(&tty->lock);
	if (flush)
		ldisc_flush_input(&tty->ld);
	old = tty->ld.termios;
	ldisc_set_termios(&tty->ld, &t);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (tty->ops->set_termios)
		tty->ops->set_termios(tty, &old);
	wake_up(&tty->read_wq);
	if (tty->ops->unthrottle)
		tty->ops->unthrottle(tty);
	return 0;
}

long tty_termios_ioctl(struct tty *tty, unsigned cmd, void __user *argp)
{
	switch (cmd) {
	case TCGETS:
		return tty_get_termios(tty, argp, sizeof(struct termios));
	case TCGETS2:
		return tty_get_termios(tty, argp, sizeof(struct termios2));
	case TCSETS:
	case TCSETSW:
		return tty_set_termios(tty, argp, sizeof(struct termios), false);
	case TCSETSF:
		return tty_set_termios(tty, argp, sizeof(struct termios), true);
	case TCSETS2:
	case TCSETSW2:
		return tty_set_termios(tty, argp, sizeof(struct termios2), false);
	case TCSETSF2:
		return tty_set_termios(tty, argp, sizeof(struct termios2), true);
	}
	return -ENOTTY;
}

long tty_set_winsize(struct tty *tty, void __user *arg)
{
	struct winsize ws;
	bool changed;
	pid_t pgrp;
	uint64_t flags;

	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	flags = spin_lock_irqsave(&tty->lock);
	changed = memcmp(&ws, &tty->winsize, sizeof(ws)) != 0;
	tty->winsize = ws;
	pgrp = tty->pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (changed && pgrp > 0)
		signal_send_pgrp(pgrp, SIGWINCH);
	return 0;
}

/* TIOCSPGRP, with tty_jobctrl.c's checks and errors in the same order (an orphaned
 * background caller gets ENOTTY there, not EIO). */
static long tty_set_pgrp(struct tty *tty, pid_t __user *arg)
{
	struct task *t = current;
	pid_t pgrp;
	int err = tty_job_check(tty, SIGTTOU);

	if (err)
		return err == -EIO ? -ENOTTY : err;
	if (task_ctty(t) != tty || READ_ONCE(tty->session) != task_sid(t))
		return -ENOTTY;
	if (get_user(pgrp, arg))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (!pgrp_exists_in_session(pgrp, task_sid(t)))
		return task_find(pgrp) ? -EPERM : -ESRCH;
	WRITE_ONCE(tty->pgrp, pgrp);
	return 0;
}

/* TIOCSCTTY: a session leader without a terminal takes this one; stealing it from
 * another session needs arg 1 and root. */
static long tty_set_ctty(struct tty *tty, unsigned long arg)
{
	struct task *t = current, *leader;
	pid_t other = READ_ONCE(tty->session);

	if (task_sid(t) == task_tgid(t) && task_ctty(t) == tty)
		return 0;
	if (task_sid(t) != task_tgid(t) || task_ctty(t))
		return -EPERM;
	if (other) {
		if (arg != 1 || task_cred(t)->euid != 0)
			return -EPERM;
		leader = task_find(other);
		if (leader && task_ctty(leader) == tty)
			session_set_ctty(leader, NULL);
	}
	tty_set_ctty_current(tty);
	return 0;
}

/* Clears the session and foreground group; returns the old foreground group. */
static pid_t tty_forget_session(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	pid_t pgrp = tty->pgrp;

	tty->session = 0;
	tty->pgrp = 0;
	spin_unlock_irqrestore(&tty->lock, flags);
	return pgrp;
}

void tty_session_leader_exit(struct tty *tty)
{
	pid_t pgrp;

	if (!tty)
		return;
	pgrp = tty_forget_session(tty);
	if (pgrp > 0) {
		signal_send_pgrp(pgrp, SIGHUP);
		signal_send_pgrp(pgrp, SIGCONT);
	}
}

void tty_hangup(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	pid_t sid = tty->session;

	tty->hung_up = true;
	tty->session = 0;
	tty->pgrp = 0;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (sid > 0) {
		session_drop_ctty(sid, tty);
		signal_send_process(sid, SIGHUP);
		signal_send_process(sid, SIGCONT);
	}
	wake_up(&tty->read_wq);
	wake_up(&tty->write_wq);
}

uint32_t tty_devnum(struct tty *tty)
{
	return tty ? tty->dev : 0;
}

/* TIOCNOTTY: the session leader gives the terminal up; its foreground group gets
 * SIGHUP and SIGCONT. Other members keep it (the terminal belongs to the session). */
static long tty_give_up_ctty(struct tty *tty)
{
	struct task *t = current;
	pid_t pgrp;

	if (task_ctty(t) != tty)
		return -ENOTTY;
	if (task_sid(t) != task_tgid(t))
		return 0;
	pgrp = tty_forget_session(tty);
	session_set_ctty(t, NULL);
	if (pgrp > 0) {
		signal_send_pgrp(pgrp, SIGHUP);
		signal_send_pgrp(pgrp, SIGCONT);
	}
	return 0;
}

/* TCFLSH: input queues are dropped here, output queues by the driver (a pty's
 * master side), when it has one. */
static long tty_flush(struct tty *tty, unsigned long arg)
{
	uint64_t flags;
	int err = tty_job_check(tty, SIGTTOU);

	if (err)
		return err;
	if (arg > TCIOFLUSH)
		return -EINVAL;
	if (arg == TCIFLUSH || arg == TCIOFLUSH) {
		flags = spin_lock_irqsave(&tty->lock);
		ldisc_flush_input(&tty->ld);
		spin_unlock_irqrestore(&tty->lock, flags);
		if (tty->ops->unthrottle)
			tty->ops->unthrottle(tty);
	}
	if ((arg == TCOFLUSH || arg == TCIOFLUSH) && tty->ops->flush_output)
		tty->ops->flush_output(tty);
	return 0;
}

/* The ioctls that read a value or need no checks. */
static long tty_ioctl_query(struct tty *tty, unsigned cmd, void __user *argp)
{
	struct task *t = current;
	int v;

	switch (cmd) {
	case TIOCGWINSZ:
		return copy_to_user(argp, &tty->winsize, sizeof(tty->winsize));
	case TIOCGPGRP:
		if (task_ctty(t) != tty)
			return -ENOTTY;
		return put_user((int)READ_ONCE(tty->pgrp), (int __user *)argp);
	case TIOCGSID:
		if (task_ctty(t) != tty || !READ_ONCE(tty->session))
			return -ENOTTY;
		return put_user((int)READ_ONCE(tty->session), (int __user *)argp);
	case FIONREAD:
		return put_user((int)ldisc_available(&tty->ld), (int __user *)argp);
	case TIOCOUTQ:
		return put_user(0, (int __user *)argp);
	case TIOCGETD:
		return put_user(N_TTY, (int __user *)argp);
	case TIOCSETD:
		if (get_user(v, (int __user *)argp))
			return -EFAULT;
		return v == N_TTY ? 0 : -EINVAL;
	case TIOCMGET:
		if (!tty->ops->tiocmget)
			return -ENOTTY;
		return put_user(tty->ops->tiocmget(tty), (int __user *)argp);
	}
	return -ENOTTY;
}

long tty_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	struct tty *tty = file->private_data;
	void __user *argp = (void __user *)arg;

	if (tty_hung_up(tty))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TCGETS:
	case TCGETS2:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
		return tty_termios_ioctl(tty, cmd, argp);
	case TIOCSWINSZ:
		return tty_set_winsize(tty, argp);
	case TIOCSPGRP:
		return tty_set_pgrp(tty, argp);
	case TIOCSCTTY:
		return tty_set_ctty(tty, arg);
	case TIOCNOTTY:
		return tty_give_up_ctty(tty);
	case TCFLSH:
		return tty_flush(tty, arg);
	case TCXONC:
		return arg <= TCION ? 0 : -EINVAL;
	case TIOCGPTPEER:
		return -EIO;	/* only a pty master (pty.c) has a peer */
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
		return 0;
	case TIOCEXCL:
	case TIOCNXCL:
		WRITE_ONCE(tty->exclusive, cmd == TIOCEXCL);
		return 0;
	}
	return tty_ioctl_query(tty, cmd, argp);
}
