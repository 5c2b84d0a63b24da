/*
 * unix_msg.c — AF_UNIX data transfer: stream sends split into packets and reads that
 * join them, datagram and seqpacket messages with their boundaries, SCM_RIGHTS and
 * SCM_CREDENTIALS, the send buffer and queue limits, and poll. Locking: see unix.h.
 */
#include "net/unix.h"
#include "mm/mm.h"
#include <asm-generic/poll.h>
#include <asm-generic/signal.h>
#include <asm-generic/ioctls.h>
#include <linux/sockios.h>

#define STREAM_PACKET_MAX 65536

/* A packet of len bytes charged to sender (counted here), with scm's files
 * (taken over when take_fds) and credentials. NULL when out of memory. */
static struct unix_skb *unix_skb_alloc(struct unix_sock *sender, size_t len, struct scm *scm,
				       bool take_fds)
{
	struct unix_skb *skb = kmalloc(sizeof(*skb) + len);

	if (!skb)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	skb->len = len;
	if (take_fds && scm->nfp) {
		skb->fps = kmalloc(scm->nfp * sizeof(struct file *));
		if (!skb->fps) {
			kfree(skb);
			return NULL;
		}
		memcpy(skb->fps, scm->fps, scm->nfp * sizeof(struct file *));
		skb->nfp = scm->nfp;
		scm->nfp = 0;
		spin_lock(&unix_lock);
		for (int i = 0; i < skb->nfp; i++)
			unix_inflight_locked(skb->fps[i]);
		spin_unlock(&unix_lock);
	}
	if (scm->has_creds) {
		skb->creds = scm->creds;
	} else {
		struct cred *c = task_cred(current);

		skb->creds.pid = task_tgid(current);
		skb->creds.uid = c->uid;
		skb->creds.gid = c->gid;
	}
	unix_sock_get(sender);
	skb->sender = sender;
	skb->charge = len + UNIX_SKB_OVERHEAD;
	spin_lock(&unix_lock);
	sender->wmem += skb->charge;
	spin_unlock(&unix_lock);
	return skb;
}

/* Waits (until deadline, 0: none) until us may charge another packet (wmem below
 * sndbuf). */
static int unix_wait_wmem(struct socket *sock, struct unix_sock *us, bool nonblock,
			  uint64_t deadline)
{
	if (READ_ONCE(us->wmem) < (size_t)READ_ONCE(sock->sndbuf))
		return 0;
	if (nonblock)
		return -EAGAIN;
	return sock_wait_errno(wait_event_interruptible_timeout(&us->wq, READ_ONCE(us->wmem) <
					(size_t)READ_ONCE(sock->sndbuf) ||
					(READ_ONCE(us->shutdown) & SEND_SHUTDOWN), deadline),
			       deadline);
}

/* EPIPE, with SIGPIPE unless MSG_NOSIGNAL. */
static int unix_epipe(unsigned flags)
{
	if (!(flags & MSG_NOSIGNAL))
		signal_send_thread(current, SIGPIPE);
	return -EPIPE;
}

/* Queues a stream packet on the peer. 0, or -EPIPE when it can no longer read. */
static int unix_stream_queue(struct unix_sock *us, struct unix_skb *skb)
{
	struct unix_sock *peer;
	int err = 0;

	spin_lock(&unix_lock);
	peer = us->peer;
	if ((us->shutdown & SEND_SHUTDOWN) || !peer || peer->dead ||
	    (peer->shutdown & RCV_SHUTDOWN)) {
		err = -EPIPE;
	} else {
		list_add_tail(&skb->link, &peer->rq);
		peer->rq_len++;
		unix_sock_get(peer);
	}
	spin_unlock(&unix_lock);
	if (!err) {
		wake_up(&peer->wq);
		unix_sock_put(peer);
	}
	return err;
}

