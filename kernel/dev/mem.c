/*
 * mem.c — the memory devices of major 1: /dev/null, /dev/zero and /dev/full.
 */
#include "dev/devices.h"
#include "lib/log.h"

/* Seeking any of them succeeds and leaves the position at 0, as Linux does. */
static off_t mem_llseek(struct file *file, off_t offset, int whence)
{
	return 0;
}

static unsigned mem_poll(struct file *file, struct poll_table *pt)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

static ssize_t null_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	return buf->len;
}

/* Fills the buffer with zeros, a page-sized chunk at a time. */
static ssize_t zero_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	static const char zeros[4096];
	size_t done = 0;
	int err;

	while (done < buf->len) {
		size_t n = MIN(buf->len - done, sizeof(zeros));

		err = iobuf_copy_out(buf, done, zeros, n);
		if (err)
			return done ? (ssize_t)done : err;
		done += n;
	}
	return done;
}

static ssize_t full_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	return -ENOSPC;
}

const struct file_operations null_fops = {
	.read = null_read,
	.write = null_write,
	.llseek = mem_llseek,
	.poll = mem_poll,
};

const struct file_operations zero_fops = {
	.mmap_shared_anon = true,
	.read = zero_read,
	.write = null_write,
	.llseek = mem_llseek,
	.poll = mem_poll,
};

const struct file_operations full_fops = {
	.read = zero_read,
	.write = full_write,
	.llseek = mem_llseek,
	.poll = mem_poll,
};
