/*
 * syslog.c — syslog(2), as Linux's do_syslog: reading the kernel log (destructively
 * from the syslog position, or all of it), clearing, and the console level.
 *
 * CLEAR only moves this file's clear position, as Linux: /dev/kmsg readers still see
 * every record. A blocking READ rechecks the log every SYSLOG_POLL_NS (the log does
 * not wake sleepers: klog() runs where a wake-up could deadlock).
 */
#include "lib/log.h"
#include "lib/spinlock.h"
#include "mm/mm.h"
#include "proc/proc.h"

/* Linux's include/linux/syslog.h (not part of the uapi headers). */
enum {
	SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL,
	SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF,
	SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

#define SYSLOG_RECORD_MAX 1024
#define SYSLOG_POLL_NS 50000000ull
/* log.c's ring: 2048 records of at most 240 bytes of text. */
#define SYSLOG_BUFFER_SIZE (2048 * 240)
#define MINIMUM_CONSOLE_LEVEL 1	/* Linux's minimum_console_loglevel */

/* syslog_lock protects the read and clear positions and the saved console level. */
static spinlock_t syslog_lock = SPINLOCK_INIT("syslog");
static uint64_t syslog_seq, clear_seq;
static int saved_console_level = -1;
static struct wait_queue syslog_wq = WAIT_QUEUE_INIT(syslog_wq);

/* Formats the record at or after *seq into text; its length, or 0 when none. */
static int syslog_format(uint64_t *seq, char *text)
{
	int n = log_read_syslog(seq, text, SYSLOG_RECORD_MAX);

	return n < 0 ? 0 : n;
}

/* SYSLOG_ACTION_READ: waits for unread records, then copies as many as fit (the
 * first one cut short when even it does not) and consumes them. */
static long syslog_read(char __user *buf, int len, char *text)
{
	uint64_t seq, flags;
	long done = 0;
	int n, err;

	while (MAX(READ_ONCE(syslog_seq), log_first_seq()) >= log_next_seq()) {
		err = wait_event_interruptible_timeout(&syslog_wq,
			MAX(READ_ONCE(syslog_seq), log_first_seq()) < log_next_seq(),
			clock_monotonic_ns() + SYSLOG_POLL_NS);
		if (err && err != -ETIMEDOUT)
			return err;
	}
	flags = spin_lock_irqsave(&syslog_lock);
	seq = MAX(syslog_seq, log_first_seq());
	while (done < len) {
		uint64_t next = seq;

		n = syslog_format(&next, text);
		if (!n || (done && done + n > len))
			break;
		n = MIN(n, len - done);
		spin_unlock_irqrestore(&syslog_lock, flags);
		if (copy_to_user(buf + done, text, n))
			return done ? done : -EFAULT;
		flags = spin_lock_irqsave(&syslog_lock);
		done += n;
		seq = next;
	}
	syslog_seq = seq;
	spin_unlock_irqrestore(&syslog_lock, flags);
	return done;
}

/* Bytes the records in [seq, end) take formatted. */
static size_t syslog_span(uint64_t seq, uint64_t end, char *text)
{
	size_t total = 0;
	int n;

	while (seq < end && (n = syslog_format(&seq, text)))
		total += n;
	return total;
}

/* READ_ALL / READ_CLEAR: the newest records since the last CLEAR that fit in len,
 * oldest first, without consuming them. */
static long syslog_read_all(char __user *buf, int len, bool clear, char *text)
{
	uint64_t seq = MAX(READ_ONCE(clear_seq), log_first_seq()), end = log_next_seq();
	size_t total = syslog_span(seq, end, text);
	long done = 0;
	int n;

	while (total > (size_t)len && seq < end) {
		uint64_t first = seq;

		n = syslog_format(&seq, text);
		total -= n;
		if (!n || seq == first)
			break;
	}
	while (seq < end && (n = syslog_format(&seq, text)) && done + n <= len) {
		if (copy_to_user(buf + done, text, n))
			return -EFAULT;
		done += n;
	}
	if (clear)
		WRITE_ONCE(clear_seq, end);
	return done;
}

/* CONSOLE_OFF / ON / LEVEL, under syslog_lock. */
static long syslog_console(int type, int len)
{
	uint64_t flags = spin_lock_irqsave(&syslog_lock);
	long ret = 0;

	if (type == SYSLOG_ACTION_CONSOLE_OFF) {
		if (saved_console_level == -1)
			saved_console_level = console_level;
		console_level = MINIMUM_CONSOLE_LEVEL;
	} else if (type == SYSLOG_ACTION_CONSOLE_ON) {
		if (saved_console_level != -1) {
			console_level = saved_console_level;
			saved_console_level = -1;
		}
	} else if (len < 1 || len > 8) {
		ret = -EINVAL;
	} else {
		console_level = MAX(len, MINIMUM_CONSOLE_LEVEL);
		saved_console_level = -1;
	}
	spin_unlock_irqrestore(&syslog_lock, flags);
	return ret;
}

/* The reads: argument checks in Linux's order, then a record buffer. */
static long syslog_do_read(int type, char __user *buf, int len)
{
	char *text;
	long ret;

	if (!buf || len < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (!access_ok(buf, len))
		return -EFAULT;
	text = kmalloc(SYSLOG_RECORD_MAX);
	if (!text)
		return -ENOMEM;
	if (type == SYSLOG_ACTION_READ)
		ret = syslog_read(buf, len, text);
	else
		ret = syslog_read_all(buf, len, type == SYSLOG_ACTION_READ_CLEAR, text);
	kfree(text);
	return ret;
}

/* SIZE_UNREAD: formatted bytes from the syslog position to the newest record. */
static long syslog_size_unread(void)
{
	char *text = kmalloc(SYSLOG_RECORD_MAX);
	long ret;

	if (!text)
		return -ENOMEM;
	ret = syslog_span(MAX(READ_ONCE(syslog_seq), log_first_seq()), log_next_seq(), text);
	kfree(text);
	return ret;
}

/* syslog(2): see the SYSLOG_ACTION_* in linux/syslog.h. */
long sys_syslog(int type, char __user *buf, int len)
{
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		return syslog_do_read(type, buf, len);
	case SYSLOG_ACTION_CLEAR:
		WRITE_ONCE(clear_seq, log_next_seq());
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return syslog_console(type, len);
	case SYSLOG_ACTION_SIZE_UNREAD:
		return syslog_size_unread();
	case SYSLOG_ACTION_SIZE_BUFFER:
		return SYSLOG_BUFFER_SIZE;
	}
	return -EINVAL;
}