static ssize_t unix_stream_sendmsg(struct socket *sock, struct kmsg *msg, unsigned flags,
				   bool nonblock, struct scm *scm)
{
	struct unix_sock *us = sock->sk;
	size_t sent = 0;
	int err = 0;

	if (msg->has_name)
		return READ_ONCE(us->state) == US_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
	if (READ_ONCE(us->state) != US_ESTABLISHED)
		return -ENOTCONN;
	if (READ_ONCE(us->shutdown) & SEND_SHUTDOWN)
		return unix_epipe(flags);
	while (sent < msg->len) {
		size_t size = MIN(msg->len - sent, MIN((size_t)READ_ONCE(sock->sndbuf) / 2 - 64,
						       STREAM_PACKET_MAX));
		struct unix_skb *skb;

		err = unix_wait_wmem(sock, us, nonblock, msg->deadline);
		if (err)
			break;
		skb = unix_skb_alloc(us, size, scm, sent == 0);
		if (!skb) {
			err = -ENOMEM;
			break;
		}
		err = msg_copy_in(msg, sent, skb->data, size);
		if (!err)
			err = unix_stream_queue(us, skb);
		if (err) {
			unix_skb_free(skb);
			if (err == -EPIPE && !sent)
				return unix_epipe(flags);
			break;
		}
		sent += size;
	}
	return sent ? (ssize_t)sent : err;
}

/* Queues a datagram on other: 0, 1 to wait for room, or -errno. */
static int unix_dgram_queue(struct unix_sock *us, struct unix_sock *other,
			    struct unix_skb *skb, bool by_peer)
{
	int err = 0;

	spin_lock(&unix_lock);
	if (other->dead) {
		err = -ECONNREFUSED;
		if (by_peer && us->peer == other) {
			us->peer = NULL;
			us->state = US_CLOSE;
			err = -ECONNRESET;	/* tells the caller to drop the peer's ref */
		}
	} else if (other->peer && other->peer != us) {
		err = -EPERM;
	} else if (other->shutdown & RCV_SHUTDOWN) {
		err = -EPIPE;
	} else if (other != us && other->peer != us && other->rq_len > (unsigned)other->backlog) {
		err = 1;
	} else {
		list_add_tail(&skb->link, &other->rq);
		other->rq_len++;
	}
	spin_unlock(&unix_lock);
	if (!err)
		wake_up(&other->wq);
	return err;
}

/* The destination of a datagram: the named socket or the peer, counted. */
static struct unix_sock *unix_dgram_target(struct socket *sock, struct kmsg *msg)
{
	struct unix_sock *us = sock->sk, *other;
	const struct sockaddr_un *addr = (const void *)&msg->name;

	if (msg->has_name && sock->type == SOCK_DGRAM) {
		int err = unix_validate_addr(addr, msg->namelen);

		return err ? ERR_PTR(err) : unix_find(addr, msg->namelen, sock->type);
	}
	spin_lock(&unix_lock);
	other = us->peer;
	if (other)
		unix_sock_get(other);
	spin_unlock(&unix_lock);
	return other ? other : ERR_PTR(-ENOTCONN);
}

