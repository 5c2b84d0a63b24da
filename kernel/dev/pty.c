/*
 * pty.c — Unix 98 pseudo-terminals (Linux's pty.c): each open of /dev/ptmx (5:2,
 * also /dev/pts/ptmx) makes a pair, a master file and a slave tty /dev/pts/N
 * (136:N). The slave is an ordinary struct tty (line discipline, job control,
 * termios: tty.c); its driver output goes into a ring the master reads, and what the
 * master writes is the slave's input. Closing the master hangs the slave up;
 * closing the last slave file makes master reads fail with EIO once drained.
 *
 * Packet mode (TIOCPKT on the master, Linux's): every master read starts with a
 * byte, TIOCPKT_DATA before slave output, or alone the status bits gathered since
 * the last read: FLUSHREAD and FLUSHWRITE when the slave dropped input or output,
 * NOSTOP and DOSTOP when its ^S/^Q flow control went off or on. (TIOCPKT_STOP and
 * START for ^S/^Q typed on the slave are not reported yet.)
 *
 * Pairs are allocated on first use and never freed: a pair whose master is closed
 * and whose slave has no open file is reused by the next /dev/ptmx open (lowest
 * index first, as Linux's ida), so a struct tty pointer stays valid forever.
 */
#include "dev/devices.h"
#include "dev/tty.h"
#include "mm/mm.h"
#include <asm/fcntl.h>
#include <asm/ioctls.h>
#include <asm/signal.h>

#define PTY_MAX 256		/* pairs at most (Linux: kernel.pty.max, 4096) */
#define PTY_RING 4096		/* slave output waiting for the master */

/*
 * One pair. Lock order: ptys_lock, then tty.lock, then lock. `lock` (irqsave: the
 * slave's output arrives under tty.lock) protects ring/head/tail, batch_start,
 * in_batch, master_open, locked and slave_closed; the wait conditions read them with
 * READ_ONCE. index and name are fixed once the pair exists.
 */
struct pty {
	unsigned index;
	char name[16];			/* "pts/N" */
	struct tty tty;			/* the slave */
	spinlock_t lock;
	char ring[PTY_RING];
	uint32_t head, tail;		/* free-running */
	/* Output made while the slave processes one master write (echo) is what
	 * Linux still holds in the master's flip buffer, the only output a signal
	 * character or TCOFLUSH on the slave drops: from batch_start to head. */
	uint32_t batch_start;
	bool in_batch;
	bool master_open;
	bool locked;			/* TIOCSPTLCK: slave opens fail with EIO */
	bool slave_closed;		/* the slave's last file was closed */
	bool packet;			/* TIOCPKT mode */
	uint8_t pktstatus;		/* TIOCPKT_* bits not read yet (packet mode only) */
	struct wait_queue master_wq;	/* master readers, writers and pollers */
};

/* The pairs by index; ptys_lock protects the table and claiming a pair. */
static struct pty *ptys[PTY_MAX];
static spinlock_t ptys_lock = SPINLOCK_INIT("ptys");

static uint32_t pty_ring_used(struct pty *p)
{
	return READ_ONCE(p->head) - READ_ONCE(p->tail);
}

/* Slave driver output: into the master's ring. tty_write waited for room first
 * (pty_wait_room); echo that finds the ring full is dropped. */
static void pty_slave_write(struct tty *tty, const char *buf, size_t n)
{
	struct pty *p = tty->driver_data;
	uint64_t flags = spin_lock_irqsave(&p->lock);

	for (size_t i = 0; i < n && p->head - p->tail < PTY_RING; i++)
		p->ring[p->head++ % PTY_RING] = buf[i];
	spin_unlock_irqrestore(&p->lock, flags);
	wake_up(&p->master_wq);
}

