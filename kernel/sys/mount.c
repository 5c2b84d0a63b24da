/*
 * mount.c — mount(2) and umount2(2): argument decoding; the mount tree is in
 * kernel/fs/mount.c.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"

/* Copies an optional user string (the file system type, the source). */
static int copy_opt_string(const char __user *ustr, char **out)
{
	*out = NULL;
	if (!ustr)
		return 0;
	*out = getname(ustr);
	if (IS_ERR(*out)) {
		int err = PTR_ERR(*out);

		*out = NULL;
		return err;
	}
	return 0;
}

/* MS_BIND (source becomes visible at target too) or MS_MOVE (source moves there). */
static long mount_bind_or_move(const char *source, const struct path *target,
			       unsigned long flags)
{
	struct path src;
	long err;

	if (!source)
		return -EFAULT;
	err = path_lookup_at(AT_FDCWD, source, LOOKUP_FOLLOW, &src);
	if (err)
		return err;
	if (flags & MS_MOVE)
		err = do_move_mount(&src, target);
	else
		err = do_bind_mount(&src, target, flags);
	path_put(&src);
	return err;
}

long sys_mount(const char __user *usource, const char __user *utarget,
	       const char __user *utype, unsigned long flags, const void __user *data)
{
	char *source = NULL, *type = NULL;
	struct path target;
	long err;

	if (task_cred(current)->euid != 0)
		return -EPERM;
	err = user_path_at(AT_FDCWD, utarget, 0, true, &target);
	if (err)
		return err;
	err = copy_opt_string(usource, &source);
	if (!err && !(flags & (MS_REMOUNT | MS_BIND | MS_MOVE)))
		err = utype ? copy_opt_string(utype, &type) : -EFAULT;
	if (!err && (flags & (MS_BIND | MS_MOVE)) && !(flags & MS_REMOUNT))
		err = mount_bind_or_move(source, &target, flags);
	else if (!err)
		err = do_mount(source, &target, type, flags);
	kfree(source);
	kfree(type);
	path_put(&target);
	return err;
}

long sys_umount2(const char __user *utarget, int flags)
{
	struct path target;
	long err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (task_cred(current)->euid != 0)
		return -EPERM;
	err = user_path_at(AT_FDCWD, utarget, flags & UMOUNT_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0,
			   true, &target);
	if (err)
		return err;
	err = do_umount(&target, flags);
	path_put(&target);
	return err;
}
