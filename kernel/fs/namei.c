/*
 * namei.c — the path walk: from a starting directory (root, cwd or a dirfd) through
 * each component, across mount points, following symbolic links (at most 40 per
 * lookup, then ELOOP). Each step takes the directory's sb->mutex only for the
 * lookup itself; the walk holds counted references on where it is.
 */
#include "fs/fs.h"
#include "fs/path.h"
#include "mm/mm.h"
#include <linux/fcntl.h>

struct nameidata {
	struct path root;	/* counted */
	int links;
	struct file_origin **origin;	/* when wanted: directory and name of the last step */
};

/* Records where the walk's last real step started (for file_get_path). */
static void nd_set_origin(struct nameidata *nd, const struct path *dir, const char *name,
			  size_t len)
{
	struct file_origin *o;

	if (!nd->origin || !(o = origin_make(dir, name, len)))
		return;
	origin_put(*nd->origin);
	*nd->origin = o;
}

/* An origin record of the len bytes of name in dir, with its own references to the
 * directory and its mount; NULL when out of memory. */
struct file_origin *origin_make(const struct path *dir, const char *name, size_t len)
{
	struct file_origin *o = kmalloc(sizeof(*o) + len + 1);

	if (!o)
		return NULL;
	o->mnt = dir->mnt;
	o->dir = dir->inode;
	mount_get(o->mnt);
	inode_get(o->dir);
	memcpy(o->name, name, len);
	o->name[len] = 0;
	return o;
}

/* Frees an origin record and its references. */
void origin_put(struct file_origin *o)
{
	if (!o)
		return;
	inode_put(o->dir);
	mount_put(o->mnt);
	kfree(o);
}

/* Returns a kmalloc'd copy of a user path; ERR_PTR(-EFAULT/-ENAMETOOLONG). */
char *getname(const char __user *upath)
{
	char *buf = kmalloc(PATH_MAX_LEN);
	long len;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(buf, upath, PATH_MAX_LEN);
	if (len < 0) {
		kfree(buf);
		return ERR_PTR(len);
	}
	return buf;
}

/* Checks mask (4 read, 2 write, 1 exec/search) against inode's mode for the current
 * credentials. Returns 0 or -EACCES. */
int inode_permission(struct inode *inode, int mask)
{
	struct task *t = current;
	struct cred *cred = t ? task_cred(t) : NULL;	/* none at boot: the kernel's */
	mode_t mode = inode->mode;

	if (!cred || cred->fsuid == 0) {
		if ((mask & 1) && !S_ISDIR(mode) && !(mode & 0111))
			return -EACCES;
		return 0;
	}
	if (cred->fsuid == inode->uid)
		mode >>= 6;
	else if (cred_in_group(cred, inode->gid))
		mode >>= 3;
	return (mode & mask & 7) == (unsigned)(mask & 7) ? 0 : -EACCES;
}

/* Moves p onto whatever is mounted on it (repeatedly). */
static void path_cross_mounts(struct path *p)
{
	struct mount *m;

	while ((m = mount_lookup_child(p->mnt, p->inode))) {
		inode_get(m->root);
		path_put(p);
		p->mnt = m;
		p->inode = m->root;
	}
}

/* Looks name up in the directory parent; *out is counted. */
int path_child(const struct path *parent, const char *name, size_t len, struct path *out)
{
	struct inode *dir = parent->inode, *inode;
	int err;

	if (!dir->iops || !dir->iops->lookup)
		return -ENOTDIR;
	fs_mutex_lock(&dir->sb->mutex);
	err = dir->nlink ? dir->iops->lookup(dir, name, len, &inode) : -ENOENT;
	fs_mutex_unlock(&dir->sb->mutex);
	if (err)
		return err;
	out->mnt = parent->mnt;
	mount_get(out->mnt);
	out->inode = inode;
	path_cross_mounts(out);
	return 0;
}

/* "..": stays at the process root, climbs out of mounts first. */
static void path_step_up(struct nameidata *nd, struct path *cur)
{
	struct inode *parent;

	for (;;) {
		if (cur->mnt == nd->root.mnt && cur->inode == nd->root.inode)
			return;
		if (cur->inode != cur->mnt->root || !cur->mnt->parent)
			break;
		struct path up = { cur->mnt->parent, cur->mnt->mountpoint };

		path_get(&up);
		path_put(cur);
		*cur = up;
	}
	parent = cur->inode->parent;
	if (!parent || parent == cur->inode)
		return;
	inode_get(parent);
	inode_put(cur->inode);
	cur->inode = parent;
}

static int walk(struct nameidata *nd, struct path *cur, const char *path, unsigned flags);
static int lookup_from(const struct path *start, int dirfd, const char *path, unsigned flags,
		       struct path *out, struct file_origin **origin);