/* Adds packet-mode status bits (after clearing clear) and wakes the master. */
static void pty_packet_status(struct pty *p, uint8_t set, uint8_t clear)
{
	uint64_t flags = spin_lock_irqsave(&p->lock);
	bool packet = p->packet;

	if (packet)
		p->pktstatus = (p->pktstatus & ~clear) | set;
	spin_unlock_irqrestore(&p->lock, flags);
	if (packet)
		wake_up(&p->master_wq);
}

/* The slave dropped its pending input: FLUSHREAD for a packet-mode master. */
static void pty_flushed_input(struct tty *tty)
{
	pty_packet_status(tty->driver_data, TIOCPKT_FLUSHREAD, 0);
}

/* Whether ^S/^Q flow control is on, as Linux's pty_set_termios judges it. */
static bool pty_flow(const struct termios2 *t)
{
	return (t->c_iflag & IXON) && t->c_cc[VSTOP] == '\023' && t->c_cc[VSTART] == '\021';
}

/* New slave termios: DOSTOP or NOSTOP when flow control went on or off. */
static void pty_set_termios(struct tty *tty, const struct termios2 *old)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	bool now = pty_flow(&tty->ld.termios);

	spin_unlock_irqrestore(&tty->lock, flags);
	if (now != pty_flow(old))
		pty_packet_status(tty->driver_data, now ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP,
				  TIOCPKT_DOSTOP | TIOCPKT_NOSTOP);
}

/* Drops the slave's output still in flight (Linux's pty_flush_buffer: what the
 * current master write produced, see batch_start). */
static void pty_flush_output(struct tty *tty)
{
	struct pty *p = tty->driver_data;
	uint64_t flags = spin_lock_irqsave(&p->lock);

	if (p->in_batch)
		p->head = (p->head - p->batch_start <= p->head - p->tail) ? p->batch_start : p->tail;
	spin_unlock_irqrestore(&p->lock, flags);
	pty_packet_status(p, TIOCPKT_FLUSHWRITE, 0);
	wake_up(&tty->write_wq);
}

/* Starts or ends the slave's processing of one master write (see batch_start). */
static void pty_batch(struct pty *p, bool start)
{
	uint64_t flags = spin_lock_irqsave(&p->lock);

	p->in_batch = start;
	p->batch_start = p->head;
	spin_unlock_irqrestore(&p->lock, flags);
}

/* The slave read input: master writers may go on. */
static void pty_slave_unthrottle(struct tty *tty)
{
	struct pty *p = tty->driver_data;

	wake_up(&p->master_wq);
}

/* A slave open: the master must be open and the pair unlocked (Linux's pty_open). */
static int pty_slave_open(struct tty *tty)
{
	struct pty *p = tty->driver_data;
	uint64_t flags = spin_lock_irqsave(&p->lock);
	int err = 0;

	if (!p->master_open || p->locked)
		err = -EIO;
	else
		p->slave_closed = false;
	spin_unlock_irqrestore(&p->lock, flags);
	return err;
}

/* The slave's last file closed: the master reads EIO once its ring is drained. */
static void pty_slave_close(struct tty *tty)
{
	struct pty *p = tty->driver_data;
	uint64_t flags = spin_lock_irqsave(&p->lock);

	p->slave_closed = true;
	spin_unlock_irqrestore(&p->lock, flags);
	wake_up(&p->master_wq);
}

static bool pty_room(struct pty *p, size_t n)
{
	return PTY_RING - pty_ring_used(p) >= n || !READ_ONCE(p->master_open);
}

/* Slave writers wait for the master to read; a closed master means EIO. */
static int pty_wait_room(struct tty *tty, struct file *file, size_t n)
{
	struct pty *p = tty->driver_data;
	int err = 0;

	if (!pty_room(p, n)) {
		if (!file || (file->flags & O_NONBLOCK))
			return -EAGAIN;
		err = wait_event_interruptible(&tty->write_wq, pty_room(p, n));
	}
	if (!err && !READ_ONCE(p->master_open))
		err = -EIO;
	return err;
}

