/*
 * pseudo.c — the shared machinery of procfs and sysfs (see pseudo.h). Inodes are
 * made afresh by every lookup and freed at their last reference; a file's text is
 * generated once at open and read from that snapshot.
 */
#include "fs/pseudo.h"
#include "mm/mm.h"

static const struct inode_operations pseudo_dir_iops;
static const struct inode_operations pseudo_link_iops;
static const struct inode_operations pseudo_file_iops;
static const struct file_operations pseudo_file_fops;
static uint32_t pseudo_next_ino = 2;

/* A new node under parent (NULL: a detached template); NULL when out of memory.
 * Needs the file system's mutex once it is mounted. */
struct pseudo_node *pseudo_add(struct pseudo_node *parent, const char *name, mode_t mode)
{
	struct pseudo_node *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->name = name;
	n->mode = mode;
	n->ino = __atomic_fetch_add(&pseudo_next_ino, 1, __ATOMIC_RELAXED);
	n->parent = parent;
	list_init(&n->children);
	if (parent)
		list_add_tail(&n->link, &parent->children);
	return n;
}

/* 2 + the subdirectories, as Linux counts a directory's links. */
static unsigned pseudo_dir_nlink(struct pseudo_node *node)
{
	struct pseudo_node *n;
	unsigned nlink = 2;

	list_for_each_entry(n, &node->children, link)
		if (S_ISDIR(n->mode))
			nlink++;
	return nlink;
}

static void pseudo_evict(struct inode *inode)
{
	kfree(inode->priv);
}

static const struct super_operations pseudo_sops = {
	.drop_unused = true,
	.evict = pseudo_evict,
};

/* A fresh inode showing node with ctx (has_ctx: per-process), below dir; counted,
 * NULL when out of memory. Needs dir's sb->mutex. */
struct inode *pseudo_inode_new(struct inode *dir, struct pseudo_node *node, void *ctx,
			       bool has_ctx, uint64_t ino)
{
	struct inode *inode = inode_alloc(dir->sb, node->mode);
	struct pseudo_inode *pi;

	if (!inode)
		return NULL;
	pi = kzalloc(sizeof(*pi));
	if (!pi) {
		inode->nlink = 0;
		inode_put(inode);
		return NULL;
	}
	pi->node = node;
	pi->ctx = ctx;
	pi->has_ctx = has_ctx;
	inode->priv = pi;
	inode->ino = ino;
	inode->uid = inode->gid = 0;
	if (S_ISDIR(node->mode)) {
		inode->iops = &pseudo_dir_iops;
		inode->nlink = pseudo_dir_nlink(node);
		inode->parent = dir;
		inode_get(dir);
	} else if (S_ISLNK(node->mode)) {
		inode->iops = &pseudo_link_iops;
	} else {
		inode->iops = &pseudo_file_iops;
		inode->fops = &pseudo_file_fops;
		inode->size = node->size;
	}
	return inode;
}

static void *pseudo_ctx(struct pseudo_inode *pi, struct pseudo_node *node)
{
	return pi->has_ctx ? pi->ctx : node->ctx;
}

/* Inode number of a node seen through pi: per-process nodes get the pid mixed in. */
static uint64_t pseudo_ino(struct pseudo_inode *pi, struct pseudo_node *node)
{
	return pi->has_ctx ? ((uint64_t)(uintptr_t)pi->ctx << 16) + node->ino : node->ino;
}

static int pseudo_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct pseudo_inode *pi = dir->priv;
	struct pseudo_node *n, *tmpl;
	void *ctx;

	list_for_each_entry(n, &pi->node->children, link) {
		if (strlen(n->name) == len && !memcmp(n->name, name, len)) {
			*out = pseudo_inode_new(dir, n, pi->ctx, pi->has_ctx, pseudo_ino(pi, n));
			return *out ? 0 : -ENOMEM;
		}
	}
	if (!pi->node->dyn || pi->node->dyn->lookup(pi->ctx, name, len, &tmpl, &ctx))
		return -ENOENT;
	*out = pseudo_inode_new(dir, tmpl, ctx, true, ((uint64_t)(uintptr_t)ctx << 16) + tmpl->ino);
	return *out ? 0 : -ENOMEM;
}

