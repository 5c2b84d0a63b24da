/*
 * pipe.c — pipes and fifos: a 64 KiB ring of 16 pages, PIPE_BUF-atomic writes,
 * blocking readers and writers on wait queues, EOF without writers, EPIPE and SIGPIPE
 * without readers.
 *
 * pipe->mutex protects the ring and the reader/writer counts; the wait conditions
 * read them without the lock and recheck under it. A fifo's pipe hangs off its inode
 * (inode->pipe, set and cleared under fifo_lock, taken before pipe->mutex). Copies to
 * and from user memory happen under pipe->mutex, and may fault in file pages (taking
 * an sb->mutex), so no sb->mutex may be held while taking a pipe's mutex.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include <asm-generic/poll.h>
#include <asm-generic/ioctls.h>
#include <asm-generic/signal.h>

#define PIPE_PAGES 16
#define PIPE_SIZE (PIPE_PAGES * PAGE_SIZE)
#define PIPE_BUF_ATOMIC 4096

static struct fs_mutex fifo_lock = {
	SPINLOCK_INIT("fifo"), false, WAIT_QUEUE_INIT(fifo_lock.wq)
};

struct pipe {
	struct fs_mutex mutex;
	uint64_t pages[PIPE_PAGES];	/* allocated on first use */
	uint64_t head, tail;		/* bytes ever written / read */
	int readers, writers;
	unsigned r_opens, w_opens;	/* fifo: opens so far, for the open waits */
	struct wait_queue rd_wq, wr_wq;
	struct inode *fifo;		/* the fifo's inode, NULL for pipe(2) */
};

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	fs_mutex_init(&p->mutex, "pipe");
	wait_queue_init(&p->rd_wq);
	wait_queue_init(&p->wr_wq);
	return p;
}

static void pipe_free(struct pipe *p)
{
	int i;

	for (i = 0; i < PIPE_PAGES; i++)
		if (p->pages[i])
			page_put(p->pages[i]);
	kfree(p);
}

static size_t pipe_count(struct pipe *p)
{
	return READ_ONCE(p->head) - READ_ONCE(p->tail);
}

/* Copies n bytes out of the ring at tail. Needs p->mutex. */
static int pipe_copy_out(struct pipe *p, struct iobuf *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t off = p->tail % PIPE_SIZE, chunk = MIN(n - done, PAGE_SIZE - off % PAGE_SIZE);
		char *src = (char *)phys_to_virt(p->pages[off / PAGE_SIZE]) + off % PAGE_SIZE;
		int err = iobuf_copy_out(buf, done, src, chunk);

		if (err)
			return done ? (int)done : err;
		done += chunk;
		p->tail += chunk;
	}
	return done;
}

/* Copies n bytes of buf from offset `from` into the ring at head. Needs p->mutex. */
static int pipe_copy_in(struct pipe *p, const struct iobuf *buf, size_t from, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t off = p->head % PIPE_SIZE, chunk = MIN(n - done, PAGE_SIZE - off % PAGE_SIZE);
		uint64_t *page = &p->pages[off / PAGE_SIZE];
		int err;

		if (!*page && !(*page = page_alloc()))
			return done ? (int)done : -ENOMEM;
		err = iobuf_copy_in((char *)phys_to_virt(*page) + off % PAGE_SIZE, buf,
				    from + done, chunk);
		if (err)
			return done ? (int)done : err;
		done += chunk;
		p->head += chunk;
	}
	return done;
}

static ssize_t pipe_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct pipe *p = file->private_data;
	int ret;

	if (!buf->len)
		return 0;
	for (;;) {
		fs_mutex_lock(&p->mutex);
		if (pipe_count(p)) {
			ret = pipe_copy_out(p, buf, MIN(pipe_count(p), buf->len));
			fs_mutex_unlock(&p->mutex);
			wake_up(&p->wr_wq);
			return ret;
		}
		ret = p->writers;
		fs_mutex_unlock(&p->mutex);
		if (!ret)
			return 0;
		if (READ_ONCE(file->flags) & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(&p->rd_wq, pipe_count(p) || !READ_ONCE(p->writers));
		if (ret)
			return ret;
	}
}

/* One step of a write: copies what fits; returns bytes, 0 to wait, or -errno. */
static ssize_t pipe_write_step(struct pipe *p, const struct iobuf *buf, size_t done)
{
	size_t left = buf->len - done, space;

	if (!p->readers)
		return -EPIPE;
	space = PIPE_SIZE - pipe_count(p);
	if (left <= PIPE_BUF_ATOMIC && space < left)
		return 0;
	if (!space)
		return 0;
	return pipe_copy_in(p, buf, done, MIN(space, left));
}

static ssize_t pipe_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct pipe *p = file->private_data;
	size_t done = 0;
	ssize_t n;
	int err;

	if (!buf->len)
		return 0;
	for (;;) {
		fs_mutex_lock(&p->mutex);
		n = pipe_write_step(p, buf, done);
		fs_mutex_unlock(&p->mutex);
		if (n > 0) {
			wake_up(&p->rd_wq);
			done += n;
			if (done == buf->len)
				return done;
			continue;
		}
		if (n == -EPIPE && current)
			signal_send_thread(current, SIGPIPE);
		if (n < 0)
			return done ? (ssize_t)done : n;
		if (READ_ONCE(file->flags) & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		err = wait_event_interruptible(&p->wr_wq, !READ_ONCE(p->readers) ||
					       PIPE_SIZE - pipe_count(p) >= MIN(buf->len - done,
									       PIPE_BUF_ATOMIC));
		if (err)
			return done ? (ssize_t)done : err;
	}
}

