/*
 * exec.h — execve's internals shared by kernel/proc/exec*.c.
 */
#ifndef LUMEN_PROC_EXEC_H
#define LUMEN_PROC_EXEC_H

#include "lib/lib.h"

/* argv then envp strings, NUL-separated, in one growing kernel buffer. */
struct exec_args {
	char *buf;
	size_t len, cap;
	int argc, envc;
	uint64_t total;		/* bytes counted against the limit (strings + pointers) */
	uint64_t limit;
};

void exec_args_init(struct exec_args *args, uint64_t limit);
void exec_args_free(struct exec_args *args);
int exec_args_add(struct exec_args *args, const char *s, bool env);
int exec_args_copy_user(struct exec_args *args, const char __user *const __user *vec, bool env);
int exec_args_shebang(struct exec_args *args, const char *interp, const char *arg,
		      const char *path);

#endif