static const struct tty_driver_ops pty_slave_ops = {
	.write = pty_slave_write,
	.unthrottle = pty_slave_unthrottle,
	.flush_output = pty_flush_output,
	.flushed_input = pty_flushed_input,
	.set_termios = pty_set_termios,
	.open = pty_slave_open,
	.close = pty_slave_close,
	.wait_room = pty_wait_room,
};

struct tty *pty_slave_lookup(unsigned index)
{
	struct tty *tty = NULL;
	uint64_t flags = spin_lock_irqsave(&ptys_lock);

	if (index < PTY_MAX && ptys[index])
		tty = &ptys[index]->tty;
	spin_unlock_irqrestore(&ptys_lock, flags);
	return tty;
}

/* Resets a free pair for a new master; needs ptys_lock and the pair free. */
static void pty_claim(struct pty *p)
{
	struct tty *tty = &p->tty;
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	tty_ldisc_reset(tty);
	tty->ld.termios.c_cflag &= ~HUPCL;
	tty->session = 0;
	tty->pgrp = 0;
	memset(&tty->winsize, 0, sizeof(tty->winsize));
	tty->exclusive = false;
	tty->hung_up = false;
	spin_lock(&p->lock);
	p->head = p->tail = 0;
	p->master_open = true;
	p->locked = true;
	p->slave_closed = false;
	p->packet = false;
	p->pktstatus = 0;
	spin_unlock(&p->lock);
	spin_unlock_irqrestore(&tty->lock, flags);
}

/* True when no master and no slave file use the pair; needs ptys_lock. */
static bool pty_is_free(struct pty *p)
{
	uint64_t flags = spin_lock_irqsave(&p->tty.lock);
	bool free = !p->tty.open_count && !READ_ONCE(p->master_open);

	spin_unlock_irqrestore(&p->tty.lock, flags);
	return free;
}

/* Claims the lowest free existing pair, or the lowest empty slot for fresh (which
 * is then installed); the pair, or NULL with *need_new when a new one is needed. */
static struct pty *pty_claim_free(struct pty *fresh, bool *need_new)
{
	uint64_t flags = spin_lock_irqsave(&ptys_lock);
	struct pty *p = NULL;
	int empty = -1;

	for (int i = 0; i < PTY_MAX && !p; i++) {
		if (!ptys[i]) {
			if (empty < 0)
				empty = i;
		} else if (pty_is_free(ptys[i])) {
			p = ptys[i];
		}
	}
	if (p && empty >= 0 && (unsigned)empty < p->index)
		p = NULL;
	if (!p && empty >= 0 && fresh) {
		fresh->index = empty;
		ptys[empty] = fresh;
		p = fresh;
	}
	*need_new = !p && empty >= 0;
	if (p)
		pty_claim(p);
	spin_unlock_irqrestore(&ptys_lock, flags);
	return p;
}

/* A new, unpublished pair; NULL when out of memory. */
static struct pty *pty_alloc(void)
{
	struct pty *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	spin_init(&p->lock, "pty");
	wait_queue_init(&p->master_wq);
	tty_init(&p->tty, p->name, 0, &pty_slave_ops, p);
	return p;
}

/* Opening /dev/ptmx: a pair with a locked slave and its /dev/pts node. */
static int ptmx_open(struct file *file)
{
	struct pty *p, *fresh = NULL;
	struct cred *c = task_cred(current);
	bool need_new;
	int err;

	p = pty_claim_free(NULL, &need_new);
	if (!p && need_new) {
		fresh = pty_alloc();
		if (!fresh)
			return -ENOMEM;
		p = pty_claim_free(fresh, &need_new);
		if (p != fresh)
			kfree(fresh);
	}
	if (!p)
		return -ENOSPC;
	ksnprintf(p->name, sizeof(p->name), "pts/%u", p->index);
	p->tty.dev = MKDEV(136, p->index);
	err = devpts_add(p->index, c->fsuid, c->fsgid);
	if (err) {
		WRITE_ONCE(p->master_open, false);
		return err;
	}
	file->private_data = p;
	return 0;
}

