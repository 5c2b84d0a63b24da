/*
 * pipe.c — pipe(2) and pipe2(2); the pipe itself is kernel/fs/pipe.c.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"

long sys_pipe2(int __user *ufds, int flags)
{
	struct fd_table *table = current_files();
	struct file *rd, *wr;
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	err = pipe_create(&rd, &wr, flags);
	if (err)
		return err;
	fds[0] = fd_install(table, rd, flags);
	if (fds[0] < 0) {
		err = fds[0];
		goto out_put;
	}
	fds[1] = fd_install(table, wr, flags);
	if (fds[1] < 0) {
		err = fds[1];
		fd_close(table, fds[0]);
		file_put(wr);
		return err;
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(table, fds[0]);
		fd_close(table, fds[1]);
		return -EFAULT;
	}
	return 0;
out_put:
	file_put(rd);
	file_put(wr);
	return err;
}

long sys_pipe(int __user *fds)
{
	return sys_pipe2(fds, 0);
}
