/*
 * netlink.c — AF_NETLINK sockets of the NETLINK_KOBJECT_UEVENT protocol: bind to a
 * port id and multicast groups, classic BPF filters (SO_ATTACH_FILTER), and the
 * delivery of the kernel's uevents (netlink_uevent_broadcast) to every socket bound
 * to group 1, as udev and libinput's device monitors receive them.
 *
 * Locking: nl_lock (a spinlock, interrupts off) protects every nl_sock field except
 * wq and readlock, the message queues and the list of bound sockets. Only a
 * socket's one reader (readlock) takes messages off its queue, so a reader copies
 * a message out without nl_lock.
 */
#include "net/sock.h"
#include "mm/mm.h"
#include <linux/netlink.h>
#include <linux/filter.h>
#include <asm-generic/poll.h>

#define NL_MAX_LINKS 32

struct nl_sock {
	uint32_t portid;
	uint32_t groups;		/* groups 1-32 as a mask */
	bool bound;
	int err;			/* ENOBUFS after a dropped message */
	struct list_head link;		/* in nl_bound while bound */
	struct list_head rq;		/* struct nl_msg, oldest first */
	size_t rq_bytes;
	struct sock_filter *filter;	/* kmalloc'd, or NULL */
	unsigned filter_len;
	struct socket *sock;
	struct wait_queue wq;
	struct fs_mutex readlock;
};

struct nl_msg {
	struct list_head link;
	size_t len;
	char data[];
};

static spinlock_t nl_lock = SPINLOCK_INIT("netlink");
static LIST_HEAD(nl_bound);
static int32_t nl_rover = -4096;

/* The socket bound to portid, or NULL. Needs nl_lock. */
static struct nl_sock *nl_find_locked(uint32_t portid)
{
	struct nl_sock *nl;

	list_for_each_entry(nl, &nl_bound, link)
		if (nl->portid == portid)
			return nl;
	return NULL;
}

/* Binds to portid, or (0) to the process id or a free negative id, as Linux's
 * netlink_autobind. Needs nl_lock. */
static int nl_insert_locked(struct nl_sock *nl, uint32_t portid)
{
	if (!portid) {
		portid = task_tgid(current);
		while (nl_find_locked(portid)) {
			portid = nl_rover--;
			if (nl_rover > -4096)
				nl_rover = -4096;
		}
	} else if (nl_find_locked(portid)) {
		return -EADDRINUSE;
	}
	nl->portid = portid;
	nl->bound = true;
	list_add_tail(&nl->link, &nl_bound);
	return 0;
}

static int nl_bind(struct socket *sock, const void *addr, int len)
{
	const struct sockaddr_nl *sa = addr;
	struct nl_sock *nl = sock->sk;
	uint64_t flags;
	int err = 0;

	if (len < (int)sizeof(*sa) || sa->nl_family != AF_NETLINK)
		return -EINVAL;
	flags = spin_lock_irqsave(&nl_lock);
	if (nl->bound && sa->nl_pid != nl->portid)
		err = -EINVAL;
	else if (!nl->bound)
		err = nl_insert_locked(nl, sa->nl_pid);
	if (!err)
		nl->groups = sa->nl_groups;
	spin_unlock_irqrestore(&nl_lock, flags);
	return err;
}

static int nl_getname(struct socket *sock, void *addr, bool peer)
{
	struct sockaddr_nl *sa = addr;
	struct nl_sock *nl = sock->sk;
	uint64_t flags;

	memset(sa, 0, sizeof(*sa));
	sa->nl_family = AF_NETLINK;
	if (!peer) {
		flags = spin_lock_irqsave(&nl_lock);
		sa->nl_pid = nl->portid;
		sa->nl_groups = nl->groups;
		spin_unlock_irqrestore(&nl_lock, flags);
	}
	return sizeof(*sa);
}

/* The first queued message (the reader's), or NULL. */
static struct nl_msg *nl_first(struct nl_sock *nl)
{
	struct nl_msg *m = NULL;
	uint64_t flags = spin_lock_irqsave(&nl_lock);

	if (!list_empty(&nl->rq))
		m = list_first_entry(&nl->rq, struct nl_msg, link);
	spin_unlock_irqrestore(&nl_lock, flags);
	return m;
}

/* Waits for a message: 0 when there is one, or -errno. Needs readlock. */
static int nl_wait(struct nl_sock *nl, bool nonblock)
{
	int err;

	while (!nl_first(nl)) {
		err = __atomic_exchange_n(&nl->err, 0, __ATOMIC_ACQ_REL);
		if (err)
			return -err;
		if (nonblock)
			return -EAGAIN;
		fs_mutex_unlock(&nl->readlock);
		err = wait_event_interruptible(&nl->wq, nl_first(nl) || READ_ONCE(nl->err));
		fs_mutex_lock(&nl->readlock);
		if (err)
			return err;
	}
	return 0;
}

