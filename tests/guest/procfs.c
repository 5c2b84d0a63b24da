/*
 * procfs: /proc against Linux: status and stat of processes in each state (running,
 * sleeping, stopped, zombie) and of threads, task/ directories, statm, comm
 * (written too), environ, auxv, cmdline, exe, maps of mappings at fixed addresses,
 * mountinfo, /proc/sys/kernel, filesystems and uptime.
 *
 * Prints only what is the same on every run: formats, presence, comparisons; no
 * pid, time or size is printed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

static char text[65536];

/* Reads a whole file into text; returns its length or -errno. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -errno;
	while ((r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = 0;
	return r < 0 ? -errno : n;
}

/* The value of "Key:\t..." in a status text, or NULL. */
static const char *status_field(const char *st, const char *key)
{
	static char val[1024];
	size_t kl = strlen(key);

	for (const char *p = st; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, kl) && p[kl] == ':' && p[kl + 1] == '\t') {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p - kl - 2) : strlen(p + kl + 2);

			n = n < sizeof(val) - 1 ? n : sizeof(val) - 1;
			memcpy(val, p + kl + 2, n);
			val[n] = 0;
			return val;
		}
	}
	return NULL;
}

/* Field n (1-based) of a stat line, the comm counting as one field. */
static long long stat_field(const char *st, int n, char *state)
{
	const char *p = strrchr(st, ')');

	if (!p)
		return -1;
	if (n == 1)
		return atoll(st);
	if (n == 3 && state)
		*state = p[2];
	p += 2;
	for (int i = 3; i < n && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoll(p, NULL, 10) : -1;
}

static int stat_fields(const char *st)
{
	const char *p = strrchr(st, ')');
	int n = 2;

	for (p = p ? p + 1 : st; *p && *p != '\n'; p++)
		n += *p == ' ';
	return n;
}

/* State letters of a process through stat and status. */
static void show_state(const char *what, pid_t pid)
{
	char path[64], c = '?';
	const char *s;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	slurp(path);
	stat_field(text, 3, &c);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	slurp(path);
	s = status_field(text, "State");
	printf("%s: stat %c status %s\n", what, c, s ? s : "(none)");
}

static void check_states(void)
{
	pid_t pid;
	int st;

	show_state("self", getpid());
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	usleep(100000);
	show_state("child in pause", pid);
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	show_state("stopped child", pid);
	kill(pid, SIGCONT);
	usleep(50000);
	show_state("continued child", pid);
	kill(pid, SIGKILL);
	usleep(100000);
	show_state("killed child, not reaped", pid);
	waitpid(pid, &st, 0);
	snprintf(text, sizeof(text), "/proc/%d/stat", pid);
	printf("reaped child stat: %s\n", errname(-slurp(text)));
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The status fields Lumen and Linux share, and their values for this process. */
static void check_status(void)
{
	static const char *keys[] = { "Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid",
		"TracerPid", "Uid", "Gid", "FDSize", "Groups", "NStgid", "NSpid", "NSpgid",
		"NSsid", "VmSize", "VmLck", "VmPin", "VmRSS", "VmData", "VmStk", "VmExe",
		"VmSwap", "HugetlbPages", "CoreDumping", "Threads", "SigPnd", "ShdPnd", "SigBlk",
		"SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
		"NoNewPrivs", "Seccomp", "Seccomp_filters", "Cpus_allowed_list",
		"Mems_allowed_list" };
	char want[32];
	const char *v;
	sigset_t s;

	signal(SIGUSR1, on_usr1);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGHUP, on_usr1);
	umask(027);
	slurp("/proc/self/status");
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		printf("status %s: %s\n", keys[i], status_field(text, keys[i]) ? "present" : "missing");
	printf("status Name: %s\n", status_field(text, "Name"));
	printf("status Umask: %s\n", status_field(text, "Umask"));
	snprintf(want, sizeof(want), "%d", getpid());
	printf("status Tgid is getpid: %d\n", !strcmp(status_field(text, "Tgid"), want));
	printf("status Pid is getpid: %d\n", !strcmp(status_field(text, "Pid"), want));
	printf("status NStgid is getpid: %d\n", !strcmp(status_field(text, "NStgid"), want));
	snprintf(want, sizeof(want), "%d", getppid());
	printf("status PPid is getppid: %d\n", !strcmp(status_field(text, "PPid"), want));
	printf("status Uid: %s\n", status_field(text, "Uid"));
	printf("status Gid: %s\n", status_field(text, "Gid"));
	printf("status Groups: [%s]\n", status_field(text, "Groups"));
	printf("status Threads: %s\n", status_field(text, "Threads"));
	printf("status SigBlk: %s\n", status_field(text, "SigBlk"));
	printf("status SigIgn: %s\n", status_field(text, "SigIgn"));
	printf("status SigCgt: %s\n", status_field(text, "SigCgt"));
	printf("status SigPnd: %s\n", status_field(text, "SigPnd"));
	printf("status CapEff: %s\n", status_field(text, "CapEff"));
	printf("status CapBnd: %s\n", status_field(text, "CapBnd"));
	v = status_field(text, "VmRSS");
	printf("status VmRSS format: %d\n", v && strlen(v) == 11 && !strcmp(v + 8, " kB") && atol(v) > 0);
	v = status_field(text, "VmSize");
	printf("status VmSize format: %d\n", v && strlen(v) == 11 && !strcmp(v + 8, " kB") && atol(v) > 0);
	v = status_field(text, "VmLck");
	printf("status VmLck: %s\n", v);
	kill(getpid(), SIGUSR1);
	slurp("/proc/self/status");
	printf("status ShdPnd after kill of a blocked signal: %s\n", status_field(text, "ShdPnd"));
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	umask(022);
}

/* stat of the process itself: field count and the fields that are ids or flags. */
static void check_stat(void)
{
	char c;

	slurp("/proc/self/stat");
	printf("stat fields: %d\n", stat_fields(text));
	printf("stat pid: %d\n", stat_field(text, 1, NULL) == getpid());
	printf("stat comm: %.*s\n", (int)(strchr(text, ')') - strchr(text, '(') + 1), strchr(text, '('));
	stat_field(text, 3, &c);
	printf("stat state: %c\n", c);
	printf("stat ppid pgrp session: %d %d %d\n", stat_field(text, 4, NULL) == getppid(),
	       stat_field(text, 5, NULL) == getpgrp(), stat_field(text, 6, NULL) == getsid(0));
	printf("stat threads: %lld\n", stat_field(text, 20, NULL));
	printf("stat vsize > 0: %d rss > 0: %d\n", stat_field(text, 23, NULL) > 0, stat_field(text, 24, NULL) > 0);
	printf("stat rsslim: %s\n", strstr(text, " 18446744073709551615 ") ? "unlimited" : "other");
	printf("stat exit_signal: %lld\n", stat_field(text, 38, NULL));
	printf("stat arg range: %d\n", stat_field(text, 49, NULL) > stat_field(text, 48, NULL));
	printf("stat env range: %d\n", stat_field(text, 51, NULL) > stat_field(text, 50, NULL));
	printf("stat arg_end is env_start: %d\n", stat_field(text, 49, NULL) == stat_field(text, 50, NULL));
	slurp("/proc/self/statm");
	{
		long sz = 0, rss = 0, sh = 0, tx = 0, lib = 0, data = 0, dt = 0;
		int n = sscanf(text, "%ld %ld %ld %ld %ld %ld %ld", &sz, &rss, &sh, &tx, &lib, &data, &dt);

		printf("statm fields: %d size >= resident: %d resident > 0: %d lib %ld dt %ld\n",
		       n, sz >= rss, rss > 0, lib, dt);
	}
}

static int stop_threads;
static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cond = PTHREAD_COND_INITIALIZER;

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&stop_lock);
	while (!stop_threads)
		pthread_cond_wait(&stop_cond, &stop_lock);
	pthread_mutex_unlock(&stop_lock);
	return NULL;
}

