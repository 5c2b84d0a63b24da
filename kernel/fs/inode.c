/*
 * inode.c — inodes, super blocks and the sleeping lock the file systems use.
 */
#include "fs/fs.h"
#include "mm/mm.h"

/* An unlocked mutex with an empty wait queue. */
void fs_mutex_init(struct fs_mutex *m, const char *name)
{
	spin_init(&m->lock, name);
	m->held = false;
	list_init(&m->wq.waiters);
	spin_init(&m->wq.lock, "fs_mutex.wq");
}

static bool fs_mutex_trylock(struct fs_mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&m->lock);
	bool got = !m->held;

	m->held = true;
	spin_unlock_irqrestore(&m->lock, flags);
	return got;
}

/* Takes the mutex, sleeping (uninterruptibly) while another task holds it. */
void fs_mutex_lock(struct fs_mutex *m)
{
	if (fs_mutex_trylock(m))
		return;
	wait_event(&m->wq, fs_mutex_trylock(m));
}

/* Releases the mutex and wakes its waiters. */
void fs_mutex_unlock(struct fs_mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&m->lock);

	m->held = false;
	spin_unlock_irqrestore(&m->lock, flags);
	/* A waiter queues itself before retrying the lock, so an empty queue seen
	 * after the release means nobody can miss the wake-up. */
	if (!list_empty(&m->wq.waiters))
		wake_up(&m->wq);
}

/* The wall clock for inode times. */
uint64_t fs_now_ns(void)
{
	return clock_realtime_ns();
}

/* A new super block with no root yet. NULL when out of memory. */
struct super_block *sb_alloc(const struct file_system_type *type,
			     const struct super_operations *ops, uint64_t magic)
{
	static int next_dev = 1;
	struct super_block *sb = kzalloc(sizeof(*sb));

	if (!sb)
		return NULL;
	sb->type = type;
	sb->ops = ops;
	sb->magic = magic;
	sb->next_ino = 1;
	sb->dev = MKDEV(0, __atomic_fetch_add(&next_dev, 1, __ATOMIC_RELAXED));
	fs_mutex_init(&sb->mutex, "sb");
	spin_init(&sb->ilock, "sb.ilock");
	return sb;
}

/* A new inode of sb with one reference, owned by the current credentials and stamped
 * now. NULL when out of memory. */
struct inode *inode_alloc(struct super_block *sb, mode_t mode)
{
	struct inode *inode = kzalloc(sizeof(*inode));
	struct task *t = current;
	uint64_t flags;

	if (!inode)
		return NULL;
	flags = spin_lock_irqsave(&sb->ilock);
	inode->ino = sb->next_ino++;
	spin_unlock_irqrestore(&sb->ilock, flags);
	inode->sb = sb;
	inode->mode = mode;
	inode->nlink = 1;
	inode->refcount = 1;
	if (t && task_cred(t)) {
		inode->uid = task_cred(t)->fsuid;
		inode->gid = task_cred(t)->fsgid;
	}
	inode->atime_ns = inode->mtime_ns = inode->ctime_ns = fs_now_ns();
	return inode;
}

/* Takes a reference on inode. */
void inode_get(struct inode *inode)
{
	uint64_t flags = spin_lock_irqsave(&inode->sb->ilock);

	inode->refcount++;
	spin_unlock_irqrestore(&inode->sb->ilock, flags);
}

/* Drops a reference; frees the inode when nothing (no name, no reference) keeps it. */
void inode_put(struct inode *inode)
{
	struct super_block *sb;
	uint64_t flags;
	bool free;

	if (!inode)
		return;
	sb = inode->sb;
	flags = spin_lock_irqsave(&sb->ilock);
	free = --inode->refcount == 0 && (inode->nlink == 0 || sb->ops->drop_unused) &&
	       !inode->dead;
	if (free)
		inode->dead = true;
	spin_unlock_irqrestore(&sb->ilock, flags);
	if (!free)
		return;
	if (sb->ops->evict)
		sb->ops->evict(inode);
	if (inode->parent && inode->parent != inode)
		inode_put(inode->parent);
	kfree(inode);
}

/* True when inode is dir or one of its ancestors (rename must not move a directory
 * into itself). Needs sb->mutex, under which no directory changes parent. */
bool inode_is_ancestor(struct inode *inode, struct inode *dir)
{
	for (;;) {
		if (dir == inode)
			return true;
		if (dir->parent == dir || !dir->parent)
			return false;
		dir = dir->parent;
	}
}

/* For a directory iterator: emits "." at position 0 and ".." at 1, those not yet
 * passed, leaving *pos at 2; false when emit stopped the iteration. */
bool inode_emit_dots(struct inode *dir, int64_t *pos, dir_emit_t emit, void *ctx)
{
	if (*pos == 0) {
		if (!emit(ctx, ".", 1, dir->ino, DT_DIR, 1))
			return false;
		*pos = 1;
	}
	if (*pos == 1) {
		if (!emit(ctx, "..", 2, dir->parent->ino, DT_DIR, 2))
			return false;
		*pos = 2;
	}
	return true;
}

/* Sets the chosen time stamps to now. Needs sb->mutex. */
void inode_touch(struct inode *inode, bool atime, bool mtime, bool ctime)
{
	uint64_t now = fs_now_ns();

	if (atime)
		inode->atime_ns = now;
	if (mtime)
		inode->mtime_ns = now;
	if (ctime)
		inode->ctime_ns = now;
}

/* Counts a shared mapping that may write inode; -EPERM once writes are denied
 * (mmap_writable negative). Lock-free: a compare-and-swap loop. */
int inode_map_writable(struct inode *inode)
{
	int v = __atomic_load_n(&inode->mmap_writable, __ATOMIC_RELAXED);

	do {
		if (v < 0)
			return -EPERM;
	} while (!__atomic_compare_exchange_n(&inode->mmap_writable, &v, v + 1, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

/* Drops a count taken by inode_map_writable (a writable shared VMA went away). */
void inode_unmap_writable(struct inode *inode)
{
	__atomic_sub_fetch(&inode->mmap_writable, 1, __ATOMIC_ACQ_REL);
}

/* Denies writable shared mappings of inode for good (F_SEAL_WRITE): -EBUSY while
 * one exists, else 0 with the count made negative. Lock-free. */
int inode_deny_writable(struct inode *inode)
{
	int v = __atomic_load_n(&inode->mmap_writable, __ATOMIC_RELAXED);

	do {
		if (v > 0)
			return -EBUSY;
		if (v < 0)
			return 0;
	} while (!__atomic_compare_exchange_n(&inode->mmap_writable, &v, -1, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}
