/*
 * lumen-init: PID 1 of the Lumen rootfs, identical on Lumen and on Linux.
 *
 * It starts in the initramfs, which holds only itself: it mounts devtmpfs, loads the
 * kernel modules it finds (only linux.iso has any: the Debian kernel's virtio, ext4,
 * DRM and input drivers), mounts the root disk /dev/vda (ext2, read-only) and moves
 * into it as busybox's switch_root does. Then it mounts what exists, says hello to the host on the control channel (COM2, ttyS1)
 * and then either runs the host's job with /bin/sh -c, forwarding its output to the
 * console and to the host, or runs an interactive shell on the console. When the job
 * or the shell is done it syncs and powers the machine off. PID 1 never exits.
 *
 * Control protocol (tests/harness/lumenqemu.py is the host side):
 *   guest -> host  "LUMEN HELLO\n"
 *   host -> guest  "JOB <n>\n" + n bytes of shell command, or "INTERACTIVE\n"
 *   guest -> host  "OUT <n>\n" + n bytes of job output (repeated)
 *   guest -> host  "EXIT <status>\n" (128+signal when the shell was killed)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "control.h"

#define ROOT_DEVICE "/dev/vda"

static char *const job_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/root",
	"TERM=vt100",
	NULL,
};

/* Print a "lumen-init: ..." message on the console (fd 2). */
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n = snprintf(buf, sizeof(buf), "lumen-init: ");

	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(2, buf, n) < 0)
		return;
}

/* Make sure fds 0, 1 and 2 are open, on /dev/console if the kernel gave us none. */
static void open_console(void)
{
	int fd;

	if (fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 && fcntl(2, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* Mount one file system; a failure is only a warning. */
static void mount_one(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) < 0)
		say("warning: mounting %s on %s failed: %s", type, dir, strerror(errno));
}

/* Mount /proc, /sys, /dev/pts, /dev/shm (for shm_open), and tmpfs where a read-only
 * root must be writable. */
static void mount_all(void)
{
	mount_one("proc", "/proc");
	mount_one("sysfs", "/sys");
	mount_one("devpts", "/dev/pts");
	mount_one("tmpfs", "/dev/shm");
	mount_one("tmpfs", "/tmp");
	mount_one("tmpfs", "/run");
	mount_one("tmpfs", "/mnt");
}

/*
 * Mount the root disk read-write on /newroot (make run keeps a persistent copy; tests
 * and make boot get a throwaway QEMU snapshot), move /dev there, make it "/" (MS_MOVE of the mount
 * onto "/", then chroot, as busybox's switch_root). The initramfs stays underneath,
 * unreachable. Returns 0, or -1 (after a warning) when we stay in the initramfs.
 */
static int switch_root(void)
{
	if (mount(ROOT_DEVICE, "/newroot", "ext2", 0, NULL) < 0) {
		say("warning: cannot mount the root disk %s: %s", ROOT_DEVICE, strerror(errno));
		return -1;
	}
	if (mount("/dev", "/newroot/dev", NULL, MS_MOVE, NULL) < 0)
		say("warning: cannot move /dev to the root disk: %s", strerror(errno));
	if (chdir("/newroot") < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 ||
	    chroot(".") < 0 || chdir("/") < 0) {
		say("cannot move into the root disk: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Load one module file with finit_module; one already loaded (EEXIST) is fine. */
static void load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		say("warning: cannot open module %s: %s", path, strerror(errno));
		return;
	}
	if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
		say("warning: loading module %s failed: %s", path, strerror(errno));
	close(fd);
}

/* Load the modules of the list file (modules.dep's format) at dir/name in the order of
 * its lines; false when there is no such file. */
static bool load_list(const char *dir, const char *name)
{
	char line[2048], path[256 + sizeof(line)];
	FILE *dep;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	dep = fopen(path, "re");
	if (!dep)
		return false;
	while (fgets(line, sizeof(line), dep)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		load_module(path);
	}
	fclose(dep);
	return true;
}

/* Whether the kernel's command line has the word (proc mounted on the initramfs's
 * /proc for the look, then unmounted). */
static bool cmdline_has(const char *word)
{
	char buf[1024], *tok, *save;
	ssize_t n = -1;
	int fd;

	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL) < 0)
		return false;
	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	umount("/proc");
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, word))
			return true;
	return false;
}

/*
 * Load the modules of /lib/modules/<release>/modules.dep in the order of its lines
 * (the modules archive lists every module after the ones it needs). No such file, as
 * on Lumen, means no modules. vkms.dep lists vkms and what it needs beyond those:
 * loaded only when the command line asks for a vkms device (lumen.vkms=1, a job's
 * NAME.cmdline), so that other jobs' cards keep their numbers.
 */
static void load_modules(void)
{
	char dir[128];
	struct utsname u;

	if (uname(&u) < 0)
		return;
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	if (load_list(dir, "modules.dep") && cmdline_has("lumen.vkms=1"))
		load_list(dir, "vkms.dep");
}