static int count_entries(const char *dir, pid_t want, int *found)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	*found = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		if (atoi(e->d_name) == want)
			*found = 1;
		if (e->d_type != DT_DIR)
			n += 1000;
	}
	if (d)
		closedir(d);
	return n;
}

/* task/: one directory per thread, each with stat, status and comm of its own. */
static void check_tasks(void)
{
	pthread_t t[2];
	char path[400], name[32] = "";
	int found, n;

	pthread_create(&t[0], NULL, sleeper, NULL);
	pthread_create(&t[1], NULL, sleeper, NULL);
	usleep(50000);
	n = count_entries("/proc/self/task", getpid(), &found);
	printf("task entries: %d main thread among them: %d\n", n, found);
	slurp("/proc/self/status");
	printf("status Threads with 2 more: %s\n", status_field(text, "Threads"));
	slurp("/proc/self/stat");
	printf("stat threads with 2 more: %lld\n", stat_field(text, 20, NULL));
	printf("pthread_setname_np: %d\n", pthread_setname_np(t[1], "worker-one"));
	printf("pthread_getname_np: %d", pthread_getname_np(t[1], name, sizeof(name)));
	printf(" name %s\n", name);
	{
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;
		int seen = 0, sleeping = 0, named = 0;

		while (d && (e = readdir(d))) {
			char c = '?';

			if (e->d_name[0] == '.' || atoi(e->d_name) == getpid())
				continue;
			seen++;
			snprintf(path, sizeof(path), "/proc/self/task/%s/stat", e->d_name);
			slurp(path);
			stat_field(text, 3, &c);
			sleeping += c == 'S';
			snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
			slurp(path);
			named += !strcmp(text, "worker-one\n");
			snprintf(path, sizeof(path), "/proc/self/task/%s/status", e->d_name);
			slurp(path);
			if (strcmp(status_field(text, "Pid"), e->d_name) ||
			    atoi(status_field(text, "Tgid")) != getpid())
				seen += 100;
		}
		if (d)
			closedir(d);
		printf("other threads: %d sleeping: %d renamed: %d\n", seen, sleeping, named);
	}
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getpid());
	printf("task/TGID/stat: %s\n", slurp(path) > 0 ? "0" : "error");
	printf("task/99999999: %s\n", errname(-slurp("/proc/self/task/99999999/stat")));
	printf("task/abc: %s\n", errname(-slurp("/proc/self/task/abc/stat")));
	snprintf(path, sizeof(path), "/proc/1/task/%d/stat", getpid());
	printf("other process's task dir: %s\n", errname(-slurp(path)));
	pthread_mutex_lock(&stop_lock);
	stop_threads = 1;
	pthread_cond_broadcast(&stop_cond);
	pthread_mutex_unlock(&stop_lock);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	/* Linux releases a joined thread's task a little after the join returns
	 * (CLONE_CHILD_CLEARTID wakes the joiner before release_task): wait up to 1 s. */
	for (int i = 0; i < 100; i++) {
		n = count_entries("/proc/self/task", getpid(), &found);
		if (n == 1)
			break;
		usleep(10000);
	}
	printf("task entries after join: %d\n", n);
}