static ssize_t unix_dgram_sendmsg(struct socket *sock, struct kmsg *msg, unsigned flags,
				  bool nonblock, struct scm *scm)
{
	struct unix_sock *us = sock->sk, *other;
	struct unix_skb *skb;
	bool by_peer = !msg->has_name || sock->type != SOCK_DGRAM;
	int err;

	if (sock->type == SOCK_SEQPACKET && READ_ONCE(us->state) != US_ESTABLISHED)
		return -ENOTCONN;
	if (READ_ONCE(us->shutdown) & SEND_SHUTDOWN)
		return -EPIPE;
	other = unix_dgram_target(sock, msg);
	if (IS_ERR(other))
		return PTR_ERR(other);
	err = -EMSGSIZE;
	if (msg->len > (size_t)READ_ONCE(sock->sndbuf) - 32)
		goto out_put;
	if (READ_ONCE(sock->passcred) && (err = unix_autobind(us)))
		goto out_put;
	err = unix_wait_wmem(sock, us, nonblock, msg->deadline);
	if (err)
		goto out_put;
	err = -ENOMEM;
	skb = unix_skb_alloc(us, msg->len, scm, true);
	if (!skb)
		goto out_put;
	err = msg_copy_in(msg, 0, skb->data, msg->len);
	while (!err) {
		err = unix_dgram_queue(us, other, skb, by_peer);
		if (err != 1)
			break;
		err = -EAGAIN;
		if (nonblock)
			break;
		err = wait_event_interruptible_timeout(&other->wq, READ_ONCE(other->rq_len) <=
						       (unsigned)other->backlog ||
						       READ_ONCE(other->dead), msg->deadline);
		err = sock_wait_errno(err, msg->deadline);
	}
	if (err == -ECONNRESET) {
		unix_sock_put(other);	/* the peer reference us held */
		err = -ECONNREFUSED;
	}
	if (err == -EPIPE && sock->type == SOCK_SEQPACKET)
		err = unix_epipe(flags);
	if (err)
		unix_skb_free(skb);
out_put:
	unix_sock_put(other);
	return err ? err : (ssize_t)msg->len;
}

/* sendmsg on any AF_UNIX socket: parses the control, then sends by type. */
ssize_t unix_sendmsg(struct socket *sock, struct kmsg *msg, unsigned flags, bool nonblock)
{
	struct scm *scm = kmalloc(sizeof(*scm));
	ssize_t ret;

	if (!scm)
		return -ENOMEM;
	ret = scm_parse(msg, scm);
	if (ret)
		goto out;
	if (flags & MSG_OOB)
		ret = -EOPNOTSUPP;
	else if (sock->type == SOCK_STREAM)
		ret = unix_stream_sendmsg(sock, msg, flags, nonblock, scm);
	else
		ret = unix_dgram_sendmsg(sock, msg, flags, nonblock, scm);
	scm_release(scm);
out:
	kfree(scm);
	return ret;
}

/* The source address of a packet into msg->name (namelen 0 when unbound). */
static void unix_copy_addr(struct kmsg *msg, struct unix_skb *skb)
{
	spin_lock(&unix_lock);
	msg->namelen = skb->sender ? skb->sender->addr_len : 0;
	if (msg->namelen)
		memcpy(&msg->name, &skb->sender->addr, msg->namelen);
	spin_unlock(&unix_lock);
}

/* Credentials (with SO_PASSCRED) and passed files of a received packet as cmsgs;
 * takes over the references in fps. */
static void unix_put_control(struct socket *sock, struct kmsg *msg, struct ucred *creds,
			     struct file **fps, int nfp)
{
	if (READ_ONCE(sock->passcred))
		msg_put_cmsg(msg, SOL_SOCKET, SCM_CREDENTIALS, creds, sizeof(*creds));
	if (nfp)
		msg_put_fds(msg, fps, nfp);
}

/* The files of a packet for the receiver: the packet's own (taken) or, for
 * MSG_PEEK, new references. Needs the socket's readlock. */
static struct file **unix_take_fds(struct unix_skb *skb, bool peek, int *nfp)
{
	struct file **fps = skb->fps;
	int i;

	*nfp = skb->nfp;
	if (!peek) {
		spin_lock(&unix_lock);
		for (i = 0; i < *nfp; i++)
			unix_notinflight_locked(fps[i]);
		skb->fps = NULL;
		skb->nfp = 0;
		spin_unlock(&unix_lock);
		return fps;
	}
	fps = kmalloc(*nfp * sizeof(*fps));
	if (!fps) {
		*nfp = 0;
		return NULL;
	}
	spin_lock(&unix_lock);	/* the collector sees the new references at once */
	for (i = 0; i < *nfp; i++) {
		fps[i] = skb->fps[i];
		file_get(fps[i]);
	}
	spin_unlock(&unix_lock);
	return fps;
}

