/*
 * kmsg.c — /dev/kmsg: each read returns one kernel log record, Linux's way.
 *
 * Readers that wait for new records recheck the log every KMSG_POLL_NS instead of
 * being woken by the log: klog() runs in every context (scheduler included), where a
 * wake-up could deadlock.
 */
#include "dev/devices.h"
#include "lib/log.h"
#include "mm/mm.h"
#include "proc/proc.h"
#include <asm/fcntl.h>
#include <linux/fs.h>

#define KMSG_RECORD_MAX 1024	/* a formatted record is shorter (log.c cuts texts) */
#define KMSG_POLL_NS 50000000ull

/* One open /dev/kmsg: the next record to read. `lock` protects seq. */
struct kmsg_reader {
	spinlock_t lock;
	uint64_t seq;
};

static struct wait_queue kmsg_wq = WAIT_QUEUE_INIT(kmsg_wq);

static int kmsg_open(struct file *file)
{
	struct kmsg_reader *r = kzalloc(sizeof(*r));

	if (!r)
		return -ENOMEM;
	spin_init(&r->lock, "kmsg");
	r->seq = log_first_seq();
	file->private_data = r;
	return 0;
}

static void kmsg_release(struct file *file)
{
	kfree(file->private_data);
}

/* Waits until a record at or after seq exists; 0 or -errno. */
static int kmsg_wait(uint64_t seq, bool nonblock)
{
	int err;

	while (log_next_seq() <= seq) {
		if (nonblock)
			return -EAGAIN;
		err = wait_event_interruptible_timeout(&kmsg_wq, log_next_seq() > seq,
						       clock_monotonic_ns() + KMSG_POLL_NS);
		if (err && err != -ETIMEDOUT)
			return err;
	}
	return 0;
}

/* Formats the reader's next record; -EPIPE (once) when records were lost. */
static ssize_t kmsg_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct kmsg_reader *r = file->private_data;
	char *text;
	uint64_t seq, flags;
	int n;

	seq = READ_ONCE(r->seq);
	n = kmsg_wait(seq, file->flags & O_NONBLOCK);
	if (n)
		return n;
	text = kmalloc(KMSG_RECORD_MAX);
	if (!text)
		return -ENOMEM;
	flags = spin_lock_irqsave(&r->lock);
	if (r->seq < log_first_seq()) {
		r->seq = log_first_seq();
		n = -EPIPE;
	} else {
		seq = r->seq;
		n = log_read_kmsg(&seq, text, KMSG_RECORD_MAX);
		if (n > 0 && (size_t)n > buf->len)
			n = -EINVAL;
		else if (n > 0)
			r->seq = seq;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	if (n > 0 && iobuf_copy_out(buf, 0, text, n))
		n = -EFAULT;
	kfree(text);
	return n == 0 ? -EAGAIN : n;
}

/* A write is one record; a leading "<N>" gives its level and, when N >= 8, its
 * facility. Linux's defaults: level 4 (warning), facility 1 (user). */
static ssize_t kmsg_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	char *text;
	size_t len = buf->len, skip = 0;
	int level = LOG_WARNING, facility = 1, err;

	if (len > KMSG_RECORD_MAX - 32)
		return -EINVAL;
	text = kmalloc(len + 1);
	if (!text)
		return -ENOMEM;
	err = iobuf_copy_in(text, buf, 0, len);
	if (err)
		goto free_text;
	text[len] = 0;
	if (text[0] == '<') {
		unsigned v = 0;
		size_t i = 1;

		while (text[i] >= '0' && text[i] <= '9')
			v = v * 10 + (text[i++] - '0');
		if (i > 1 && text[i] == '>') {
			level = v & 7;
			facility = (v >> 3) ? (int)(v >> 3) & 0x1f : facility;
			skip = i + 1;
		}
	}
	klog(facility << 3 | level, "%s", text + skip);
free_text:
	kfree(text);
	return err ? err : (ssize_t)len;
}

/* SEEK_SET 0: oldest record; SEEK_DATA: the first after syslog's CLEAR (the oldest
 * kept here, CLEAR drops records); SEEK_END: after the newest. */
static off_t kmsg_llseek(struct file *file, off_t offset, int whence)
{
	struct kmsg_reader *r = file->private_data;
	uint64_t flags;

	if (offset)
		return -ESPIPE;
	if (whence != SEEK_SET && whence != SEEK_DATA && whence != SEEK_END)
		return -EINVAL;
	flags = spin_lock_irqsave(&r->lock);
	r->seq = whence == SEEK_END ? log_next_seq() : log_first_seq();
	spin_unlock_irqrestore(&r->lock, flags);
	return 0;
}

static unsigned kmsg_poll(struct file *file, struct poll_table *pt)
{
	struct kmsg_reader *r = file->private_data;
	uint64_t seq = READ_ONCE(r->seq);

	poll_wait(file, &kmsg_wq, pt);
	if (seq < log_first_seq())
		return POLLIN | POLLRDNORM | POLLERR | POLLPRI;
	return seq < log_next_seq() ? POLLIN | POLLRDNORM : 0;
}

const struct file_operations kmsg_fops = {
	.open = kmsg_open,
	.release = kmsg_release,
	.read = kmsg_read,
	.write = kmsg_write,
	.llseek = kmsg_llseek,
	.poll = kmsg_poll,
};