/* comm: written through /proc, read back by prctl; 15 bytes kept; another process's
 * comm cannot be written. */
static void check_comm(void)
{
	char name[32] = "";
	int fd = open("/proc/self/comm", O_WRONLY);
	long r;

	printf("comm open for writing: %s\n", fd >= 0 ? "0" : errname(errno));
	r = write(fd, "renamed", 7);
	printf("comm write: %ld\n", r);
	close(fd);
	prctl(PR_GET_NAME, name);
	printf("comm after write: %s\n", name);
	fd = open("/proc/self/comm", O_WRONLY);
	r = write(fd, "a-very-long-process-name", 24);
	close(fd);
	slurp("/proc/self/comm");
	printf("comm long write: %ld now %s", r, text);
	fd = open("/proc/1/comm", O_WRONLY);
	r = write(fd, "x", 1);
	printf("comm write to pid 1: %s\n", r < 0 ? errname(errno) : "0");
	close(fd);
	prctl(PR_SET_NAME, "procfs");
}

/* environ, cmdline, auxv and exe against what the process itself knows. */
static void check_memory_files(int argc, char **argv, char **envp)
{
	char buf[4096], link[100];
	size_t n = 0;
	long len;
	int ok = 1;

	for (char **e = envp; *e; e++) {
		size_t l = strlen(*e) + 1;

		if (n + l > sizeof(buf))
			break;
		memcpy(buf + n, *e, l);
		n += l;
	}
	len = slurp("/proc/self/environ");
	printf("environ matches envp: %d\n", len == (long)n && !memcmp(text, buf, n));
	n = 0;
	for (int i = 0; i < argc; i++) {
		memcpy(buf + n, argv[i], strlen(argv[i]) + 1);
		n += strlen(argv[i]) + 1;
	}
	len = slurp("/proc/self/cmdline");
	printf("cmdline matches argv: %d\n", len == (long)n && !memcmp(text, buf, n));
	len = slurp("/proc/self/auxv");
	printf("auxv size multiple of 16: %d\n", len > 0 && len % 16 == 0);
	{
		unsigned long *a = (unsigned long *)text;
		long pairs = len / 16;

		for (long i = 0; i < pairs; i++) {
			unsigned long type = a[2 * i], val = a[2 * i + 1];

			if (type == AT_NULL && i != pairs - 1)
				ok = 0;
			if (type == AT_PAGESZ || type == AT_ENTRY || type == AT_PHDR || type == AT_RANDOM ||
			    type == AT_EXECFN || type == AT_UID || type == AT_CLKTCK)
				if (getauxval(type) != val)
					ok = 0;
		}
		printf("auxv ends with AT_NULL: %d agrees with getauxval: %d\n",
		       pairs > 0 && a[2 * (pairs - 1)] == AT_NULL, ok);
	}
	len = readlink("/proc/self/exe", link, sizeof(link) - 1);
	link[len > 0 ? len : 0] = 0;
	printf("exe: %s\n", link);
	printf("environ of pid 99999999: %s\n", errname(-slurp("/proc/99999999/environ")));
}

