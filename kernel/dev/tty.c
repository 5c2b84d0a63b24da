/*
 * tty.c — the terminal layer (see tty.h): the registry of ttys, the driver input
 * path, and open/read/write/poll of every tty device, with the sleeping and locking
 * the pure line discipline leaves out.
 */
#include "dev/tty.h"
#include "dev/devices.h"
#include "lib/log.h"
#include <asm/fcntl.h>
#include <asm/signal.h>

#define TTY_MAX 32
#define TTY_CHUNK 256

/* Registered ttys; ttys_lock protects the table and console_tty. */
static struct tty *ttys[TTY_MAX];
static struct tty *console_tty;
static spinlock_t ttys_lock = SPINLOCK_INIT("ttys");

/* The line discipline's raw output: straight to the driver. */
static void tty_ldisc_write(void *ctx, const char *buf, size_t n)
{
	struct tty *tty = ctx;

	tty->ops->write(tty, buf, n);
}

/* The line discipline's flush of unsent output: the driver's. */
static void tty_ldisc_flush_output(void *ctx)
{
	struct tty *tty = ctx;

	tty->ops->flush_output(tty);
}

/* The line discipline dropped its input: the driver's hook. */
static void tty_ldisc_flushed_input(void *ctx)
{
	struct tty *tty = ctx;

	tty->ops->flushed_input(tty);
}

void tty_ldisc_reset(struct tty *tty)
{
	ldisc_init(&tty->ld, tty_ldisc_write, tty);
	if (tty->ops->flush_output)
		tty->ld.flush_output = tty_ldisc_flush_output;
	if (tty->ops->flushed_input)
		tty->ld.flushed_input = tty_ldisc_flushed_input;
}

void tty_init(struct tty *tty, const char *name, dev_t dev,
	      const struct tty_driver_ops *ops, void *driver_data)
{
	memset(tty, 0, sizeof(*tty));
	tty->name = name;
	tty->dev = dev;
	tty->ops = ops;
	tty->driver_data = driver_data;
	spin_init(&tty->lock, "tty");
	wait_queue_init(&tty->read_wq);
	wait_queue_init(&tty->write_wq);
	tty_ldisc_reset(tty);
}

void tty_register(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&ttys_lock);

	for (int i = 0; i < TTY_MAX; i++) {
		if (!ttys[i]) {
			ttys[i] = tty;
			break;
		}
	}
	spin_unlock_irqrestore(&ttys_lock, flags);
}

struct tty *tty_lookup(dev_t dev)
{
	struct tty *found = NULL;
	uint64_t flags = spin_lock_irqsave(&ttys_lock);

	for (int i = 0; i < TTY_MAX && !found; i++)
		if (ttys[i] && ttys[i]->dev == dev)
			found = ttys[i];
	spin_unlock_irqrestore(&ttys_lock, flags);
	return found;
}

struct tty *tty_lookup_name(const char *name)
{
	struct tty *found = NULL;
	uint64_t flags = spin_lock_irqsave(&ttys_lock);

	for (int i = 0; i < TTY_MAX && !found; i++)
		if (ttys[i] && !strcmp(ttys[i]->name, name))
			found = ttys[i];
	spin_unlock_irqrestore(&ttys_lock, flags);
	return found;
}

void tty_set_console(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&ttys_lock);

	console_tty = tty;
	spin_unlock_irqrestore(&ttys_lock, flags);
}

bool tty_input_room(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	bool room = ldisc_can_receive(&tty->ld);

	spin_unlock_irqrestore(&tty->lock, flags);
	return room;
}

void tty_input_byte(struct tty *tty, uint8_t c)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	ldisc_receive(&tty->ld, c);
	spin_unlock_irqrestore(&tty->lock, flags);
}

void tty_input_done(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	unsigned sigs = tty->ld.pending_signals;
	pid_t pgrp = tty->pgrp;

	tty->ld.pending_signals = 0;
	spin_unlock_irqrestore(&tty->lock, flags);
	for (int sig = 1; sigs && sig < 32; sig++)
		if ((sigs & (1u << sig)) && pgrp > 0)
			signal_send_pgrp(pgrp, sig);
	wake_up(&tty->read_wq);
}

