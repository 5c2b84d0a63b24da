/*
 * misc.c — small syscalls: uname, credentials, groups, getrandom, sysinfo, CPU
 * affinity, sched_yield, getcpu and prctl.
 */
#include "proc/task.h"
#include "dev/dev.h"
#include "mm/mm.h"
#include <linux/utsname.h>
#include <linux/random.h>
#include <linux/kernel.h>
#include <linux/prctl.h>

#define NGROUPS_MAX 65536

long sys_uname(struct new_utsname __user *buf)
{
	static const struct new_utsname u = {
		.sysname = "Linux",
		.nodename = "(none)",
		.release = "6.1.0-lumen",
		.version = "#1 SMP Lumen",
		.machine = "x86_64",
		.domainname = "(none)",
	};

	return copy_to_user(buf, &u, sizeof(u)) ? -EFAULT : 0;
}

long sys_getuid(void) { return current->cred.uid; }
long sys_geteuid(void) { return current->cred.euid; }
long sys_getgid(void) { return current->cred.gid; }
long sys_getegid(void) { return current->cred.egid; }

long sys_getresuid(uid_t __user *r, uid_t __user *e, uid_t __user *s)
{
	struct cred *c = &current->cred;

	if (put_user(c->uid, r) || put_user(c->euid, e) || put_user(c->suid, s))
		return -EFAULT;
	return 0;
}

long sys_getresgid(gid_t __user *r, gid_t __user *e, gid_t __user *s)
{
	struct cred *c = &current->cred;

	if (put_user(c->gid, r) || put_user(c->egid, e) || put_user(c->sgid, s))
		return -EFAULT;
	return 0;
}

/* Sets real/effective/saved ids (-1 keeps one). Unprivileged callers may only pick
 * among their current three ids, as Linux. */
static long cred_set3(uint32_t *real, uint32_t *eff, uint32_t *saved, uint32_t *fs,
		      uint32_t r, uint32_t e, uint32_t s)
{
	bool root = current->cred.euid == 0;
	uint32_t ids[3] = { r, e, s };

	for (int i = 0; i < 3 && !root; i++)
		if (ids[i] != (uint32_t)-1 && ids[i] != *real && ids[i] != *eff && ids[i] != *saved)
			return -EPERM;
	if (r != (uint32_t)-1)
		*real = r;
	if (e != (uint32_t)-1)
		*eff = e;
	if (s != (uint32_t)-1)
		*saved = s;
	*fs = *eff;
	return 0;
}

long sys_setresuid(uid_t r, uid_t e, uid_t s)
{
	struct cred *c = &current->cred;
	return cred_set3(&c->uid, &c->euid, &c->suid, &c->fsuid, r, e, s);
}

long sys_setresgid(gid_t r, gid_t e, gid_t s)
{
	struct cred *c = &current->cred;
	return cred_set3(&c->gid, &c->egid, &c->sgid, &c->fsgid, r, e, s);
}

long sys_setuid(uid_t uid)
{
	struct cred *c = &current->cred;

	if (c->euid == 0)
		return cred_set3(&c->uid, &c->euid, &c->suid, &c->fsuid, uid, uid, uid);
	return cred_set3(&c->uid, &c->euid, &c->suid, &c->fsuid, -1, uid, -1);
}

long sys_setgid(gid_t gid)
{
	struct cred *c = &current->cred;

	if (c->euid == 0)
		return cred_set3(&c->gid, &c->egid, &c->sgid, &c->fsgid, gid, gid, gid);
	return cred_set3(&c->gid, &c->egid, &c->sgid, &c->fsgid, -1, gid, -1);
}

long sys_setreuid(uid_t r, uid_t e)
{
	struct cred *c = &current->cred;
	uint32_t s = (r != (uid_t)-1 || (e != (uid_t)-1 && e != c->uid)) ? (e != (uid_t)-1 ? e : c->euid) : (uid_t)-1;

	return cred_set3(&c->uid, &c->euid, &c->suid, &c->fsuid, r, e, s);
}

long sys_setregid(gid_t r, gid_t e)
{
	struct cred *c = &current->cred;
	uint32_t s = (r != (gid_t)-1 || (e != (gid_t)-1 && e != c->gid)) ? (e != (gid_t)-1 ? e : c->egid) : (gid_t)-1;

	return cred_set3(&c->gid, &c->egid, &c->sgid, &c->fsgid, r, e, s);
}

/* getgroups(2): the supplementary groups, sorted; size 0 asks for their number. */
long sys_getgroups(int size, gid_t __user *list)
{
	const struct group_info *g = current->cred.groups;
	int count = g ? g->count : 0;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return count;
	if (size < count)
		return -EINVAL;
	if (count && copy_to_user(list, g->gids, (size_t)count * sizeof(gid_t)))
		return -EFAULT;
	return count;
}

/* setgroups(2): root only (CAP_SETGID); replaces the current thread's groups. */
long sys_setgroups(int size, const gid_t __user *list)
{
	if (current->cred.euid != 0)
		return -EPERM;
	if ((unsigned)size > NGROUPS_MAX)
		return -EINVAL;
	return groups_set_current(list, size);
}

long sys_getrandom(void __user *buf, size_t len, unsigned flags)
{
	uint8_t chunk[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	len = MIN(len, (size_t)0x1ffffff);
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk));

		random_bytes(chunk, n);
		if (copy_to_user((char __user *)buf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
		if (done < len && signal_pending_current())
			return done;
	}
	return done;
}

long sys_sysinfo(struct sysinfo __user *info)
{
	struct sysinfo si;
	uint64_t f;
	struct task *t;

	memset(&si, 0, sizeof(si));
	si.uptime = clock_monotonic_ns() / 1000000000ULL;
	si.totalram = pages_total();
	si.freeram = pages_free();
	si.mem_unit = PAGE_SIZE;
	f = spin_lock_irqsave(&tasks_lock);
	list_for_each_entry(t, &all_tasks, all_link)
		si.procs++;
	spin_unlock_irqrestore(&tasks_lock, f);
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

long sys_sched_yield(void)
{
	schedule();
	return 0;
}

long sys_sched_getaffinity(pid_t pid, unsigned len, unsigned long __user *mask)
{
	unsigned long m = cpu_count >= 64 ? ~0UL : (1UL << (cpu_count ? cpu_count : 1)) - 1;

	if (len < sizeof(unsigned long) || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	if (pid && !task_find(pid))
		return -ESRCH;
	if (clear_user(mask, len) || copy_to_user(mask, &m, sizeof(m)))
		return -EFAULT;
	return sizeof(unsigned long);
}

long sys_sched_setaffinity(pid_t pid, unsigned len, const unsigned long __user *mask)
{
	unsigned long m = 0;

	if (pid && !task_find(pid))
		return -ESRCH;
	if (copy_from_user(&m, mask, MIN(len, (unsigned)sizeof(m))))
		return -EFAULT;
	return (m & 1) ? 0 : -EINVAL;
}

long sys_getcpu(unsigned __user *cpu, unsigned __user *node, void __user *cache)
{
	if (cpu && put_user((unsigned)cpu_id(), cpu))
		return -EFAULT;
	if (node && put_user(0u, node))
		return -EFAULT;
	return 0;
}

long sys_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	       unsigned long arg5)
{
	char name[16];
	long len;

	switch (option) {
	case PR_SET_NAME:
		len = strncpy_from_user(name, (const char __user *)arg2, sizeof(name));
		if (len == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		memcpy(current->comm, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user((char __user *)arg2, current->comm, sizeof(current->comm)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}
