/*
 * locks.c — advisory file locks: fcntl record locks (POSIX, owned by an fd table, and
 * open-file-description "OFD" locks, owned by a struct file) and flock(2) locks
 * (owned by a struct file), as Linux's fs/locks.c behaves.
 *
 * All locks of the system sit on one list under locks_lock (a spinlock, never held
 * across a sleep or a user copy); a lock is keyed by its inode (or, for an anonymous
 * file without one, by the file). Every change that may let a waiter through wakes
 * locks_wq; sleepers re-try from scratch. POSIX and OFD locks conflict with each
 * other; flock locks only with flock locks. POSIX locks go at any close of the file
 * by their fd table, OFD and flock locks at the last close of their file. A POSIX
 * F_SETLKW that would wait for an owner already waiting (in a chain) for it fails
 * with EDEADLK, as Linux.
 */
#include "fs/fs.h"
#include "fs/locks.h"
#include "mm/mm.h"
#include <linux/fcntl.h>

#define OFFSET_MAX INT64_MAX

enum lock_flavor { LOCK_POSIX, LOCK_OFD, LOCK_FLOCK };

/* One held lock; the range is inclusive, end OFFSET_MAX means "to the end". */
struct file_lock {
	struct list_head link;		/* in lock_list, under locks_lock */
	const void *key;		/* the inode, or the anonymous file */
	const void *owner;		/* fd table (POSIX) or file (OFD, flock) */
	enum lock_flavor flavor;
	short type;			/* F_RDLCK or F_WRLCK */
	int64_t start, end;
	pid_t pid;			/* tgid of the process that set it */
};

static spinlock_t locks_lock = SPINLOCK_INIT("locks");
static LIST_HEAD(lock_list);
static struct wait_queue locks_wq = WAIT_QUEUE_INIT(locks_wq);

static const void *lock_key(struct file *file)
{
	return file->inode ? (const void *)file->inode : (const void *)file;
}

static bool lock_same_family(const struct file_lock *a, const struct file_lock *b)
{
	return (a->flavor == LOCK_FLOCK) == (b->flavor == LOCK_FLOCK);
}

static bool lock_overlaps(const struct file_lock *a, const struct file_lock *b)
{
	return a->start <= b->end && b->start <= a->end;
}

/* The first held lock that keeps req out, or NULL. Called with locks_lock held. */
static struct file_lock *lock_find_conflict_locked(const struct file_lock *req)
{
	struct file_lock *fl;

	assert_held(&locks_lock);
	list_for_each_entry(fl, &lock_list, link) {
		if (fl->key != req->key || !lock_same_family(fl, req) || fl->owner == req->owner)
			continue;
		if (!lock_overlaps(fl, req))
			continue;
		if (fl->type == F_WRLCK || req->type == F_WRLCK)
			return fl;
	}
	return NULL;
}

static void lock_unlink_locked(struct file_lock *fl, struct list_head *freed)
{
	list_del(&fl->link);
	list_add(&fl->link, freed);
}

/* Inserts a POSIX/OFD lock among its owner's locks of the same file in order of
 * start (where Linux keeps it, so F_GETLK finds the lowest conflicting range first). */
static void lock_insert_sorted_locked(struct file_lock *new)
{
	struct list_head *pos = lock_list.prev;
	struct file_lock *fl;

	list_for_each_entry(fl, &lock_list, link) {
		if (fl->key != new->key || fl->owner != new->owner || fl->flavor == LOCK_FLOCK)
			continue;
		if (fl->start > new->start) {
			pos = fl->link.prev;
			break;
		}
		pos = &fl->link;
	}
	list_add(&new->link, pos);
}

/*
 * Applies req (F_RDLCK, F_WRLCK or F_UNLCK) over its owner's own POSIX/OFD locks:
 * merges touching locks of the same type, trims or splits the others. `spare` is a
 * preallocated lock for a split and `new` the lock to insert; what is used is taken
 * out of them (set to NULL), removed locks are moved to `freed`.
 */
static void lock_posix_apply_locked(struct file_lock *req, struct file_lock **spare,
				    struct file_lock **new, struct list_head *freed)
{
	struct file_lock *fl, *tmp;
	int64_t start = req->start, end = req->end;

	list_for_each_entry_safe(fl, tmp, &lock_list, link) {
		if (fl->key != req->key || fl->owner != req->owner || fl->flavor == LOCK_FLOCK)
			continue;
		if (fl->type == req->type) {
			bool touches = (fl->end == OFFSET_MAX || fl->end + 1 >= start) &&
				       (end == OFFSET_MAX || fl->start <= end + 1);
			if (touches) {
				start = MIN(start, fl->start);
				end = MAX(end, fl->end);
				lock_unlink_locked(fl, freed);
			}
			continue;
		}
		if (!lock_overlaps(fl, req))
			continue;
		if (fl->start < req->start && fl->end > req->end) {
			struct file_lock *tail = *spare;

			*spare = NULL;
			*tail = *fl;
			tail->start = req->end + 1;
			list_add(&tail->link, &fl->link);
			fl->end = req->start - 1;
		} else if (fl->start < req->start) {
			fl->end = req->start - 1;
		} else if (fl->end > req->end) {
			fl->start = req->end + 1;
		} else {
			lock_unlink_locked(fl, freed);
		}
	}
	if (req->type != F_UNLCK) {
		**new = *req;
		(*new)->start = start;
		(*new)->end = end;
		lock_insert_sorted_locked(*new);
		*new = NULL;
	}
}

