/*
 * locks.h — advisory file locks (kernel/fs/locks.c): fcntl record locks, OFD locks
 * and flock(2), and the hooks that drop them when files are closed.
 */
#ifndef LUMEN_FS_LOCKS_H
#define LUMEN_FS_LOCKS_H

#include "fs/vfs.h"

struct flock;

/* fcntl F_GETLK/F_SETLK/F_SETLKW/F_OFD_*: 0 or -errno; may sleep (F_SETLKW). */
long locks_fcntl(struct file *file, unsigned cmd, struct flock __user *ufl);
/* flock(2) with op LOCK_SH/LOCK_EX/LOCK_UN: 0 or -errno; may sleep unless nonblock. */
long locks_flock(struct file *file, unsigned op, bool nonblock);
/* Every close of file through table: drops table's POSIX locks on the file. */
void locks_remove_posix(struct file *file, struct fd_table *table);
/* The last file_put of file: drops its OFD and flock locks. */
void locks_remove_file(struct file *file);

#endif
