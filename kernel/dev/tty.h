/*
 * tty.h — private to kernel/dev/: the terminal layer. A struct tty joins a line
 * discipline (tty_ldisc.h) to a tty driver (a serial port, a pty slave; the
 * framebuffer console later) and to job control (session, foreground group).
 * Lock order: ttys_lock or pty.c's ptys_lock, then tty->lock, then the driver's
 * own lock (pty->lock); tasks_lock is never taken under tty->lock.
 */
#ifndef LUMEN_DEV_TTY_H
#define LUMEN_DEV_TTY_H

#include "dev/tty_ldisc.h"
#include "fs/vfs.h"
#include "lib/spinlock.h"
#include "proc/proc.h"
#include <asm/termios.h>

struct tty;

/* What a device does for its tty. */
struct tty_driver_ops {
	/* Sends processed bytes to the device without losing any. Called from interrupt
	 * handlers too (echo), with tty->lock held, so it must not sleep. */
	void (*write)(struct tty *tty, const char *buf, size_t n);
	/* Input drained: take bytes again if the device stopped because the ring was
	 * full. Called without tty->lock. May be NULL. */
	void (*unthrottle)(struct tty *tty);
	/* TIOCMGET: the modem lines as TIOCM_* bits. May be NULL (ENOTTY). */
	int (*tiocmget)(struct tty *tty);
	/* Drops output written but not yet sent (TCOFLUSH, a signal character's flush).
	 * Called with or without tty->lock. May be NULL. */
	void (*flush_output)(struct tty *tty);
	/* Pending input was dropped (TCIFLUSH, TCSETSF, a signal character). Called
	 * with tty->lock held. May be NULL. */
	void (*flushed_input)(struct tty *tty);
	/* New termios were installed; old are the previous ones. Called without
	 * tty->lock. May be NULL. */
	void (*set_termios)(struct tty *tty, const struct termios2 *old);
	/* An open of the device is starting (after open_count was raised): 0 or -errno
	 * (the open then fails and open_count drops again). Called without tty->lock.
	 * May be NULL. */
	int (*open)(struct tty *tty);
	/* The last open file was released (open_count reached 0). Called without
	 * tty->lock. May be NULL. */
	void (*close)(struct tty *tty);
	/* Waits until n processed bytes can be written without loss: 0, -EAGAIN (for
	 * an O_NONBLOCK file or when file is NULL: poll only asks), -ERESTARTSYS or
	 * -EIO. Called without tty->lock. NULL when the device takes any amount. */
	int (*wait_room)(struct tty *tty, struct file *file, size_t n);
};

/*
 * One terminal. `lock` (taken with interrupts off: drivers feed input from interrupt
 * handlers) protects ld, session, pgrp, winsize, exclusive, open_count and hung_up.
 * name, dev, ops and driver_data are fixed at tty_init. A hung-up tty (tty_hangup)
 * stays so until tty_init runs again: its open files read EOF, write EIO and poll
 * as ready, as Linux's hung_up_tty_fops.
 */
struct tty {
	const char *name;
	dev_t dev;
	const struct tty_driver_ops *ops;
	void *driver_data;
	spinlock_t lock;
	struct ldisc ld;
	struct wait_queue read_wq;	/* readers and pollers: input arrived */
	pid_t session;			/* session it controls, 0 when none */
	pid_t pgrp;			/* foreground process group, 0 when none */
	struct winsize winsize;
	bool exclusive;			/* TIOCEXCL */
	bool hung_up;
	int open_count;
	struct wait_queue write_wq;	/* writers waiting in ops->wait_room */
};

/* Sets up a tty with Linux's default termios; tty_register makes it openable. */
void tty_init(struct tty *tty, const char *name, dev_t dev,
	      const struct tty_driver_ops *ops, void *driver_data);
void tty_register(struct tty *tty);
/* Puts the line discipline back to Linux's defaults (a reused pty); needs tty->lock. */
void tty_ldisc_reset(struct tty *tty);
/* The registered tty with this device number or name; NULL when none. */
struct tty *tty_lookup(dev_t dev);
struct tty *tty_lookup_name(const char *name);
/* Hangs the tty up (Linux's tty_vhangup): its session loses it, the session leader
 * gets SIGHUP and SIGCONT, readers and writers wake. Takes tty->lock, tasks_lock. */
void tty_hangup(struct tty *tty);
/* True once tty_hangup ran; lock-free. */
static inline bool tty_hung_up(struct tty *tty) { return READ_ONCE(tty->hung_up); }
/* The slave tty of pseudo-terminal index, NULL when none (pty.c); the pair stays
 * allocated (never freed), ops->open rechecks it. */
struct tty *pty_slave_lookup(unsigned index);
/* Makes /dev/console open this tty. */
void tty_set_console(struct tty *tty);

/* Driver input side: tty_input_room says whether one more byte may be taken (when
 * not, the driver stops reading and waits for ops->unthrottle); tty_input_byte feeds
 * one; tty_input_done sends the signals the bytes raised and wakes readers. Called
 * from interrupt handlers, without tty->lock. */
bool tty_input_room(struct tty *tty);
void tty_input_byte(struct tty *tty, uint8_t c);
void tty_input_done(struct tty *tty);

/* Job control (tty_ioctl.c): 0 when the current task may use tty as the caller of
 * read (SIGTTIN) or write/termios change (SIGTTOU); otherwise sends sig to the
 * caller's group and returns -ERESTARTSYS, or -EIO. Needs no lock. */
int tty_job_check(struct tty *tty, int sig);
/* The ioctls of every tty. */
long tty_ioctl(struct file *file, unsigned cmd, unsigned long arg);
/* TCGETS* and TCSETS* on tty (also for its pty master); -ENOTTY for other cmds. */
long tty_termios_ioctl(struct tty *tty, unsigned cmd, void __user *argp);
/* TIOCSWINSZ from user arg (on the tty or its pty master): a change sends SIGWINCH
 * to the foreground group. 0 or -EFAULT. Takes tty->lock. */
long tty_set_winsize(struct tty *tty, void __user *arg);
/* Makes tty the controlling terminal of the current task's session (it leads it). */
void tty_set_ctty_current(struct tty *tty);

#endif