/* flock: drops the file's lock, then takes the new one unless it conflicts. */
static int lock_flock_apply_locked(struct file_lock *req, struct file_lock **new,
				   struct list_head *freed)
{
	struct file_lock *fl, *tmp;

	list_for_each_entry_safe(fl, tmp, &lock_list, link) {
		if (fl->key != req->key || fl->owner != req->owner || fl->flavor != LOCK_FLOCK)
			continue;
		if (fl->type == req->type)
			return 0;
		lock_unlink_locked(fl, freed);
	}
	if (req->type == F_UNLCK)
		return 0;
	if (lock_find_conflict_locked(req))
		return -EAGAIN;
	**new = *req;
	list_add_tail(&(*new)->link, &lock_list);
	*new = NULL;
	return 0;
}

static void lock_free_list(struct list_head *freed)
{
	struct file_lock *fl, *tmp;

	list_for_each_entry_safe(fl, tmp, freed, link)
		kfree(fl);
}

/* A POSIX lock owner sleeping in F_SETLKW, and the owner whose lock it waits for
 * (for deadlock detection). Linked in lock_waiters under locks_lock. */
struct lock_waiter {
	struct list_head link;
	const void *owner, *blocker;
};
static LIST_HEAD(lock_waiters);
#define DEADLOCK_HOPS 10	/* how far Linux follows a chain of waiters */

/* True when owner `me` waiting for `blocker` would close a cycle of waiters. Called
 * with locks_lock held. */
static bool lock_deadlock_locked(const void *me, const void *blocker)
{
	struct lock_waiter *w;
	int hops = 0;

	while (blocker && hops++ < DEADLOCK_HOPS) {
		const void *next = NULL;

		if (blocker == me)
			return true;
		list_for_each_entry(w, &lock_waiters, link)
			if (w->owner == blocker)
				next = w->blocker;
		blocker = next;
	}
	return false;
}

/* One attempt: -EAGAIN on a conflict, -EDEADLK when waiter w (a POSIX F_SETLKW,
 * else NULL) would wait for its own waiters, else 0 with req applied. While it
 * must wait, w is linked in lock_waiters with the owner it waits for. */
static int lock_try(struct file_lock *req, struct file_lock **spare, struct file_lock **new,
		    struct lock_waiter *w)
{
	LIST_HEAD(freed);
	uint64_t flags = spin_lock_irqsave(&locks_lock);
	struct file_lock *fl;
	int ret = 0;

	if (req->flavor == LOCK_FLOCK)
		ret = lock_flock_apply_locked(req, new, &freed);
	else if (req->type != F_UNLCK && (fl = lock_find_conflict_locked(req))) {
		ret = -EAGAIN;
		if (w && fl->flavor == LOCK_POSIX && lock_deadlock_locked(req->owner, fl->owner))
			ret = -EDEADLK;
		else if (w && fl->flavor == LOCK_POSIX)
			w->blocker = fl->owner;
		else if (w)
			w->blocker = NULL;
	} else
		lock_posix_apply_locked(req, spare, new, &freed);
	if (w && ret == -EAGAIN && list_empty(&w->link))
		list_add(&w->link, &lock_waiters);
	else if (w && ret != -EAGAIN && !list_empty(&w->link))
		list_del(&w->link);
	spin_unlock_irqrestore(&locks_lock, flags);
	if (!list_empty(&freed)) {
		lock_free_list(&freed);
		wake_up(&locks_wq);
	}
	return ret;
}

/* Sets (or clears) req, sleeping while it conflicts when `wait`. */
static int lock_set(struct file_lock *req, bool wait)
{
	struct file_lock *spare = kzalloc(sizeof(*spare));
	struct file_lock *new = kzalloc(sizeof(*new));
	struct lock_waiter waiter = { .owner = req->owner };
	struct lock_waiter *w = wait && req->flavor == LOCK_POSIX ? &waiter : NULL;
	uint64_t flags;
	int ret, tried;

	list_init(&waiter.link);
	if (!spare || !new) {
		ret = -ENOLCK;
		goto out;
	}
	ret = lock_try(req, &spare, &new, w);
	if (ret == -EAGAIN && wait) {
		ret = wait_event_interruptible(&locks_wq,
					       (tried = lock_try(req, &spare, &new, w)) != -EAGAIN);
		if (!ret)
			ret = tried;
	}
	if (!list_empty(&waiter.link)) {	/* interrupted while waiting */
		flags = spin_lock_irqsave(&locks_lock);
		list_del(&waiter.link);
		spin_unlock_irqrestore(&locks_lock, flags);
	}
	if (ret == 0 && req->flavor != LOCK_FLOCK)
		wake_up(&locks_wq);	/* a downgrade or a trim may let others in */
out:
	kfree(spare);
	kfree(new);
	return ret;
}