/* Masks the device and inode of a maps line (they differ between file systems). */
static void print_maps_line(const char *l)
{
	char range[64], perm[8], off[16], dev[16], rest[512] = "";
	unsigned long ino;
	int pos = 0;

	if (sscanf(l, "%63s %7s %15s %15s %lu%n", range, perm, off, dev, &ino, &pos) < 5)
		return;
	strncpy(rest, l + pos, sizeof(rest) - 1);
	printf("maps: %s %s %s %s %s|%s\n", range, perm, off, ino ? "DEV" : dev, ino ? "INO" : "0",
	       rest);
}

/* Mappings at fixed addresses appear as Linux prints them (padding included). */
static void check_maps(void)
{
	char *a = mmap((void *)0x200000000, 4 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	int fd = open("/proc/self/exe", O_RDONLY);
	void *f = mmap((void *)0x300000000, 8192, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 4096);
	void *x = mmap((void *)0x310000000, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0);
	void *n = mmap((void *)0x320000000, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char *line, *save;
	int heap = 0, stack = 0, exe = 0, sorted = 1;
	unsigned long prev = 0;

	close(fd);
	mprotect(a + 4096, 4096, PROT_READ);
	mprotect(a + 3 * 4096, 4096, PROT_READ | PROT_EXEC);
	printf("fixed maps: %d %d %d %d\n", a != MAP_FAILED, f != MAP_FAILED, x != MAP_FAILED, n != MAP_FAILED);
	slurp("/proc/self/maps");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long lo = strtoul(line, NULL, 16);

		sorted &= lo >= prev;
		prev = lo;
		if (lo >= 0x200000000UL && lo < 0x400000000UL)
			print_maps_line(line);
		heap |= strstr(line, "[heap]") != NULL;
		stack |= strstr(line, "[stack]") != NULL;
		exe |= strstr(line, "/usr/local/bin/procfs") != NULL;
		if (strlen(line) > 73 && line[72] != ' ')
			sorted = 0;
	}
	printf("maps sorted, names at column 74: %d heap: %d stack: %d exe: %d\n", sorted, heap, stack, exe);
	munmap(a, 4 * 4096);
	munmap(f, 8192);
	munmap(x, 4096);
	munmap(n, 4096);
}

/* mountinfo: the fields after the ids of the pseudo file systems, and the links. */
static void check_mountinfo(void)
{
	char *line, *save;
	int ids[64], nids = 0, ok = 1, lines = 0;

	slurp("/proc/self/mountinfo");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int id, parent, maj, min, pos = 0;
		char root[64], mnt[64];

		if (sscanf(line, "%d %d %d:%d %63s %63s%n", &id, &parent, &maj, &min, root, mnt, &pos) < 6) {
			ok = 0;
			continue;
		}
		lines++;
		if (strcmp(mnt, "/")) {
			int known = 0;

			for (int i = 0; i < nids; i++)
				known |= ids[i] == parent;
			ok &= known;
		}
		if (nids < 64)
			ids[nids++] = id;
		if (!strstr(line, " - "))
			ok = 0;
		if (!strcmp(mnt, "/proc") || !strcmp(mnt, "/sys") || !strcmp(mnt, "/tmp"))
			printf("mountinfo %s:%s\n", mnt, line + pos);
	}
	printf("mountinfo lines parse, parents listed before: %d some: %d\n", ok, lines > 3);
}