/* Open the control channel raw; -1 (after a warning) on failure. */
static int open_ctl(void)
{
	int fd = ctl_open();

	if (fd < 0)
		say("warning: cannot open %s: %s", CTL_DEVICE, strerror(errno));
	return fd;
}

/* Send a printf-formatted line on the control channel. */
static void ctl_send(int ctl, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write_all(ctl, buf, n);
}

/* Sync and power off; if the kernel refuses, say so and idle forever. */
static void power_off(int ctl)
{
	if (ctl >= 0)
		tcdrain(ctl);
	sync();
	reboot(RB_POWER_OFF);
	say("reboot(RB_POWER_OFF) failed: %s", strerror(errno));
	for (;;)
		pause();
}

/* Turn a wait status into a shell-style exit code (128+signal when killed). */
static int exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* A SIGCHLD handler that does nothing but interrupt a blocking read. */
static void on_sigchld(int sig)
{
	(void)sig;
}

/* Catch SIGCHLD without SA_RESTART so that read() returns EINTR and we can reap. */
static void catch_sigchld(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

/* Reap every exited child without blocking; sets *status when pid `shell` was among them. */
static void reap_nohang(pid_t shell, int *status, int *shell_done)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == shell) {
			*status = st;
			*shell_done = 1;
		}
	}
}

/* Child side of a job: new session, stdin /dev/null, stdout+stderr the pipe, exec sh. */
static void job_child(const char *job, int out)
{
	int null = open("/dev/null", O_RDONLY);

	setsid();
	if (null >= 0 && null != 0) {
		dup2(null, 0);
		close(null);
	}
	dup2(out, 1);
	dup2(out, 2);
	if (out > 2)
		close(out);
	execle("/bin/sh", "sh", "-c", job, (char *)NULL, job_env);
	say("cannot exec /bin/sh: %s", strerror(errno));
	_exit(127);
}

/* Copy a chunk of job output to the console and to the host as an OUT frame. */
static void forward(int ctl, const char *buf, size_t len)
{
	write_all(1, buf, len);
	ctl_send(ctl, "OUT %zu\n", len);
	write_all(ctl, buf, len);
}

/* Run the job, forward its output until EOF, reap everything; return its exit code. */
static int run_job(int ctl, const char *job)
{
	int fds[2], status = 0, shell_done = 0;
	char buf[4096];
	pid_t shell;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		say("pipe: %s", strerror(errno));
		return 127;
	}
	catch_sigchld();
	shell = fork();
	if (shell == 0)
		job_child(job, fds[1]);
	close(fds[1]);
	if (shell < 0) {
		say("fork: %s", strerror(errno));
		return 127;
	}
	for (;;) {
		ssize_t n = read(fds[0], buf, sizeof(buf));
		if (n > 0)
			forward(ctl, buf, n);
		else if (n == 0 || errno != EINTR)
			break;
		reap_nohang(shell, &status, &shell_done);
	}
	close(fds[0]);
	while (!shell_done) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);
		if (pid == shell) {
			status = st;
			shell_done = 1;
		} else if (pid < 0 && errno != EINTR) {
			break;
		}
	}
	return exit_code(status);
}

/* Read the JOB payload announced by "JOB <n>"; returns a malloc'd string or NULL. */
static char *read_job(int ctl, const char *line)
{
	size_t len = strtoul(line + 4, NULL, 10);
	char *job = malloc(len + 1);

	if (!job || read_all(ctl, job, len) < 0) {
		say("cannot read a job of %zu bytes", len);
		free(job);
		return NULL;
	}
	job[len] = '\0';
	return job;
}

/* Child side of the interactive shell: session leader with the console as its tty. */
static void shell_child(void)
{
	int fd;

	setsid();
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	ioctl(0, TIOCSCTTY, 1);
	execle("/bin/sh", "sh", (char *)NULL, job_env);
	say("cannot exec /bin/sh: %s", strerror(errno));
	_exit(127);
}

/* Run /bin/sh interactively on the console and reap orphans until it exits. */
static void run_interactive(void)
{
	pid_t shell = fork();

	if (shell == 0)
		shell_child();
	if (shell < 0) {
		say("fork: %s", strerror(errno));
		return;
	}
	for (;;) {
		pid_t pid = waitpid(-1, NULL, 0);
		if (pid == shell || (pid < 0 && errno != EINTR))
			break;
	}
}

/* PID 1: mount, greet the host, run the job or a shell, power off. */
int main(void)
{
	char line[64];
	int ctl;

	open_console();
	say("started");
	mount_one("devtmpfs", "/dev");
	load_modules();
	switch_root();
	mount_all();
	ctl = open_ctl();
	if (ctl >= 0) {
		ctl_send(ctl, "LUMEN HELLO\n");
		if (read_line(ctl, line, sizeof(line)) < 0)
			strcpy(line, "INTERACTIVE");
	} else {
		strcpy(line, "INTERACTIVE");
	}
	if (strncmp(line, "JOB ", 4) == 0) {
		char *job = read_job(ctl, line);
		int code = job ? run_job(ctl, job) : 127;
		ctl_send(ctl, "EXIT %d\n", code);
	} else {
		run_interactive();
	}
	power_off(ctl);
	return 0;
}
