/*
 * groups.c — supplementary groups: the sorted, reference-counted list a task's
 * credentials point to (setgroups replaces it, fork shares it), and the group
 * membership test permission checks use.
 */
#include "proc/task.h"
#include "mm/mm.h"

/* Held while a task's groups pointer is replaced or read by another task. */
static spinlock_t groups_lock = SPINLOCK_INIT("groups");

/* Takes a reference on g (NULL is the empty list). */
void groups_get(struct group_info *g)
{
	if (g)
		__atomic_add_fetch(&g->refcount, 1, __ATOMIC_ACQ_REL);
}

/* Drops a reference on g; the last one frees it. */
void groups_put(struct group_info *g)
{
	if (g && !__atomic_sub_fetch(&g->refcount, 1, __ATOMIC_ACQ_REL))
		kfree(g);
}

static void groups_sort(gid_t *gids, int n)
{
	for (int i = 1; i < n; i++) {
		gid_t v = gids[i];
		int j = i;

		for (; j > 0 && gids[j - 1] > v; j--)
			gids[j] = gids[j - 1];
		gids[j] = v;
	}
}

/* True when c's file-system gid or one of its supplementary groups is gid. */
bool cred_in_group(const struct cred *c, gid_t gid)
{
	const struct group_info *g = c->groups;
	int lo = 0, hi = g ? g->count : 0;

	if (c->fsgid == gid)
		return true;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (g->gids[mid] == gid)
			return true;
		if (g->gids[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* setgroups(2) for the current task: count gids from ulist (count <= NGROUPS_MAX,
 * checked by the caller) replace its supplementary groups. 0, -EFAULT or -ENOMEM. */
int groups_set_current(const gid_t __user *ulist, int count)
{
	struct group_info *g = NULL, *old;
	uint64_t flags;

	if (count) {
		g = kmalloc(sizeof(*g) + (size_t)count * sizeof(gid_t));
		if (!g)
			return -ENOMEM;
		if (copy_from_user(g->gids, ulist, (size_t)count * sizeof(gid_t))) {
			kfree(g);
			return -EFAULT;
		}
		g->refcount = 1;
		g->count = count;
		groups_sort(g->gids, count);
	}
	flags = spin_lock_irqsave(&groups_lock);
	old = current->cred.groups;
	current->cred.groups = g;
	spin_unlock_irqrestore(&groups_lock, flags);
	groups_put(old);
	return 0;
}

/* t's supplementary groups with a reference (groups_put it), or NULL for none; for
 * readers other than t itself. Takes groups_lock. */
struct group_info *task_groups_get(struct task *t)
{
	uint64_t flags = spin_lock_irqsave(&groups_lock);
	struct group_info *g = t->cred.groups;

	groups_get(g);
	spin_unlock_irqrestore(&groups_lock, flags);
	return g;
}