/* Removes the first packet of us's queue (the readlock holder's) and frees it. */
static void unix_consume(struct unix_sock *us, struct unix_skb *skb)
{
	spin_lock(&unix_lock);
	list_del(&skb->link);
	us->rq_len--;
	spin_unlock(&unix_lock);
	wake_up(&us->wq);
	wake_up(&us->peer_wait);
	unix_skb_free(skb);
}

/* The packet after prev (the first when prev is NULL), or NULL; and the pending
 * error/EOF state when there is none. */
static struct unix_skb *unix_next_skb(struct unix_sock *us, struct unix_skb *prev)
{
	struct list_head *next;

	spin_lock(&unix_lock);
	next = prev ? prev->link.next : us->rq.next;
	spin_unlock(&unix_lock);
	return next == &us->rq ? NULL : list_entry(next, struct unix_skb, link);
}

/* Waits (until deadline, 0: none) for a packet after prev: 0 to retry, or the
 * result to return (1 at EOF). */
static int unix_wait_data(struct unix_sock *us, struct unix_skb *prev, bool nonblock,
			  uint64_t deadline)
{
	int err = __atomic_exchange_n(&us->err, 0, __ATOMIC_ACQ_REL);

	if (err)
		return -err;
	if (READ_ONCE(us->shutdown) & RCV_SHUTDOWN)
		return 1;
	if (nonblock)
		return -EAGAIN;
	fs_mutex_unlock(&us->readlock);
	err = wait_event_interruptible_timeout(&us->wq, unix_next_skb(us, prev) ||
					       READ_ONCE(us->err) ||
					       (READ_ONCE(us->shutdown) & RCV_SHUTDOWN), deadline);
	fs_mutex_lock(&us->readlock);
	return sock_wait_errno(err, deadline);
}

/* SO_PEEK_OFF moves on after a peek of n bytes, back after a read (Linux's
 * sk_peek_offset_fwd/bwd); nothing when it is off. Needs the readlock. */
static void unix_peek_off_move(struct unix_sock *us, size_t n, bool peek)
{
	int off = us->peek_off;

	if (off < 0)
		return;
	WRITE_ONCE(us->peek_off, peek ? (int)(off + n) : (int)MAX((long)off - (long)n, 0L));
}

/* Where a read starts: SO_PEEK_OFF bytes in for MSG_PEEK, else 0. Needs the
 * readlock. */
static size_t unix_skip(struct unix_sock *us, bool peek)
{
	return peek && us->peek_off > 0 ? (size_t)us->peek_off : 0;
}

static ssize_t unix_stream_recvmsg(struct socket *sock, struct kmsg *msg, unsigned flags,
				   bool nonblock)
{
	struct unix_sock *us = sock->sk;
	struct unix_skb *skb, *prev = NULL;
	size_t copied = 0, target = (flags & MSG_WAITALL) ? msg->len : 1, skip;
	bool peek = flags & MSG_PEEK, have_creds = false;
	struct ucred creds = { 0 };
	struct file **fps = NULL;
	int nfp = 0, err = 0;

	if (READ_ONCE(us->state) != US_ESTABLISHED)
		return -EINVAL;
	fs_mutex_lock(&us->readlock);
	skip = unix_skip(us, peek);
	while (copied < msg->len || !copied) {
		size_t chunk;

		skb = unix_next_skb(us, peek ? prev : NULL);
		while (skb && skip >= skb->len - skb->off) {	/* SO_PEEK_OFF */
			skip -= skb->len - skb->off;
			prev = skb;
			skb = unix_next_skb(us, prev);
		}
		if (!skb) {
			/* A peeking reader never sleeps past a packet it has seen: another
			 * reader may consume it meanwhile. */
			if (copied >= MAX(target, 1) || (peek && copied))
				break;
			err = unix_wait_data(us, peek ? prev : NULL, nonblock, msg->deadline);
			if (err)
				break;
			continue;
		}
		if (have_creds && READ_ONCE(sock->passcred) &&
		    memcmp(&creds, &skb->creds, sizeof(creds)))
			break;
		if (!have_creds) {
			creds = skb->creds;
			have_creds = true;
			if (msg->has_name)
				unix_copy_addr(msg, skb);
		}
		chunk = MIN(skb->len - skb->off - skip, msg->len - copied);
		if (msg_copy_out(msg, copied, skb->data + skb->off + skip, chunk)) {
			err = -EFAULT;
			break;
		}
		copied += chunk;
		unix_peek_off_move(us, chunk, peek);
		if (skb->nfp)
			fps = unix_take_fds(skb, peek, &nfp);
		if (peek) {
			prev = skb;
			skip = 0;
		} else {
			skb->off += chunk;
			if (skb->off < skb->len)
				break;
			unix_consume(us, skb);
		}
		if (fps || !msg->len)
			break;
	}
	if (have_creds)
		unix_put_control(sock, msg, &creds, fps, nfp);
	kfree(fps);
	fs_mutex_unlock(&us->readlock);
	if (copied)
		return copied;
	return err > 0 ? 0 : err;
}