static int follow_link(struct nameidata *nd, struct path *cur, struct inode *link)
{
	char *target;
	int len, err;

	if (++nd->links > SYMLOOP_MAX)
		return -ELOOP;
	target = kmalloc(PATH_MAX_LEN);
	if (!target)
		return -ENOMEM;
	fs_mutex_lock(&link->sb->mutex);
	len = link->iops->readlink(link, target, PATH_MAX_LEN - 1);
	fs_mutex_unlock(&link->sb->mutex);
	if (len >= 0) {
		target[len] = 0;
		err = len ? walk(nd, cur, target, LOOKUP_FOLLOW) : -ENOENT;
	} else {
		err = len;
	}
	kfree(target);
	return err;
}

/* One component: moves cur to the child called name, following a link when asked. */
static int walk_component(struct nameidata *nd, struct path *cur, const char *name,
			  size_t len, bool follow)
{
	struct path next;
	int err;

	if (!S_ISDIR(cur->inode->mode))
		return -ENOTDIR;
	err = inode_permission(cur->inode, 1);
	if (err)
		return err;
	switch (path_dots(name, len)) {
	case 1:
		return 0;
	case 2:
		path_step_up(nd, cur);
		return 0;
	}
	err = path_child(cur, name, len, &next);
	if (err)
		return err;
	if (S_ISLNK(next.inode->mode) && follow && next.inode->iops &&
	    next.inode->iops->readlink) {
		err = follow_link(nd, cur, next.inode);
		path_put(&next);
		return err;
	}
	nd_set_origin(nd, cur, name, len);
	path_put(cur);
	*cur = next;
	return 0;
}

/* Resolves path from *cur (counted, replaced by the result). */
static int walk(struct nameidata *nd, struct path *cur, const char *path, unsigned flags)
{
	const char *cursor = path, *name;
	bool trailing = path[0] && path[strlen(path) - 1] == '/';
	size_t len;
	int err;

	if (path[0] == '/') {
		path_put(cur);
		*cur = nd->root;
		path_get(cur);
	}
	while ((err = path_component_next(&cursor, &name, &len)) > 0) {
		bool last = path_at_end(cursor);

		err = walk_component(nd, cur, name, len,
				     !last || (flags & LOOKUP_FOLLOW) || trailing);
		if (err)
			return err;
	}
	if (err)
		return err;
	if ((trailing || (flags & LOOKUP_DIRECTORY)) && !S_ISDIR(cur->inode->mode))
		return -ENOTDIR;
	return 0;
}