/* Which tty an open of this device number means; /dev/tty and /dev/console never
 * make a controlling terminal (*noctty). */
static struct tty *tty_for_open(dev_t dev, bool *noctty)
{
	struct tty *tty;
	uint64_t flags;

	if (dev == MKDEV(5, 0)) {
		*noctty = true;
		return task_ctty(current);
	}
	if (dev == MKDEV(5, 1)) {
		*noctty = true;
		flags = spin_lock_irqsave(&ttys_lock);
		tty = console_tty;
		spin_unlock_irqrestore(&ttys_lock, flags);
		return tty;
	}
	if (MAJOR(dev) == 136)
		return pty_slave_lookup(MINOR(dev));
	return tty_lookup(dev);
}

/* Drops one open; the last one clears TIOCEXCL and, after a successful open
 * (notify), tells the driver. */
static void tty_drop_open(struct tty *tty, bool notify)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	bool last = --tty->open_count == 0;

	if (last)
		tty->exclusive = false;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (last && notify && tty->ops->close)
		tty->ops->close(tty);
}

/* Opens a tty; a session leader without a controlling terminal acquires this one
 * unless O_NOCTTY (Linux's tty_open). */
static int tty_open(struct file *file)
{
	bool noctty = file->flags & O_NOCTTY;
	struct tty *tty = tty_for_open(file_rdev(file), &noctty);
	struct task *t = current;
	uint64_t flags;

	int err = 0;

	if (!tty)
		return -ENXIO;
	flags = spin_lock_irqsave(&tty->lock);
	if (tty->hung_up)
		err = -EIO;
	else if (tty->exclusive && task_cred(t)->euid != 0)
		err = -EBUSY;
	else
		tty->open_count++;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (err)
		return err;
	err = tty->ops->open ? tty->ops->open(tty) : 0;
	if (err) {
		tty_drop_open(tty, false);
		return err;
	}
	file->private_data = tty;
	if (!noctty && task_sid(t) == task_tgid(t) && !task_ctty(t) && !READ_ONCE(tty->session))
		tty_set_ctty_current(tty);
	return 0;
}

static void tty_release(struct file *file)
{
	tty_drop_open(file->private_data, true);
}

/* Copies ready input to buf at *done; returns -errno or 0. With line_end set, stops
 * after one canonical line. */
static int tty_copy_input(struct tty *tty, struct iobuf *buf, size_t *done)
{
	char chunk[TTY_CHUNK];
	bool line_end = false;
	size_t n;
	uint64_t flags;
	int err;

	while (*done < buf->len && !line_end) {
		flags = spin_lock_irqsave(&tty->lock);
		n = ldisc_read(&tty->ld, chunk, MIN(buf->len - *done, sizeof(chunk)), &line_end);
		spin_unlock_irqrestore(&tty->lock, flags);
		if (tty->ops->unthrottle)
			tty->ops->unthrottle(tty);
		if (n == 0)
			break;
		err = iobuf_copy_out(buf, *done, chunk, n);
		if (err)
			return err;
		*done += n;
	}
	return 0;
}

/* Bytes a raw read may take; a hang-up counts as plenty, to end every wait. */
static size_t tty_available(struct tty *tty)
{
	return tty_hung_up(tty) ? (size_t)-1 : ldisc_available(&tty->ld);
}

/* Waits as VMIN/VTIME say for raw input (Linux's n_tty_read rules): returns 0 when
 * the read should copy what is there, or -errno. */
