/*
 * mount.c — the mount tree and the registered file system types.
 *
 * mount_lock protects the mount list, every mount's refcount and flags, each
 * inode's `mounted` count and every super block's refcount. A mount is freed when it
 * is unlinked (umount) and its last reference is gone.
 */
#include "fs/fs.h"
#include "mm/mm.h"

spinlock_t mount_lock = SPINLOCK_INIT("mount");
struct mount *root_mount;
static LIST_HEAD(mount_list);
static LIST_HEAD(fs_types);

/* Takes a reference on mnt. */
void mount_get(struct mount *mnt)
{
	uint64_t flags;

	if (!mnt)
		return;
	flags = spin_lock_irqsave(&mount_lock);

	mnt->refcount++;
	spin_unlock_irqrestore(&mount_lock, flags);
}

/* Drops a reference; frees an unlinked mount at the last one. */
void mount_put(struct mount *mnt)
{
	uint64_t flags;
	bool free;

	if (!mnt)
		return;
	flags = spin_lock_irqsave(&mount_lock);
	free = --mnt->refcount == 0;
	spin_unlock_irqrestore(&mount_lock, flags);
	if (!free)
		return;
	inode_put(mnt->root);
	inode_put(mnt->mountpoint);
	mount_put(mnt->parent);
	flags = spin_lock_irqsave(&mount_lock);
	free = --mnt->sb->refcount == 0 && mnt->sb->ops->put_super;
	spin_unlock_irqrestore(&mount_lock, flags);
	if (free)
		mnt->sb->ops->put_super(mnt->sb);
	kfree(mnt->source);
	kfree(mnt);
}

/* Takes references on both halves of p. */
void path_get(struct path *p)
{
	mount_get(p->mnt);
	inode_get(p->inode);
}

/* Drops both references of p. */
void path_put(struct path *p)
{
	inode_put(p->inode);
	mount_put(p->mnt);
}

/* Returns (counted) the newest mount on (mnt, inode), or NULL. */
struct mount *mount_lookup_child(struct mount *mnt, struct inode *inode)
{
	struct mount *m, *found = NULL;
	uint64_t flags;

	if (!READ_ONCE(inode->mounted))
		return NULL;
	flags = spin_lock_irqsave(&mount_lock);
	list_for_each_entry(m, &mount_list, link)
		if (m->parent == mnt && m->mountpoint == inode)
			found = m;
	if (found)
		found->refcount++;
	spin_unlock_irqrestore(&mount_lock, flags);
	return found;
}

/* Adds a file system type; at boot. */
int fs_type_register(struct file_system_type *type)
{
	list_add_tail(&type->link, &fs_types);
	return 0;
}