/* The master's last file: the /dev/pts node goes and the slave hangs up. */
static void ptmx_release(struct file *file)
{
	struct pty *p = file->private_data;
	uint64_t flags;

	devpts_remove(p->index);
	tty_hangup(&p->tty);
	flags = spin_lock_irqsave(&p->lock);
	p->master_open = false;
	spin_unlock_irqrestore(&p->lock, flags);
	wake_up(&p->tty.write_wq);
}

static bool pty_master_readable(struct pty *p)
{
	return pty_ring_used(p) || READ_ONCE(p->slave_closed) || READ_ONCE(p->pktstatus);
}

/* In packet mode, takes the status byte (1: *status set, and the read returns it
 * alone) or says data comes with a TIOCPKT_DATA byte first (0); -1 otherwise. */
static int ptmx_packet_byte(struct pty *p, uint8_t *status)
{
	uint64_t flags = spin_lock_irqsave(&p->lock);
	int r = -1;

	if (p->packet) {
		*status = p->pktstatus;
		p->pktstatus = 0;
		r = *status != 0;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return r;
}

/* Copies slave output, after the packet-mode byte; EIO when there is none and the
 * slave is closed. */
static ssize_t ptmx_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct pty *p = file->private_data;
	char chunk[256];
	size_t done = 0, n;
	uint64_t flags;
	uint8_t status;
	int err = 0, packet;

	if (buf->len == 0)
		return 0;
again:
	if (!pty_master_readable(p)) {
		if (file->flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(&p->master_wq, pty_master_readable(p));
		if (err)
			return err;
	}
	packet = ptmx_packet_byte(p, &status);
	if (packet == 1)
		return iobuf_copy_out(buf, 0, &status, 1) ?: 1;
	if (packet == 0) {
		if (!pty_ring_used(p) && READ_ONCE(p->slave_closed))
			return -EIO;
		if (!pty_ring_used(p))
			goto again;	/* another reader took the status */
		err = iobuf_copy_out(buf, 0, &status, 1);
		if (err)
			return err;
		done = 1;
	}
	while (done < buf->len) {
		flags = spin_lock_irqsave(&p->lock);
		for (n = 0; n < sizeof(chunk) && done + n < buf->len && p->tail != p->head; n++)
			chunk[n] = p->ring[p->tail++ % PTY_RING];
		spin_unlock_irqrestore(&p->lock, flags);
		if (n == 0)
			break;
		err = iobuf_copy_out(buf, done, chunk, n);
		if (err)
			break;
		done += n;
	}
	wake_up(&p->tty.write_wq);
	if (done)
		return done;
	return err ? err : -EIO;
}

/* Feeds bytes to the slave's line discipline, waiting while its input is full. */
static ssize_t ptmx_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct pty *p = file->private_data;
	struct tty *tty = &p->tty;
	char chunk[256];
	size_t done = 0, n, i;
	int err = 0;

	while (done < buf->len && !err) {
		n = MIN(buf->len - done, sizeof(chunk));
		err = iobuf_copy_in(chunk, buf, done, n);
		pty_batch(p, true);
		for (i = 0; !err && i < n; i++) {
			if (!tty_input_room(tty)) {
				tty_input_done(tty);
				pty_batch(p, false);
				if (file->flags & O_NONBLOCK)
					err = -EAGAIN;
				else
					err = wait_event_interruptible(&p->master_wq,
								       tty_input_room(tty));
				if (err)
					break;
				pty_batch(p, true);
			}
			tty_input_byte(tty, chunk[i]);
		}
		done += i;
		tty_input_done(tty);
		pty_batch(p, false);
	}
	return done ? (ssize_t)done : err;
}

