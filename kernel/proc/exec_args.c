/*
 * exec_args.c — the argument and environment strings of an execve, gathered into
 * one kernel buffer with Linux's limits before the old image is given up.
 */
#include "proc/exec.h"
#include "mm/mm.h"

#define MAX_ARG_STRLEN (32 * 4096)	/* Linux: one string at most 128 KiB */
#define MAX_ARG_STRINGS 0x7fffffff

/* Empties args. */
void exec_args_init(struct exec_args *args, uint64_t limit)
{
	memset(args, 0, sizeof(*args));
	args->limit = limit;
}

void exec_args_free(struct exec_args *args)
{
	kfree(args->buf);
	args->buf = NULL;
}

/* Appends one string (len bytes plus its NUL); -E2BIG over the limits. */
static int exec_args_append(struct exec_args *args, const char *s, size_t len)
{
	size_t need = args->len + len + 1;

	if (len + 1 > MAX_ARG_STRLEN)
		return -E2BIG;
	args->total += len + 1 + sizeof(char *);
	if (args->total > args->limit)
		return -E2BIG;
	if (need > args->cap) {
		size_t cap = args->cap ? args->cap : 4096;
		char *nbuf;

		while (cap < need)
			cap *= 2;
		nbuf = kmalloc(cap);
		if (!nbuf)
			return -ENOMEM;
		if (args->len)
			memcpy(nbuf, args->buf, args->len);
		kfree(args->buf);
		args->buf = nbuf;
		args->cap = cap;
	}
	memcpy(args->buf + args->len, s, len);
	args->buf[args->len + len] = '\0';
	args->len = need;
	return 0;
}

/* Appends a kernel string as an argv (env = false) or envp entry. All argv entries
 * come before the first envp entry. */
int exec_args_add(struct exec_args *args, const char *s, bool env)
{
	int err = exec_args_append(args, s, strlen(s));

	if (err)
		return err;
	if (env)
		args->envc++;
	else
		args->argc++;
	return 0;
}

/* Appends the strings of a user NULL-terminated vector (NULL vec = none). Returns 0,
 * -EFAULT on a bad pointer, -E2BIG over the limits. */
int exec_args_copy_user(struct exec_args *args, const char __user *const __user *vec, bool env)
{
	size_t tmp_size = PAGE_SIZE;
	char *tmp;
	int err = 0;

	if (!vec)
		return 0;
	tmp = kmalloc(tmp_size);
	if (!tmp)
		return -ENOMEM;
	for (long i = 0; i < MAX_ARG_STRINGS; i++) {
		const char __user *up;
		long len;

		if (get_user(up, &vec[i])) {
			err = -EFAULT;
			break;
		}
		if (!up)
			break;
		len = strncpy_from_user(tmp, up, tmp_size);
		if (len == -ENAMETOOLONG && tmp_size < MAX_ARG_STRLEN) {
			/* A long string (sh -c with a script): retry with the maximum. */
			kfree(tmp);
			tmp_size = MAX_ARG_STRLEN;
			tmp = kmalloc(tmp_size);
			if (!tmp)
				return -ENOMEM;
			len = strncpy_from_user(tmp, up, tmp_size);
		}
		if (len < 0) {
			err = len == -ENAMETOOLONG ? -E2BIG : (int)len;
			break;
		}
		err = exec_args_append(args, tmp, len);
		if (err)
			break;
		if (env)
			args->envc++;
		else
			args->argc++;
	}
	kfree(tmp);
	return err;
}

/* Replaces argv[0] with the interpreter, its optional argument and the script's
 * path, for a `#!` script; the other strings stay. Returns 0 or -errno. */
int exec_args_shebang(struct exec_args *args, const char *interp, const char *arg,
		      const char *path)
{
	struct exec_args n;
	const char *p = args->buf;
	int err;

	exec_args_init(&n, args->limit);
	err = exec_args_add(&n, interp, false);
	if (!err && arg)
		err = exec_args_add(&n, arg, false);
	if (!err)
		err = exec_args_add(&n, path, false);
	for (int i = 0; !err && i < args->argc + args->envc; i++) {
		size_t len = strlen(p);

		if (i > 0 || args->argc == 0)
			err = exec_args_add(&n, p, i >= args->argc);
		p += len + 1;
	}
	if (err) {
		exec_args_free(&n);
		return err;
	}
	exec_args_free(args);
	*args = n;
	return 0;
}
