/*
 * ext2_namei.c — ext2 directories through the VFS: lookup, readdir, create (files,
 * directories, devices, fifos, sockets, symlinks), link, unlink/rmdir and rename.
 * Every call runs under sb->mutex (the VFS takes it); each change is written to the
 * disk before the call returns. Locking: see ext2_sb.h.
 */
#include "fs/ext2/ext2_sb.h"
#include "mm/mm.h"

static int ext2_vfs_lookup(struct inode *dir, const char *name, size_t len,
			   struct inode **out)
{
	struct ext2_sb *sbi = EXT2_SB(dir->sb);
	uint32_t ino;
	int err;

	err = ext2_dir_lookup(&sbi->fs, EXT2_I(dir), name, len, sbi->dirbuf, &ino);
	if (err)
		return err;
	return ext2_iget(dir->sb, ino, dir, out);
}

struct ext2_emit_ctx {
	dir_emit_t emit;
	void *ctx;
};

static int ext2_emit_one(void *cb_ctx, const char *name, size_t len, uint32_t ino,
			 unsigned file_type, uint64_t next_pos)
{
	struct ext2_emit_ctx *ec = cb_ctx;

	return ec->emit(ec->ctx, name, len, ino, ext2_ft_to_dtype(file_type), next_pos) ?
	       0 : 1;
}

static int ext2_vfs_iterate(struct inode *dir, int64_t *pos, dir_emit_t emit, void *ctx)
{
	struct ext2_sb *sbi = EXT2_SB(dir->sb);
	struct ext2_emit_ctx ec = { emit, ctx };
	uint64_t upos = *pos < 0 ? 0 : *pos;
	int err;

	err = ext2_dir_walk(&sbi->fs, EXT2_I(dir), &upos, sbi->dirbuf, ext2_emit_one, &ec);
	*pos = upos;
	return err < 0 ? err : 0;
}

/* Fills the disk inode of a new file of mode in dir, owned by the caller. */
static void ext2_init_inode(struct inode *dir, struct ext2_inode *d, uint32_t ino,
			    mode_t mode, dev_t rdev)
{
	struct cred *c = task_cred(current);
	uint32_t now = ext2_now();

	memset(d, 0, sizeof(*d));
	d->ino = ino;
	d->mode = mode;
	d->uid = c ? c->fsuid : 0;
	d->gid = c ? c->fsgid : 0;
	if (dir->mode & S_ISGID) {
		d->gid = dir->gid;
		if (S_ISDIR(mode))
			d->mode |= S_ISGID;
	}
	d->nlink = S_ISDIR(mode) ? 2 : 1;
	d->atime = d->mtime = d->ctime = now;
	d->rdev_major = MAJOR(rdev);
	d->rdev_minor = MINOR(rdev);
}

/* Marks a directory changed (mtime, ctime) and writes it. */
static int ext2_dir_changed(struct inode *dir)
{
	inode_touch(dir, false, true, true);
	return ext2_isync(dir);
}