static int pseudo_iterate(struct inode *dir, int64_t *pos, dir_emit_t emit, void *ctx)
{
	struct pseudo_inode *pi = dir->priv;
	struct pseudo_node *n;
	int64_t i = 2;

	if (!inode_emit_dots(dir, pos, emit, ctx))
		return 0;
	list_for_each_entry(n, &pi->node->children, link) {
		if (i++ < *pos)
			continue;
		if (!emit(ctx, n->name, strlen(n->name), pseudo_ino(pi, n), mode_to_dtype(n->mode),
			  i))
			return 0;
		*pos = i;
	}
	if (pi->node->dyn && *pos >= i)
		pi->node->dyn->iterate(pi->ctx, pos, emit, ctx);
	return 0;
}

static int pseudo_readlink(struct inode *inode, char *buf, size_t size)
{
	struct pseudo_inode *pi = inode->priv;
	size_t len;

	if (pi->node->readlink)
		return pi->node->readlink(pseudo_ctx(pi, pi->node), buf, size);
	len = MIN(strlen(pi->node->target), size);
	memcpy(buf, pi->node->target, len);
	return len;
}

/* The text of an open file, generated at open. */
struct pseudo_text {
	char *buf;
	size_t len;
};

static int pseudo_open(struct file *file)
{
	struct pseudo_inode *pi = file->inode->priv;
	struct pseudo_text *t;
	size_t size = 4096;

	/* sysfs (whose attributes have a size) refuses to open a file for writing when
	 * it takes no writes, even for root; procfs opens it and fails the write. */
	if (pi->node->size && !pi->node->store && (file->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (;;) {
		t->buf = kmalloc(size);
		if (!t->buf) {
			kfree(t);
			return -ENOMEM;
		}
		t->len = pi->node->show ? pi->node->show(pseudo_ctx(pi, pi->node), t->buf, size) : 0;
		if (t->len < size)
			break;
		kfree(t->buf);
		size = t->len + 1;
	}
	file->private_data = t;
	return 0;
}

static ssize_t pseudo_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct pseudo_text *t = file->private_data;
	size_t n;
	int err;

	if ((size_t)*pos >= t->len)
		return 0;
	n = MIN(buf->len, t->len - *pos);
	err = iobuf_copy_out(buf, 0, t->buf + *pos, n);
	if (err)
		return err;
	*pos += n;
	return n;
}

static ssize_t pseudo_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct pseudo_inode *pi = file->inode->priv;
	size_t len = MIN(buf->len, PAGE_SIZE);
	char *text;
	ssize_t ret;

	if (!pi->node->store)
		return -EIO;
	text = kmalloc(len + 1);
	if (!text)
		return -ENOMEM;
	ret = iobuf_copy_in(text, buf, 0, len);
	if (!ret) {
		text[len] = 0;
		ret = pi->node->store(pseudo_ctx(pi, pi->node), text, len);
	}
	kfree(text);
	return ret;
}

static void pseudo_release(struct file *file)
{
	struct pseudo_text *t = file->private_data;

	if (t) {
		kfree(t->buf);
		kfree(t);
	}
}

/* Generated files have no size to change; open(O_TRUNC) and truncate(2) succeed and
 * do nothing, as on Linux's procfs and sysfs (`echo c > /proc/sysrq-trigger`). */
static int pseudo_truncate(struct inode *inode, uint64_t size)
{
	return 0;
}

static const struct inode_operations pseudo_file_iops = {
	.truncate = pseudo_truncate,
};
static const struct inode_operations pseudo_dir_iops = {
	.lookup = pseudo_lookup,
	.iterate = pseudo_iterate,
};
static const struct inode_operations pseudo_link_iops = {
	.readlink = pseudo_readlink,
};
static const struct file_operations pseudo_file_fops = {
	.open = pseudo_open,
	.read = pseudo_read,
	.write = pseudo_write,
	.release = pseudo_release,
};

/* A super block whose root directory shows the node tree at root. */
struct super_block *pseudo_create_sb(const struct file_system_type *type, uint64_t magic,
				     struct pseudo_node *root)
{
	struct super_block *sb = sb_alloc(type, &pseudo_sops, magic);
	struct pseudo_inode *pi = kzalloc(sizeof(*pi));

	if (!sb || !pi)
		goto out_nomem;
	sb->root = inode_alloc(sb, root->mode);
	if (!sb->root)
		goto out_nomem;
	pi->node = root;
	sb->root->priv = pi;
	sb->root->ino = 1;
	sb->root->iops = &pseudo_dir_iops;
	sb->root->nlink = pseudo_dir_nlink(root);
	sb->root->parent = sb->root;
	sb->root->uid = sb->root->gid = 0;
	return sb;
out_nomem:
	kfree(sb);
	kfree(pi);
	return NULL;
}
