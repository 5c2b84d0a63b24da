/*
 * tty.h — private to kernel/dev/: the terminal layer. A struct tty joins a line
 * discipline (tty_ldisc.h) to a tty driver (a serial port today; ptys and the
 * framebuffer console later) and to job control (session, foreground group).
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
};

/*
 * One terminal. `lock` (taken with interrupts off: drivers feed input from interrupt
 * handlers) protects ld, session, pgrp, winsize, exclusive and open_count. name, dev,
 * ops and driver_data are fixed at tty_init.
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
	int open_count;
};

/* Sets up a tty with Linux's default termios; tty_register makes it openable. */
void tty_init(struct tty *tty, const char *name, dev_t dev,
	      const struct tty_driver_ops *ops, void *driver_data);
void tty_register(struct tty *tty);
/* The registered tty with this device number or name; NULL when none. */
struct tty *tty_lookup(dev_t dev);
struct tty *tty_lookup_name(const char *name);
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
/* Makes tty the controlling terminal of the current task's session (it leads it). */
void tty_set_ctty_current(struct tty *tty);

#endif