/* The starting point for dirfd: the cwd, or the directory open at dirfd. */
static int path_start(int dirfd, const char *path, struct path *out)
{
	struct file *file;

	if (path[0] == '/' || dirfd == AT_FDCWD) {
		fs_state_get_cwd(out);
		return 0;
	}
	file = fd_get_file(dirfd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (!file->inode || !file->mnt) {
		file_put(file);
		return path[0] ? -ENOTDIR : -EBADF;
	}
	out->mnt = file->mnt;
	out->inode = file->inode;
	path_get(out);
	file_put(file);
	if (path[0] && !S_ISDIR(out->inode->mode)) {
		path_put(out);
		return -ENOTDIR;
	}
	return 0;
}

/* Resolves path (a kernel string) relative to dirfd with LOOKUP_* flags; *out is
 * counted. Returns 0 or -errno. */
int path_lookup_at(int dirfd, const char *path, unsigned flags, struct path *out)
{
	return path_lookup_origin(dirfd, path, flags, out, NULL);
}

/* path_lookup_at that also gives (when origin is not NULL) the directory and name of
 * the final step, links followed; *origin stays NULL when the path ends in a dot. */
int path_lookup_origin(int dirfd, const char *path, unsigned flags, struct path *out,
		       struct file_origin **origin)
{
	return lookup_from(NULL, dirfd, path, flags, out, origin);
}

/* The lookup itself, from start (a directory, when not NULL) or else from dirfd. */
static int lookup_from(const struct path *start, int dirfd, const char *path, unsigned flags,
		       struct path *out, struct file_origin **origin)
{
	struct nameidata nd = { .links = 0, .origin = origin };
	int err;

	if (!path[0] && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	if (start) {
		*out = *start;
		path_get(out);
		err = 0;
	} else {
		err = path_start(dirfd, path, out);
	}
	if (err)
		return err;
	fs_state_get_root(&nd.root);
	if (origin)
		*origin = NULL;
	err = walk(&nd, out, path, flags);
	path_put(&nd.root);
	if (err) {
		path_put(out);
		if (origin) {
			origin_put(*origin);
			*origin = NULL;
		}
	}
	return err;
}

/* Resolves the directory part of path; the last component is left to the caller
 * (see fs.h). */
int path_parent_at(int dirfd, const char *path, struct path *parent, const char **name,
		   size_t *len, bool *trailing_slash)
{
	return path_parent_from(NULL, dirfd, path, parent, name, len, trailing_slash);
}

/* path_parent_at from the directory start (when not NULL) instead of dirfd. */
int path_parent_from(const struct path *start, int dirfd, const char *path,
		     struct path *parent, const char **name, size_t *len, bool *trailing_slash)
{
	size_t dir_len;
	char *dir;
	int err;

	if (!path[0])
		return -ENOENT;
	err = path_split_last(path, &dir_len, name, len, trailing_slash);
	if (err)
		return err;
	dir = kstrndup(path, dir_len);
	if (!dir)
		return -ENOMEM;
	err = lookup_from(start, dirfd, dir_len ? dir : "",
			  dir_len ? LOOKUP_FOLLOW | LOOKUP_DIRECTORY : LOOKUP_EMPTY | LOOKUP_DIRECTORY,
			  parent, NULL);
	if (!dir_len && !err && !S_ISDIR(parent->inode->mode)) {
		path_put(parent);
		err = -ENOTDIR;
	}
	kfree(dir);
	return err;
}

struct name_search {
	uint64_t ino;
	char *buf;
	size_t size;
	bool found;
};

static bool name_search_emit(void *ctx, const char *name, size_t len, uint64_t ino,
			     unsigned dtype, int64_t next)
{
	struct name_search *s = ctx;

	if (ino != s->ino || path_dots(name, len))
		return true;
	s->found = len < s->size;
	if (s->found) {
		memcpy(s->buf, name, len);
		s->buf[len] = 0;
	}
	return false;
}

/* Finds the name of child in dir (a reverse lookup by inode number). */
static int dir_find_name(struct inode *dir, struct inode *child, char *buf, size_t size)
{
	struct name_search s = { child->ino, buf, size, false };
	int64_t pos = 0;

	if (!dir->iops || !dir->iops->iterate)
		return -ENOENT;
	fs_mutex_lock(&dir->sb->mutex);
	dir->iops->iterate(dir, &pos, name_search_emit, &s);
	fs_mutex_unlock(&dir->sb->mutex);
	return s.found ? 0 : -ENOENT;
}

/* Prepends "/name" to the string that ends at buf+size and starts at *start. */
static int prepend(char *buf, size_t *start, const char *name, size_t len)
{
	if (*start < len + 1)
		return -ENAMETOOLONG;
	*start -= len;
	memcpy(buf + *start, name, len);
	buf[--*start] = '/';
	return 0;
}

/* Writes the absolute path of a directory p, as seen from the caller's root, into
 * buf (NUL-terminated). Returns the length or -ENOENT (removed) / -ENAMETOOLONG. */
int path_format(const struct path *p, char *buf, size_t size)
{
	struct path root, cur = *p;
	char name[NAME_MAX_LEN + 1];
	size_t start = size - 1;
	int err = 0;

	if (!size)
		return -ENAMETOOLONG;
	buf[start] = 0;
	fs_state_get_root(&root);
	while (!(cur.mnt == root.mnt && cur.inode == root.inode)) {
		if (cur.inode == cur.mnt->root) {
			if (!cur.mnt->parent)
				break;
			cur.inode = cur.mnt->mountpoint;
			cur.mnt = cur.mnt->parent;
			continue;
		}
		if (!cur.inode->parent || cur.inode->nlink == 0) {
			err = -ENOENT;
			break;
		}
		err = dir_find_name(cur.inode->parent, cur.inode, name, sizeof(name));
		if (!err)
			err = prepend(buf, &start, name, strlen(name));
		if (err)
			break;
		cur.inode = cur.inode->parent;
	}
	path_put(&root);
	if (err)
		return err;
	if (start == size - 1 && prepend(buf, &start, "", 0))
		return -ENAMETOOLONG;
	memmove(buf, buf + start, size - start);
	return size - 1 - start;
}

/* See fs.h: resolves a user path for the *at calls, AT_EMPTY_PATH included. */
int user_path_at(int dirfd, const char __user *upath, int at_flags, bool follow,
		 struct path *out)
{
	unsigned lookup = 0;
	struct file *file;
	char *path;
	int err;

	if (at_flags & AT_SYMLINK_NOFOLLOW)
		follow = false;
	if (at_flags & AT_SYMLINK_FOLLOW)
		follow = true;
	path = getname(upath);
	if (IS_ERR(path))
		return PTR_ERR(path);
	if (!path[0] && (at_flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		kfree(path);
		file = fd_get_file(dirfd);
		if (IS_ERR(file))
			return PTR_ERR(file);
		err = file->inode ? 0 : -EBADF;
		if (!err) {
			out->mnt = file->mnt;
			out->inode = file->inode;
			path_get(out);
		}
		file_put(file);
		return err;
	}
	if (follow)
		lookup |= LOOKUP_FOLLOW;
	if (at_flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	err = path_lookup_at(dirfd, path, lookup, out);
	kfree(path);
	return err;
}