static unsigned pipe_poll(struct file *file, struct poll_table *pt)
{
	struct pipe *p = file->private_data;
	int acc = file->flags & O_ACCMODE;
	unsigned mask = 0;

	if (acc != O_WRONLY)
		poll_wait(file, &p->rd_wq, pt);
	if (acc != O_RDONLY)
		poll_wait(file, &p->wr_wq, pt);
	if (acc != O_WRONLY) {
		if (pipe_count(p))
			mask |= POLLIN | POLLRDNORM;
		if (!READ_ONCE(p->writers) && (!p->fifo || READ_ONCE(p->w_opens)))
			mask |= POLLHUP;
	}
	if (acc != O_RDONLY) {
		if (PIPE_SIZE - pipe_count(p) >= PIPE_BUF_ATOMIC)
			mask |= POLLOUT | POLLWRNORM;
		if (!READ_ONCE(p->readers))
			mask |= POLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	struct pipe *p = file->private_data;
	int count;

	if (cmd != FIONREAD)
		return -ENOTTY;
	count = pipe_count(p);
	return put_user(count, (int __user *)arg);
}

static off_t pipe_llseek(struct file *file, off_t offset, int whence)
{
	return -ESPIPE;
}

/* Drops this file's side; frees the pipe when no side is left. */
static void pipe_release(struct file *file)
{
	struct pipe *p = file->private_data;
	int acc = file->flags & O_ACCMODE;
	bool fifo = p->fifo;
	bool last;

	if (fifo)
		fs_mutex_lock(&fifo_lock);
	fs_mutex_lock(&p->mutex);
	if (acc != O_WRONLY)
		p->readers--;
	if (acc != O_RDONLY)
		p->writers--;
	last = !p->readers && !p->writers;
	if (last && p->fifo)
		p->fifo->pipe = NULL;
	fs_mutex_unlock(&p->mutex);
	if (fifo)
		fs_mutex_unlock(&fifo_lock);
	wake_up(&p->rd_wq);
	wake_up(&p->wr_wq);
	if (last)
		pipe_free(p);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.llseek = pipe_llseek,
	.release = pipe_release,
};

/* pipe2(2): a read end and a write end sharing a new pipe; flags may hold O_NONBLOCK. */
int pipe_create(struct file **rd, struct file **wr, unsigned flags)
{
	struct pipe *p = pipe_alloc();
	struct inode *inode = anon_inode_new(S_IFIFO | 0600);

	if (!p || !inode)
		goto out_nomem;
	*rd = file_alloc(&pipe_fops, p, O_RDONLY | (flags & O_NONBLOCK));
	if (IS_ERR(*rd))
		goto out_nomem;
	*wr = file_alloc(&pipe_fops, p, O_WRONLY | (flags & O_NONBLOCK));
	if (IS_ERR(*wr)) {
		kfree(*rd);
		goto out_nomem;
	}
	p->readers = p->writers = 1;
	inode_get(inode);
	(*rd)->inode = inode;
	(*wr)->inode = inode;
	return 0;
out_nomem:
	if (p)
		pipe_free(p);
	inode_put(inode);
	return -ENOMEM;
}

/* Joins (or creates) the fifo's pipe and counts this open. Needs fifo_lock. */
static struct pipe *fifo_join_locked(struct inode *inode, int acc, bool nonblock, int *err)
{
	struct pipe *p = inode->pipe;

	if (!p) {
		p = pipe_alloc();
		if (!p) {
			*err = -ENOMEM;
			return NULL;
		}
		p->fifo = inode;
	}
	if (acc == O_WRONLY && nonblock && !p->readers) {
		if (!inode->pipe)
			pipe_free(p);
		*err = -ENXIO;
		return NULL;
	}
	inode->pipe = p;
	fs_mutex_lock(&p->mutex);
	if (acc != O_WRONLY) {
		p->readers++;
		p->r_opens++;
	}
	if (acc != O_RDONLY) {
		p->writers++;
		p->w_opens++;
	}
	fs_mutex_unlock(&p->mutex);
	return p;
}

/* Opens a fifo with Linux's rules: a reader waits for a writer and the other way
 * round, unless O_NONBLOCK (a non-blocking writer without readers gets ENXIO). */
static int fifo_open_file(struct file *file)
{
	struct inode *inode = file->inode;
	int acc = file->flags & O_ACCMODE, err = 0;
	bool nonblock = file->flags & O_NONBLOCK;
	struct pipe *p;
	unsigned seen;

	fs_mutex_lock(&fifo_lock);
	p = fifo_join_locked(inode, acc, nonblock, &err);
	fs_mutex_unlock(&fifo_lock);
	if (!p)
		return err;
	file->private_data = p;
	file->ops = &pipe_fops;
	wake_up(&p->rd_wq);
	wake_up(&p->wr_wq);
	if (acc == O_RDONLY && !nonblock) {
		seen = READ_ONCE(p->w_opens);
		err = wait_event_interruptible(&p->rd_wq, READ_ONCE(p->writers) ||
					       READ_ONCE(p->w_opens) != seen);
	} else if (acc == O_WRONLY) {
		seen = READ_ONCE(p->r_opens);
		err = wait_event_interruptible(&p->wr_wq, READ_ONCE(p->readers) ||
					       READ_ONCE(p->r_opens) != seen);
	}
	if (err)
		pipe_release(file);
	return err;
}

const struct file_operations fifo_fops = {
	.open = fifo_open_file,
};