static ssize_t unix_dgram_recvmsg(struct socket *sock, struct kmsg *msg, unsigned flags,
				  bool nonblock)
{
	struct unix_sock *us = sock->sk;
	struct unix_skb *skb, *prev;
	struct file **fps = NULL;
	bool peek = flags & MSG_PEEK;
	size_t copied, skip, avail;
	int nfp = 0, err = 0;

	if (sock->type == SOCK_SEQPACKET && READ_ONCE(us->state) != US_ESTABLISHED)
		return -ENOTCONN;
	fs_mutex_lock(&us->readlock);
	for (;;) {
		/* SO_PEEK_OFF: a peek skips the datagrams it lies past, as Linux's
		 * __skb_try_recv_from_queue, and reads the rest of the one it is in. */
		skip = unix_skip(us, peek);
		prev = NULL;
		skb = unix_next_skb(us, NULL);
		while (skb && skip && skip >= skb->len) {
			skip -= skb->len;
			prev = skb;
			skb = unix_next_skb(us, prev);
		}
		if (skb)
			break;
		err = unix_wait_data(us, prev, nonblock, msg->deadline);
		if (err)
			goto out_unlock;
	}
	if (msg->has_name)
		unix_copy_addr(msg, skb);
	avail = skb->len - skip;
	copied = MIN(avail, msg->len);
	if (avail > msg->len)
		msg->flags |= MSG_TRUNC;
	if (msg_copy_out(msg, 0, skb->data + skip, copied)) {
		err = -EFAULT;
		goto out_unlock;
	}
	if (skb->nfp)
		fps = unix_take_fds(skb, peek, &nfp);
	unix_put_control(sock, msg, &skb->creds, fps, nfp);
	kfree(fps);
	err = (flags & MSG_TRUNC) ? avail : copied;
	unix_peek_off_move(us, peek ? copied : skb->len, peek);
	if (!peek)
		unix_consume(us, skb);
out_unlock:
	fs_mutex_unlock(&us->readlock);
	return err > 0 && !skb ? 0 : err;
}

/* recvmsg on any AF_UNIX socket. */
ssize_t unix_recvmsg(struct socket *sock, struct kmsg *msg, unsigned flags, bool nonblock)
{
	if (flags & MSG_OOB)	/* Linux's streams know MSG_OOB, but hold no such byte */
		return sock->type == SOCK_STREAM ? -EINVAL : -EOPNOTSUPP;
	if (sock->type == SOCK_STREAM)
		return unix_stream_recvmsg(sock, msg, flags, nonblock);
	return unix_dgram_recvmsg(sock, msg, flags, nonblock);
}