static unsigned ptmx_poll(struct file *file, struct poll_table *pt)
{
	struct pty *p = file->private_data;
	unsigned mask = 0;

	poll_wait(file, &p->master_wq, pt);
	if (pty_ring_used(p))
		mask |= POLLIN | POLLRDNORM;
	if (READ_ONCE(p->pktstatus))
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (READ_ONCE(p->slave_closed))
		mask |= POLLHUP;
	if (tty_input_room(&p->tty))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* TCFLSH on the master: its input is all the slave's unread output; what it wrote
 * is already in the slave's line discipline, so there is no output queue to drop. */
static long ptmx_flush(struct pty *p, unsigned long arg)
{
	uint64_t flags;

	if (arg > TCIOFLUSH)
		return -EINVAL;
	if (arg != TCOFLUSH) {
		flags = spin_lock_irqsave(&p->lock);
		p->tail = p->head;
		spin_unlock_irqrestore(&p->lock, flags);
		wake_up(&p->tty.write_wq);
	}
	return 0;
}

/* TIOCGPTPEER: opens the slave with open(2)'s flags and returns the new fd. Lumen
 * opens it by its path, /dev/pts/N (Linux uses the master's devpts mount, so it
 * works where /dev/pts is something else). */
static long ptmx_open_peer(struct pty *p, unsigned long flags)
{
	char path[32];
	struct file *file;
	int fd;

	ksnprintf(path, sizeof(path), "/dev/%s", p->name);
	file = vfs_open(path, (int)flags, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = fd_install(task_files(current), file, (unsigned)flags);
	if (fd < 0)
		file_put(file);
	return fd;
}

static long ptmx_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	struct pty *p = file->private_data;
	void __user *argp = (void __user *)arg;
	struct winsize ws;
	uint64_t flags;
	pid_t id;
	int v;

	switch (cmd) {
	case TIOCGPTN:
		return put_user(p->index, (unsigned __user *)argp);
	case TIOCSPTLCK:
		if (get_user(v, (int __user *)argp))
			return -EFAULT;
		flags = spin_lock_irqsave(&p->lock);
		p->locked = v != 0;
		spin_unlock_irqrestore(&p->lock, flags);
		return 0;
	case TIOCGPTLCK:
		return put_user((int)READ_ONCE(p->locked), (int __user *)argp);
	case TIOCPKT:
		if (get_user(v, (int __user *)argp))
			return -EFAULT;
		flags = spin_lock_irqsave(&p->lock);
		if (!v || !p->packet)
			p->pktstatus = 0;	/* only packet mode gathers status */
		p->packet = v != 0;
		spin_unlock_irqrestore(&p->lock, flags);
		return 0;
	case TIOCGPKT:
		return put_user((int)READ_ONCE(p->packet), (int __user *)argp);
	case TIOCGPTPEER:
		return ptmx_open_peer(p, arg);
	case TIOCSWINSZ:
		return tty_set_winsize(&p->tty, argp);
	case TIOCGWINSZ:
		flags = spin_lock_irqsave(&p->tty.lock);
		ws = p->tty.winsize;
		spin_unlock_irqrestore(&p->tty.lock, flags);
		return copy_to_user(argp, &ws, sizeof(ws));
	case TIOCGPGRP:
	case TIOCGSID:
		id = cmd == TIOCGPGRP ? READ_ONCE(p->tty.pgrp) : READ_ONCE(p->tty.session);
		if (cmd == TIOCGSID && !id)
			return -ENOTTY;
		return put_user((int)id, (int __user *)argp);
	case FIONREAD:
		return put_user((int)pty_ring_used(p), (int __user *)argp);
	case TIOCOUTQ:
		return put_user(0, (int __user *)argp);
	case TCGETS:
	case TCGETS2:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
		return tty_termios_ioctl(&p->tty, cmd, argp);
	case TCFLSH:
		return ptmx_flush(p, arg);
	}
	return -ENOTTY;
}

const struct file_operations ptmx_fops = {
	.open = ptmx_open,
	.release = ptmx_release,
	.read = ptmx_read,
	.write = ptmx_write,
	.ioctl = ptmx_ioctl,
	.poll = ptmx_poll,
};