static int tty_wait_raw(struct tty *tty, struct file *file, size_t len)
{
	unsigned vmin = tty->ld.termios.c_cc[VMIN], vtime = tty->ld.termios.c_cc[VTIME];
	size_t want = MIN((size_t)vmin, len), seen;
	uint64_t timeout = vtime * 100000000ull;
	int err;

	if (file->flags & O_NONBLOCK)
		return tty_available(tty) ? 0 : -EAGAIN;
	if (vmin == 0 && vtime == 0)
		return 0;
	if (vmin == 0) {
		err = wait_event_interruptible_timeout(&tty->read_wq, tty_available(tty) > 0,
						       clock_monotonic_ns() + timeout);
		return err == -ETIMEDOUT ? 0 : err;
	}
	err = wait_event_interruptible(&tty->read_wq, tty_available(tty) > 0);
	while (!err && tty_available(tty) < want) {
		seen = tty_available(tty);
		if (!vtime)
			err = wait_event_interruptible(&tty->read_wq, tty_available(tty) >= want);
		else
			err = wait_event_interruptible_timeout(&tty->read_wq,
				tty_available(tty) != seen, clock_monotonic_ns() + timeout);
	}
	return err == -ETIMEDOUT ? 0 : err;
}

/* Job control for a read or write: none through /dev/console (Linux's n_tty "don't
 * stop on /dev/console"), tty_job_check otherwise. */
static int tty_rw_job_check(struct file *file, struct tty *tty, int sig)
{
	return file_rdev(file) == MKDEV(5, 1) ? 0 : tty_job_check(tty, sig);
}

static ssize_t tty_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct tty *tty = file->private_data;
	size_t done = 0;
	int err;

	if (tty_hung_up(tty))
		return 0;
	err = tty_rw_job_check(file, tty, SIGTTIN);
	if (err)
		return err;
	if (buf->len == 0)
		return 0;
	if (tty->ld.termios.c_lflag & ICANON) {
		if (file->flags & O_NONBLOCK)
			err = ldisc_readable(&tty->ld) ? 0 : -EAGAIN;
		else
			err = wait_event_interruptible(&tty->read_wq,
				ldisc_readable(&tty->ld) || tty_hung_up(tty));
	} else {
		err = tty_wait_raw(tty, file, buf->len);
	}
	if (tty_hung_up(tty))
		return 0;
	if (!err)
		err = tty_copy_input(tty, buf, &done);
	return done ? (ssize_t)done : err;
}

/* Writes through output processing, a chunk at a time so echo can interleave. */
static ssize_t tty_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct tty *tty = file->private_data;
	char in[TTY_CHUNK], out[2 * TTY_CHUNK];
	size_t done = 0, n, outn;
	uint64_t flags;
	int err;

	if (tty_hung_up(tty))
		return -EIO;
	if (tty->ld.termios.c_lflag & TOSTOP) {
		err = tty_rw_job_check(file, tty, SIGTTOU);
		if (err)
			return err;
	}
	while (done < buf->len) {
		n = MIN(buf->len - done, sizeof(in));
		err = tty->ops->wait_room ? tty->ops->wait_room(tty, file, 2 * n) : 0;
		if (!err)
			err = iobuf_copy_in(in, buf, done, n);
		if (err)
			return done ? (ssize_t)done : err;
		flags = spin_lock_irqsave(&tty->lock);
		outn = ldisc_process_output(&tty->ld, in, n, out);
		spin_unlock_irqrestore(&tty->lock, flags);
		tty->ops->write(tty, out, outn);
		done += n;
	}
	return done;
}

static unsigned tty_poll(struct file *file, struct poll_table *pt)
{
	struct tty *tty = file->private_data;
	unsigned mask = POLLOUT | POLLWRNORM;

	poll_wait(file, &tty->read_wq, pt);
	if (tty_hung_up(tty))
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	if (ldisc_readable(&tty->ld))
		mask |= POLLIN | POLLRDNORM;
	if (tty->ops->wait_room) {
		poll_wait(file, &tty->write_wq, pt);
		if (tty->ops->wait_room(tty, NULL, 2 * TTY_CHUNK))
			mask &= ~(POLLOUT | POLLWRNORM);
	}
	return mask;
}

const struct file_operations tty_fops = {
	.open = tty_open,
	.release = tty_release,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
};