/* peer_wake's callback: the peer's queue shrank, a poller of us may write again. */
static void unix_peer_wake_relay(struct waiter *w)
{
	wake_up(&container_of(w, struct unix_sock, peer_wake)->wq);
}

/* Unhooks us's peer_wake; returns the peer it hung on (to put) or NULL. */
struct unix_sock *unix_peer_wake_disconnect_locked(struct unix_sock *us)
{
	struct unix_sock *was = us->peer_wake_to;

	if (was) {
		wait_queue_remove(&us->peer_wake);
		us->peer_wake_to = NULL;
	}
	return was;
}

/* Hooks us's peer_wake on peer (unless it hangs there already); returns the peer it
 * hung on before (to put) or NULL. Needs unix_lock. */
static struct unix_sock *unix_peer_wake_connect_locked(struct unix_sock *us,
							struct unix_sock *peer)
{
	struct unix_sock *was = NULL;

	if (us->peer_wake_to == peer)
		return NULL;
	was = unix_peer_wake_disconnect_locked(us);
	unix_sock_get(peer);
	us->peer_wake_to = peer;
	wait_queue_add_callback(&peer->peer_wait, &us->peer_wake, unix_peer_wake_relay);
	return was;
}

/* Whether a datagram socket may send to its peer: not when the peer's queue is full
 * (unless the peer is connected back); then peer_wake wakes us once it shrinks.
 * Needs unix_lock; *put gets a socket to put after unlocking. */
static bool unix_dgram_writable_locked(struct unix_sock *us, struct unix_sock **put)
{
	struct unix_sock *peer = us->peer;

	if (!peer || peer->peer == us || peer->dead || peer->rq_len <= (unsigned)peer->backlog) {
		*put = unix_peer_wake_disconnect_locked(us);
		return true;
	}
	*put = unix_peer_wake_connect_locked(us, peer);
	return false;
}

/* SIOCINQ (FIONREAD): bytes queued (datagrams: the first one's); SIOCOUTQ: bytes
 * charged to the sender for packets still queued. Takes unix_lock. */
long unix_ioctl(struct socket *sock, unsigned cmd, unsigned long arg)
{
	struct unix_sock *us = sock->sk;
	struct unix_skb *skb;
	long amount = 0;

	switch (cmd) {
	case SIOCOUTQ:
		amount = READ_ONCE(us->wmem);
		break;
	case SIOCINQ:
		spin_lock(&unix_lock);
		if (us->state == US_LISTEN)
			amount = -EINVAL;
		else if (sock->type == SOCK_DGRAM && !list_empty(&us->rq))
			amount = list_first_entry(&us->rq, struct unix_skb, link)->len;
		else if (sock->type != SOCK_DGRAM)
			list_for_each_entry(skb, &us->rq, link)
				amount += skb->len - READ_ONCE(skb->off);
		spin_unlock(&unix_lock);
		if (amount < 0)
			return amount;
		break;
	default:
		return -ENOTTY;
	}
	return put_user((int)amount, (int __user *)arg) ? -EFAULT : 0;
}

/* poll: Linux's unix_poll and unix_dgram_poll masks. */
unsigned unix_poll(struct socket *sock, struct file *file, struct poll_table *pt)
{
	struct unix_sock *us = sock->sk, *put = NULL;
	unsigned mask = 0;

	poll_wait(file, &us->wq, pt);
	spin_lock(&unix_lock);
	if (us->err)
		mask |= POLLERR;
	if (us->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (us->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&us->rq))
		mask |= POLLIN | POLLRDNORM;
	if (sock->type != SOCK_DGRAM && us->state == US_CLOSE)
		mask |= POLLHUP;
	if (us->state != US_LISTEN && us->wmem * 4 <= (size_t)sock->sndbuf &&
	    (sock->type == SOCK_STREAM || unix_dgram_writable_locked(us, &put)))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	spin_unlock(&unix_lock);
	unix_sock_put(put);
	return mask;
}