/* struct flock -> the range req covers (Linux's flock_to_posix_lock). */
static int lock_from_flock(struct file *file, const struct flock *l, struct file_lock *req)
{
	int64_t base;

	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = READ_ONCE(file->pos);
		break;
	case SEEK_END:
		base = file->inode ? (int64_t)READ_ONCE(file->inode->size) : 0;
		break;
	default:
		return -EINVAL;
	}
	if (l->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	req->start = base + l->l_start;
	if (req->start < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > OFFSET_MAX - req->start)
			return -EOVERFLOW;
		req->end = req->start + l->l_len - 1;
	} else if (l->l_len < 0) {
		if (req->start + l->l_len < 0)
			return -EINVAL;
		req->end = req->start - 1;
		req->start += l->l_len;
	} else {
		req->end = OFFSET_MAX;
	}
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK && l->l_type != F_UNLCK)
		return -EINVAL;
	req->type = l->l_type;
	return 0;
}

static void lock_to_flock(const struct file_lock *fl, struct flock *l)
{
	l->l_type = fl->type;
	l->l_whence = SEEK_SET;
	l->l_start = fl->start;
	l->l_len = fl->end == OFFSET_MAX ? 0 : fl->end - fl->start + 1;
	l->l_pid = fl->flavor == LOCK_OFD ? -1 : fl->pid;
}

static int lock_getlk(struct file *file, bool ofd, struct flock *l, struct file_lock *req)
{
	struct file_lock *fl;
	uint64_t flags;
	int ret;

	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK)
		return -EINVAL;
	ret = lock_from_flock(file, l, req);
	if (ret)
		return ret;
	if (ofd && l->l_pid != 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&locks_lock);
	fl = lock_find_conflict_locked(req);
	if (fl)
		lock_to_flock(fl, l);
	else
		l->l_type = F_UNLCK;
	spin_unlock_irqrestore(&locks_lock, flags);
	return 0;
}

/* fcntl(2) F_GETLK/F_SETLK/F_SETLKW and their F_OFD_ forms on file, with the user's
 * struct flock at ufl. Returns 0 or -errno (-EAGAIN on a conflict, -ERESTARTSYS
 * when a signal ends the wait). Sleeps with no lock held. */
long locks_fcntl(struct file *file, unsigned cmd, struct flock __user *ufl)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	struct file_lock req = { 0 };
	struct flock l;
	int ret;

	if (copy_from_user(&l, ufl, sizeof(l)))
		return -EFAULT;
	req.key = lock_key(file);
	req.flavor = ofd ? LOCK_OFD : LOCK_POSIX;
	req.owner = ofd ? (const void *)file : (const void *)current_files();
	req.pid = task_tgid(current);
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		ret = lock_getlk(file, ofd, &l, &req);
		return ret ? ret : (copy_to_user(ufl, &l, sizeof(l)) ? -EFAULT : 0);
	}
	ret = lock_from_flock(file, &l, &req);
	if (ret)
		return ret;
	if (req.type == F_RDLCK && (file->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (req.type == F_WRLCK && (file->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (ofd && l.l_pid != 0)
		return -EINVAL;
	return lock_set(&req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/* flock(2) on file: op is LOCK_SH, LOCK_EX or LOCK_UN; nonblock gives -EAGAIN on a
 * conflict instead of sleeping. Converting a lock drops the old one first, as Linux. */
long locks_flock(struct file *file, unsigned op, bool nonblock)
{
	struct file_lock req = { 0 };

	req.key = lock_key(file);
	req.flavor = LOCK_FLOCK;
	req.owner = file;
	req.pid = task_tgid(current);
	req.start = 0;
	req.end = OFFSET_MAX;
	req.type = op == LOCK_SH ? F_RDLCK : op == LOCK_EX ? F_WRLCK : F_UNLCK;
	return lock_set(&req, !nonblock);
}

static void locks_remove(const void *key, const void *owner, bool posix_only)
{
	struct file_lock *fl, *tmp;
	LIST_HEAD(freed);
	uint64_t flags = spin_lock_irqsave(&locks_lock);

	list_for_each_entry_safe(fl, tmp, &lock_list, link)
		if (fl->key == key && fl->owner == owner &&
		    (!posix_only || fl->flavor == LOCK_POSIX))
			lock_unlink_locked(fl, &freed);
	spin_unlock_irqrestore(&locks_lock, flags);
	if (!list_empty(&freed)) {
		lock_free_list(&freed);
		wake_up(&locks_wq);
	}
}

/* A close of file through table (close, dup2 over it, exec, exit): drops table's
 * POSIX locks on the file's inode. */
void locks_remove_posix(struct file *file, struct fd_table *table)
{
	locks_remove(lock_key(file), table, true);
}

/* The last reference to file is gone: drops its OFD and flock locks. */
void locks_remove_file(struct file *file)
{
	locks_remove(lock_key(file), file, false);
}