/* Creates name in dir: a new inode of mode (a symlink to target when not NULL). */
static int ext2_new(struct inode *dir, const char *name, size_t len, mode_t mode,
		    dev_t rdev, const char *target, struct inode **out)
{
	struct ext2_sb *sbi = EXT2_SB(dir->sb);
	struct ext2_inode d;
	uint32_t ino;
	int err;

	ext2_reap(dir->sb);
	if (S_ISDIR(mode) && dir->nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	err = ext2_dir_lookup(&sbi->fs, EXT2_I(dir), name, len, sbi->dirbuf, &ino);
	if (err != -ENOENT)
		return err ? err : -EEXIST;
	err = ext2_inode_alloc(&sbi->fs, dir->ino, S_ISDIR(mode), &ino);
	if (err)
		return err;
	ext2_init_inode(dir, &d, ino, mode, rdev);
	if (S_ISDIR(mode))
		err = ext2_dir_make(&sbi->fs, &d, dir->ino, sbi->dirbuf);
	else if (target)
		err = ext2_symlink_fill(sbi, &d, target);
	if (!err)
		err = ext2_inode_write(&sbi->fs, &d, true);
	if (!err)
		err = ext2_dir_add(&sbi->fs, EXT2_I(dir), name, len, ino,
				   ext2_mode_to_ft(&sbi->fs, mode), sbi->dirbuf);
	if (err)
		goto out_free;
	if (S_ISDIR(mode))
		dir->nlink++;
	err = ext2_dir_changed(dir);
	if (!err && out)
		err = ext2_iget(dir->sb, ino, dir, out);
	return err;
out_free:
	ext2_truncate_blocks(&sbi->fs, &d, 0);
	d.nlink = 0;
	d.dtime = ext2_now();
	ext2_inode_write(&sbi->fs, &d, false);
	ext2_inode_free(&sbi->fs, ino, S_ISDIR(mode));
	return err;
}

static int ext2_vfs_create(struct inode *dir, const char *name, size_t len, mode_t mode,
			   dev_t rdev, struct inode **out)
{
	return ext2_new(dir, name, len, mode, rdev, NULL, out);
}

static int ext2_vfs_symlink(struct inode *dir, const char *name, size_t len,
			    const char *target)
{
	if (strlen(target) >= EXT2_SB(dir->sb)->fs.block_size)
		return -ENAMETOOLONG;
	return ext2_new(dir, name, len, S_IFLNK | 0777, 0, target, NULL);
}

static int ext2_vfs_link(struct inode *dir, const char *name, size_t len,
			 struct inode *inode)
{
	struct ext2_sb *sbi = EXT2_SB(dir->sb);
	int err;

	if (inode->nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	err = ext2_dir_add(&sbi->fs, EXT2_I(dir), name, len, inode->ino,
			   ext2_mode_to_ft(&sbi->fs, inode->mode), sbi->dirbuf);
	if (err)
		return err;
	inode->nlink++;
	inode_touch(inode, false, false, true);
	err = ext2_isync(inode);
	return err ? err : ext2_dir_changed(dir);
}

/* The checks of removing victim (named in dir) as unlink/rmdir want it. */
static int ext2_unlink_check(struct inode *victim, bool dir_expected)
{
	struct ext2_sb *sbi = EXT2_SB(victim->sb);
	int empty;

	if (dir_expected && !S_ISDIR(victim->mode))
		return -ENOTDIR;
	if (!dir_expected && S_ISDIR(victim->mode))
		return -EISDIR;
	if (victim->mounted)
		return -EBUSY;
	if (!dir_expected)
		return 0;
	empty = ext2_dir_empty(&sbi->fs, EXT2_I(victim), sbi->dirbuf);
	return empty < 0 ? empty : empty ? 0 : -ENOTEMPTY;
}

/* Drops the link a removed name gave victim (a directory loses all, and its ".."
 * link on dir). */
static int ext2_drop_link(struct inode *dir, struct inode *victim)
{
	if (S_ISDIR(victim->mode)) {
		victim->nlink = 0;
		if (dir->nlink > 2)
			dir->nlink--;
	} else if (victim->nlink) {
		victim->nlink--;
	}
	inode_touch(victim, false, false, true);
	return ext2_isync(victim);
}

static int ext2_vfs_unlink(struct inode *dir, const char *name, size_t len,
			   bool dir_expected)
{
	struct ext2_sb *sbi = EXT2_SB(dir->sb);
	struct inode *victim;
	uint32_t ino;
	int err;

	err = ext2_vfs_lookup(dir, name, len, &victim);
	if (err)
		return err;
	err = ext2_unlink_check(victim, dir_expected);
	if (!err)
		err = ext2_dir_remove(&sbi->fs, EXT2_I(dir), name, len, sbi->dirbuf, &ino);
	if (!err)
		err = ext2_drop_link(dir, victim);
	if (!err)
		err = ext2_dir_changed(dir);
	inode_put(victim);
	return err;
}

/* The checks of renaming old over victim (NULL when the new name is free). */
static int ext2_rename_check(struct inode *old, struct inode *victim, struct inode *ndir,
			     bool moves_dir, unsigned flags)
{
	if (victim && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (S_ISDIR(old->mode) && inode_is_ancestor(old, ndir))
		return -EINVAL;
	if (old->mounted)
		return -EBUSY;
	if (!victim)
		return moves_dir && ndir->nlink >= EXT2_LINK_MAX ? -EMLINK : 0;
	if (S_ISDIR(old->mode) && !S_ISDIR(victim->mode))
		return -ENOTDIR;
	if (!S_ISDIR(old->mode) && S_ISDIR(victim->mode))
		return -EISDIR;
	return ext2_unlink_check(victim, S_ISDIR(victim->mode));
}

/* Makes the moved directory old's ".." name ndir instead of odir. */
static int ext2_move_dir(struct inode *old, struct inode *odir, struct inode *ndir)
{
	struct ext2_sb *sbi = EXT2_SB(old->sb);
	int err;

	err = ext2_dir_set(&sbi->fs, EXT2_I(old), "..", 2, ndir->ino,
			   ext2_mode_to_ft(&sbi->fs, S_IFDIR), sbi->dirbuf);
	if (err)
		return err;
	odir->nlink--;
	ndir->nlink++;
	inode_get(ndir);
	old->parent = ndir;
	inode_put(odir);
	return 0;
}

/* Points the new name at old: over victim's entry, or a new entry. */
static int ext2_rename_link(struct inode *old, struct inode *ndir, const char *nname,
			    size_t nlen, struct inode *victim)
{
	struct ext2_sb *sbi = EXT2_SB(old->sb);
	unsigned ft = ext2_mode_to_ft(&sbi->fs, old->mode);
	int err;

	if (!victim)
		return ext2_dir_add(&sbi->fs, EXT2_I(ndir), nname, nlen, old->ino, ft,
				    sbi->dirbuf);
	err = ext2_dir_set(&sbi->fs, EXT2_I(ndir), nname, nlen, old->ino, ft, sbi->dirbuf);
	return err ? err : ext2_drop_link(ndir, victim);
}

/* rename(2) with RENAME_NOREPLACE, as Linux's ext2 (no RENAME_EXCHANGE: EINVAL). */
static int ext2_vfs_rename(struct inode *odir, const char *oname, size_t olen,
			   struct inode *ndir, const char *nname, size_t nlen, unsigned flags)
{
	struct ext2_sb *sbi = EXT2_SB(odir->sb);
	struct inode *old, *victim = NULL;
	bool moves_dir;
	uint32_t ino;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	err = ext2_vfs_lookup(odir, oname, olen, &old);
	if (err)
		return err;
	err = ext2_vfs_lookup(ndir, nname, nlen, &victim);
	if (err == -ENOENT)
		victim = NULL;
	else if (err)
		goto out;
	if (victim == old) {
		err = 0;
		goto out;
	}
	moves_dir = S_ISDIR(old->mode) && odir != ndir;
	err = ext2_rename_check(old, victim, ndir, moves_dir, flags);
	if (!err)
		err = ext2_rename_link(old, ndir, nname, nlen, victim);
	if (!err)
		err = ext2_dir_remove(&sbi->fs, EXT2_I(odir), oname, olen, sbi->dirbuf, &ino);
	if (!err && moves_dir)
		err = ext2_move_dir(old, odir, ndir);
	if (err)
		goto out;
	inode_touch(old, false, false, true);
	err = ext2_isync(old);
	if (!err)
		err = ext2_dir_changed(odir);
	if (!err && ndir != odir)
		err = ext2_dir_changed(ndir);
out:
	inode_put(victim);
	inode_put(old);
	return err;
}

const struct inode_operations ext2_dir_iops = {
	.lookup = ext2_vfs_lookup,
	.iterate = ext2_vfs_iterate,
	.create = ext2_vfs_create,
	.symlink = ext2_vfs_symlink,
	.link = ext2_vfs_link,
	.unlink = ext2_vfs_unlink,
	.rename = ext2_vfs_rename,
};