static ssize_t nl_recvmsg(struct socket *sock, struct kmsg *msg, unsigned flags, bool nonblock)
{
	struct nl_sock *nl = sock->sk;
	struct ucred creds = { 0, 0, 0 };
	struct sockaddr_nl *from = (void *)&msg->name;
	struct nl_msg *m;
	size_t copied;
	uint64_t irq;
	ssize_t ret;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	fs_mutex_lock(&nl->readlock);
	ret = nl_wait(nl, nonblock);
	if (ret)
		goto out_unlock;
	m = nl_first(nl);
	copied = MIN(m->len, msg->len);
	if (m->len > msg->len)
		msg->flags |= MSG_TRUNC;
	if (msg_copy_out(msg, 0, m->data, copied)) {
		ret = -EFAULT;
		goto out_unlock;
	}
	memset(from, 0, sizeof(*from));
	from->nl_family = AF_NETLINK;
	from->nl_groups = 1;
	msg->namelen = sizeof(*from);
	if (READ_ONCE(sock->passcred))
		msg_put_cmsg(msg, SOL_SOCKET, SCM_CREDENTIALS, &creds, sizeof(creds));
	ret = (flags & MSG_TRUNC) ? m->len : copied;
	if (!(flags & MSG_PEEK)) {
		irq = spin_lock_irqsave(&nl_lock);
		list_del(&m->link);
		nl->rq_bytes -= m->len;
		spin_unlock_irqrestore(&nl_lock, irq);
		kfree(m);
	}
out_unlock:
	fs_mutex_unlock(&nl->readlock);
	return ret;
}

static unsigned nl_poll(struct socket *sock, struct file *file, struct poll_table *pt)
{
	struct nl_sock *nl = sock->sk;
	unsigned mask = POLLOUT | POLLWRNORM | POLLWRBAND;

	poll_wait(file, &nl->wq, pt);
	if (nl_first(nl))
		mask |= POLLIN | POLLRDNORM;
	if (READ_ONCE(nl->err))
		mask |= POLLERR;
	return mask;
}

static int nl_attach_filter(struct socket *sock, struct sock_filter *prog, unsigned len)
{
	struct nl_sock *nl = sock->sk;
	struct sock_filter *old;
	uint64_t flags;
	int err = bpf_check(prog, len);

	if (err) {
		kfree(prog);
		return err;
	}
	flags = spin_lock_irqsave(&nl_lock);
	old = nl->filter;
	nl->filter = prog;
	nl->filter_len = len;
	spin_unlock_irqrestore(&nl_lock, flags);
	kfree(old);
	return 0;
}

static int nl_setsockopt(struct socket *sock, int level, int name, int val)
{
	struct nl_sock *nl = sock->sk;
	struct sock_filter *old;
	uint64_t flags;

	if (name != SO_DETACH_FILTER)
		return -ENOPROTOOPT;
	flags = spin_lock_irqsave(&nl_lock);
	old = nl->filter;
	nl->filter = NULL;
	spin_unlock_irqrestore(&nl_lock, flags);
	kfree(old);
	return old ? 0 : -ENOENT;
}

static void nl_release(struct socket *sock)
{
	struct nl_sock *nl = sock->sk;
	struct nl_msg *m, *tmp;
	uint64_t flags = spin_lock_irqsave(&nl_lock);

	if (nl->bound)
		list_del(&nl->link);
	spin_unlock_irqrestore(&nl_lock, flags);
	list_for_each_entry_safe(m, tmp, &nl->rq, link)
		kfree(m);
	kfree(nl->filter);
	kfree(nl);
}

static const struct proto_ops nl_ops = {
	.bind = nl_bind,
	.getname = nl_getname,
	.recvmsg = nl_recvmsg,
	.poll = nl_poll,
	.setsockopt = nl_setsockopt,
	.attach_filter = nl_attach_filter,
	.release = nl_release,
};

/* socket(AF_NETLINK, SOCK_RAW or SOCK_DGRAM, NETLINK_KOBJECT_UEVENT); the other
 * netlink protocols are not provided (EPROTONOSUPPORT, as for an unloaded one). */
int netlink_create(struct socket *sock, int type, int protocol)
{
	struct nl_sock *nl;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != NETLINK_KOBJECT_UEVENT)
		return -EPROTONOSUPPORT;
	nl = kzalloc(sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	list_init(&nl->rq);
	list_init(&nl->link);
	wait_queue_init(&nl->wq);
	fs_mutex_init(&nl->readlock, "netlink");
	nl->sock = sock;
	sock->sk = nl;
	sock->ops = &nl_ops;
	return 0;
}

/* Queues a copy of the uevent on nl (what its filter keeps). Needs nl_lock. */
static void nl_deliver_locked(struct nl_sock *nl, const char *buf, size_t len)
{
	struct nl_msg *m;
	uint32_t keep = nl->filter ? bpf_run(nl->filter, nl->filter_len, buf, len) : len;

	len = MIN(len, keep);
	if (!len)
		return;
	m = nl->rq_bytes + len > (size_t)READ_ONCE(nl->sock->rcvbuf) ? NULL :
	    kmalloc(sizeof(*m) + len);
	if (!m) {
		nl->err = ENOBUFS;
		return;
	}
	m->len = len;
	memcpy(m->data, buf, len);
	list_add_tail(&m->link, &nl->rq);
	nl->rq_bytes += len;
}

/* Sends a kobject uevent ("ACTION@DEVPATH\0ACTION=...\0...") to every
 * NETLINK_KOBJECT_UEVENT socket bound to group 1. Takes nl_lock; may be called from
 * any context that may kmalloc. */
void netlink_uevent_broadcast(const char *buf, size_t len)
{
	struct nl_sock *nl;
	uint64_t flags = spin_lock_irqsave(&nl_lock);

	list_for_each_entry(nl, &nl_bound, link) {
		if (nl->groups & 1) {
			nl_deliver_locked(nl, buf, len);
			wake_up(&nl->wq);
		}
	}
	spin_unlock_irqrestore(&nl_lock, flags);
}