/* The type called name, or NULL. */
const struct file_system_type *fs_type_find(const char *name)
{
	struct file_system_type *t;

	list_for_each_entry(t, &fs_types, link)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

/* A new mount id, for a mount or an internal instance (anon inodes). */
int mount_new_id(void)
{
	static int next_id = 1;

	return __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
}

/* Links a new mount of sb (taking over its reference) at target; NULL target makes
 * the root mount. */
static int mount_attach(struct super_block *sb, struct inode *root, const char *source,
			const struct path *target, unsigned mflags)
{
	struct mount *mnt = kzalloc(sizeof(*mnt));
	uint64_t flags;

	if (!mnt)
		return -ENOMEM;
	mnt->source = kstrdup(source ? source : "none");
	mnt->sb = sb;
	mnt->root = root;
	inode_get(root);
	mnt->flags = mflags;
	mnt->id = mount_new_id();
	mnt->refcount = 1;	/* the mount tree's */
	if (target) {
		mnt->parent = target->mnt;
		mnt->mountpoint = target->inode;
		path_get((struct path *)target);
	}
	flags = spin_lock_irqsave(&mount_lock);
	sb->refcount++;
	if (target)
		target->inode->mounted++;
	else
		root_mount = mnt;
	list_add_tail(&mnt->link, &mount_list);
	spin_unlock_irqrestore(&mount_lock, flags);
	return 0;
}

#define MS_FLAGS_KEPT (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

static int mount_remount(const struct path *target, unsigned long flags)
{
	uint64_t irq;

	struct super_block *sb = target->mnt->sb;

	if (target->inode != target->mnt->root)
		return -EINVAL;
	if (sb->read_only && !(flags & MS_RDONLY))
		return sb->ops->put_super ? -EACCES : -EROFS;
	if ((flags & MS_RDONLY) && sb->ops->sync_fs)
		sb->ops->sync_fs(sb);
	irq = spin_lock_irqsave(&mount_lock);
	target->mnt->flags = flags & MS_FLAGS_KEPT;
	spin_unlock_irqrestore(&mount_lock, irq);
	return 0;
}

/*
 * mount(2) once the target is resolved: a new instance of `type`, a bind mount
 * (MS_BIND, source is a resolved path given as `bind`) or a remount. Returns 0 or
 * -errno (ENODEV for an unknown type, ENOTDIR for a non-directory target).
 */
int do_mount(const char *source, const struct path *target, const char *type,
	     unsigned long flags)
{
	const struct file_system_type *fst;
	struct super_block *sb;
	int err;

	if (flags & MS_REMOUNT)
		return mount_remount(target, flags);
	if (!S_ISDIR(target->inode->mode))
		return -ENOTDIR;
	fst = type ? fs_type_find(type) : NULL;
	if (!fst)
		return -ENODEV;
	sb = fst->get_sb(fst, source);
	if (IS_ERR(sb))
		return PTR_ERR(sb);
	/* A disk file system on a write-protected disk: EACCES, as Linux's open of the
	 * block device for writing (mount(8) then retries read-only). */
	if (sb->read_only && !(flags & MS_RDONLY) && sb->ops->put_super &&
	    !sb->refcount) {
		sb->ops->put_super(sb);
		return -EACCES;
	}
	if (sb->read_only)
		flags |= MS_RDONLY;
	err = mount_attach(sb, sb->root, source, target, flags & MS_FLAGS_KEPT);
	return err;
}

/* A bind mount of `source` (a resolved path) on target. */
int do_bind_mount(const struct path *source, const struct path *target, unsigned long flags)
{
	if (S_ISDIR(source->inode->mode) != S_ISDIR(target->inode->mode))
		return S_ISDIR(source->inode->mode) ? -ENOTDIR : -EISDIR;
	return mount_attach(source->mnt->sb, source->inode, source->mnt->source, target,
			    (flags & MS_FLAGS_KEPT) | (source->mnt->flags & MS_FLAGS_KEPT));
}

/* True when mnt is anc or lies below it; mount_lock held. */
static bool mount_is_below(const struct mount *mnt, const struct mount *anc)
{
	for (; mnt; mnt = mnt->parent)
		if (mnt == anc)
			return true;
	return false;
}

/*
 * MS_MOVE: moves the mount whose root is `source` (a resolved path) onto target, as
 * switch_root moves the real root onto "/". -EINVAL when source is no mount's root or
 * is the root mount or when one of source and target is a directory and the other
 * not, -ELOOP when target lies inside the moved mount.
 */
int do_move_mount(const struct path *source, const struct path *target)
{
	struct mount *mnt = source->mnt, *old_parent;
	struct inode *old_point;
	uint64_t irq;

	if (source->inode != mnt->root || !mnt->parent)
		return -EINVAL;
	if (S_ISDIR(source->inode->mode) != S_ISDIR(target->inode->mode))
		return -EINVAL;
	irq = spin_lock_irqsave(&mount_lock);
	if (mount_is_below(target->mnt, mnt)) {
		spin_unlock_irqrestore(&mount_lock, irq);
		return -ELOOP;
	}
	old_parent = mnt->parent;
	old_point = mnt->mountpoint;
	old_point->mounted--;
	mnt->parent = target->mnt;
	mnt->mountpoint = target->inode;
	target->mnt->refcount++;
	target->inode->mounted++;
	spin_unlock_irqrestore(&mount_lock, irq);
	inode_get(target->inode);
	inode_put(old_point);
	mount_put(old_parent);
	return 0;
}

/* Mounts sb as the root of the tree; at boot. */
int mount_root(struct super_block *sb)
{
	return mount_attach(sb, sb->root, "rootfs", NULL, 0);
}

static bool mount_has_children(struct mount *mnt)
{
	struct mount *m;

	list_for_each_entry(m, &mount_list, link)
		if (m->parent == mnt)
			return true;
	return false;
}

/*
 * umount2(2) once the target is resolved (the caller's reference on it counts one):
 * -EINVAL when it is not a mount's root, -EBUSY when it is the root or in use and
 * MNT_DETACH is not given.
 */
int do_umount(const struct path *target, int flags)
{
	struct mount *mnt = target->mnt;
	uint64_t irq;

	if (target->inode != mnt->root)
		return -EINVAL;
	if (!mnt->parent)
		return -EBUSY;
	irq = spin_lock_irqsave(&mount_lock);
	if (!(flags & MNT_DETACH) && (mnt->refcount > 2 || mount_has_children(mnt))) {
		spin_unlock_irqrestore(&mount_lock, irq);
		return -EBUSY;
	}
	list_del(&mnt->link);
	mnt->mountpoint->mounted--;
	spin_unlock_irqrestore(&mount_lock, irq);
	mount_put(mnt);		/* the tree's reference */
	return 0;
}

/* Syncs every mounted file system. See fs.h. */
void sync_all_fs(void)
{
	struct mount *m, *mounts[64];
	size_t n = 0;
	uint64_t irq = spin_lock_irqsave(&mount_lock);

	list_for_each_entry(m, &mount_list, link) {
		if (n == ARRAY_SIZE(mounts))
			break;
		if (!m->sb->ops->sync_fs)
			continue;
		m->refcount++;
		mounts[n++] = m;
	}
	spin_unlock_irqrestore(&mount_lock, irq);
	for (size_t i = 0; i < n; i++) {
		mounts[i]->sb->ops->sync_fs(mounts[i]->sb);
		mount_put(mounts[i]);
	}
}

/* One line of /proc/PID/mountinfo: ids, device, root, mount point, per-mount
 * options, then the file system's type, source and options. */
static size_t mountinfo_format_one(struct mount *m, const char *path, const char *opts,
				   char *buf, size_t size)
{
	return ksnprintf(buf, size, "%d %d %u:%u / %s %s%s%s%s%s - %s %s %s%s\n", m->id,
			 m->parent ? m->parent->id : m->id, MAJOR(m->sb->dev), MINOR(m->sb->dev),
			 path, m->flags & MS_RDONLY ? "ro" : "rw", m->flags & MS_NOSUID ? ",nosuid" : "",
			 m->flags & MS_NODEV ? ",nodev" : "", m->flags & MS_NOEXEC ? ",noexec" : "",
			 m->parent ? ",relatime" : "", m->sb->type->name, m->source,
			 m->sb->read_only || (m->flags & MS_RDONLY) ? "ro" : "rw", opts);
}

static size_t mount_format_one(struct mount *m, char *buf, size_t size, bool mountinfo)
{
	struct path p = { m, m->root };
	char *path = kmalloc(PATH_MAX_LEN);
	char opts[160];
	size_t len;

	if (!path)
		return 0;
	if (path_format(&p, path, PATH_MAX_LEN) < 0)
		strlcpy(path, "?", PATH_MAX_LEN);
	opts[0] = 0;
	if (m->sb->type->show_options)
		m->sb->type->show_options(m->sb, opts, sizeof(opts));
	if (mountinfo) {
		len = mountinfo_format_one(m, path, opts, buf, size);
		kfree(path);
		return len;
	}
	len = ksnprintf(buf, size, "%s %s %s %s%s%s%s%s%s 0 0\n", m->source, path,
			m->sb->type->name, m->flags & MS_RDONLY ? "ro" : "rw",
			m->flags & MS_NOSUID ? ",nosuid" : "", m->flags & MS_NODEV ? ",nodev" : "",
			m->flags & MS_NOEXEC ? ",noexec" : "", m->parent ? ",relatime" : "", opts);
	kfree(path);
	return len;
}

/* Formats /proc/mounts (or mountinfo) into buf: the mounts at or below the caller's
 * root mount, as Linux shows a chroot'ed process (after switch_root, the initramfs is
 * not listed). Returns the length the whole text has. */
size_t mounts_format(char *buf, size_t size, bool mountinfo)
{
	struct mount *m, *mounts[64];
	size_t len = 0, n = 0, i;
	struct path root;
	uint64_t irq;

	fs_state_get_root(&root);
	irq = spin_lock_irqsave(&mount_lock);
	list_for_each_entry(m, &mount_list, link) {
		if (n == ARRAY_SIZE(mounts))
			break;
		if (!mount_is_below(m, root.mnt))
			continue;
		m->refcount++;
		mounts[n++] = m;
	}
	spin_unlock_irqrestore(&mount_lock, irq);
	for (i = 0; i < n; i++) {
		len += mount_format_one(mounts[i], len < size ? buf + len : NULL,
					len < size ? size - len : 0, mountinfo);
		mount_put(mounts[i]);
	}
	path_put(&root);
	return len;
}

/* Formats /proc/filesystems; returns the length the whole text has. */
size_t fs_types_format(char *buf, size_t size)
{
	struct file_system_type *t;
	size_t len = 0;

	list_for_each_entry(t, &fs_types, link)
		len += ksnprintf(len < size ? buf + len : NULL, len < size ? size - len : 0,
				 "%s\t%s\n", t->nodev ? "nodev" : "", t->name);
	return len;
}