/* /proc/sys/kernel, filesystems and uptime. */
static void check_system(void)
{
	struct utsname u;
	char boot1[64], uuid1[64];
	int ok;
	double up, idle;
	struct timespec bt;

	uname(&u);
	slurp("/proc/sys/kernel/ostype");
	printf("ostype: %s", text);
	slurp("/proc/sys/kernel/osrelease");
	printf("osrelease is uname's: %d\n", !strncmp(text, u.release, strlen(u.release)) && text[strlen(u.release)] == '\n');
	slurp("/proc/sys/kernel/hostname");
	printf("hostname is uname's: %d\n", !strncmp(text, u.nodename, strlen(u.nodename)));
	slurp("/proc/sys/kernel/pid_max");
	printf("pid_max: %s", text);
	slurp("/proc/sys/kernel/random/boot_id");
	strcpy(boot1, text);
	slurp("/proc/sys/kernel/random/boot_id");
	ok = strlen(boot1) == 37 && boot1[8] == '-' && boot1[13] == '-' && boot1[14] == '4' &&
	     boot1[18] == '-' && strchr("89ab", boot1[19]) && boot1[23] == '-';
	printf("boot_id format: %d stable: %d\n", ok, !strcmp(boot1, text));
	slurp("/proc/sys/kernel/random/uuid");
	strcpy(uuid1, text);
	slurp("/proc/sys/kernel/random/uuid");
	ok = strlen(uuid1) == 37 && uuid1[14] == '4' && strchr("89ab", uuid1[19]);
	printf("uuid format: %d fresh each read: %d\n", ok, strcmp(uuid1, text) != 0);
	printf("no such sysctl: %s\n", errname(-slurp("/proc/sys/kernel/no_such_thing")));
	slurp("/proc/filesystems");
	printf("filesystems: proc %d sysfs %d tmpfs %d devtmpfs %d ext2 %d\n",
	       !!strstr(text, "nodev\tproc\n"), !!strstr(text, "nodev\tsysfs\n"),
	       !!strstr(text, "nodev\ttmpfs\n"), !!strstr(text, "nodev\tdevtmpfs\n"),
	       !!strstr(text, "\text2\n"));
	slurp("/proc/uptime");
	clock_gettime(CLOCK_BOOTTIME, &bt);
	ok = sscanf(text, "%lf %lf", &up, &idle) == 2;
	printf("uptime format: %d two decimals: %d close to boottime: %d\n", ok,
	       strchr(text, '.') && strchr(text, ' ') - strchr(text, '.') == 3,
	       up > 0 && up - (bt.tv_sec + bt.tv_nsec / 1e9) < 1 && bt.tv_sec + bt.tv_nsec / 1e9 - up < 1);
}

/* Reads a child's /proc files while it exits and is reaped: every read either
 * works or fails cleanly (the kernel holds the task while it formats). */
static void check_exiting(void)
{
	static const char *files[] = { "status", "stat", "statm", "comm", "cmdline", "environ",
				       "maps", "fd/0", "task" };
	int bad = 0;

	for (int i = 0; i < 100; i++) {
		pid_t pid = fork();
		char path[64], out[4096];
		int st;

		if (pid == 0)
			_exit(0);
		for (int round = 0; round < 2; round++)
			for (unsigned f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
				int fd;

				snprintf(path, sizeof(path), "/proc/%d/%s", pid, files[f]);
				fd = open(path, O_RDONLY);
				if (fd < 0) {
					bad += errno != ENOENT;
					continue;
				}
				if (read(fd, out, sizeof(out)) < 0)
					bad += errno != ESRCH && errno != EISDIR && errno != ENOENT;
				close(fd);
			}
		waitpid(pid, &st, 0);
	}
	printf("proc files of exiting children: unexpected errors %d\n", bad);
}

int main(int argc, char **argv, char **envp)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_states();
	check_status();
	check_stat();
	check_tasks();
	check_comm();
	check_memory_files(argc, argv, envp);
	check_maps();
	check_mountinfo();
	check_system();
	check_exiting();
	printf("no such pid: %s\n", errname(-slurp("/proc/99999999/status")));
	return 0;
}
