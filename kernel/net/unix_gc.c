/*
 * unix_gc.c — garbage collection of AF_UNIX sockets in flight, as Linux's unix_gc:
 * a socket whose file sits only in receive queues (SCM_RIGHTS not yet received)
 * and whose queues hold such files in turn can form a cycle that no process can
 * reach; closing the last fd never releases it. The collector finds the sockets
 * every reference of which is in flight (candidates), subtracts the references
 * held by candidates' queues, gives back those still referenced from elsewhere
 * (and, transitively, what they hold), and purges the packets of the rest.
 *
 * Locking: unix_lock (unix.h) protects the in-flight counts, the list of sockets
 * in flight and the gc fields, and is held for the whole scan; every change of a
 * packet's files (queueing is counted from the packet's creation, receiving and
 * freeing under unix_lock) keeps a socket's count equal to the packets holding
 * its file, so a socket whose file count equals its in-flight count has no holder
 * outside queues while the scan runs.
 */
#include "net/unix.h"
#include "mm/mm.h"

static LIST_HEAD(unix_inflight_list);	/* unix_sock.gc_link while inflight > 0 */
static LIST_HEAD(unix_gc_candidates);	/* during a collection */
static unsigned unix_tot_inflight;
static bool unix_gc_running;

static void list_move(struct list_head *n, struct list_head *h)
{
	list_del(n);
	list_add(n, h);
}

static void list_move_tail(struct list_head *n, struct list_head *h)
{
	list_del(n);
	list_add_tail(n, h);
}

/* Moves every entry of from to the back of to. */
static void list_splice_tail(struct list_head *from, struct list_head *to)
{
	while (!list_empty(from))
		list_move_tail(from->next, to);
}

/* The AF_UNIX socket a passed file is, or NULL. */
static struct unix_sock *unix_sock_of(struct file *file)
{
	struct socket *sock = sock_of_file(file);

	return sock && sock->family == AF_UNIX ? sock->sk : NULL;
}

/* Counts file as in flight (a packet holds it). Needs unix_lock. */
void unix_inflight_locked(struct file *file)
{
	struct unix_sock *us = unix_sock_of(file);

	if (!us)
		return;
	if (!us->inflight++) {
		us->file = file;
		list_add_tail(&us->gc_link, &unix_inflight_list);
	}
	unix_tot_inflight++;
}

/* Counts file as no longer in flight (received or dropped). Needs unix_lock. */
void unix_notinflight_locked(struct file *file)
{
	struct unix_sock *us = unix_sock_of(file);

	if (!us)
		return;
	if (!--us->inflight) {
		list_del(&us->gc_link);
		us->file = NULL;
	}
	unix_tot_inflight--;
}

/* Calls func on every candidate whose file one of skb's files is; true if any. */
static bool unix_scan_skb(struct unix_skb *skb, void (*func)(struct unix_sock *u))
{
	bool hit = false;
	int i;

	for (i = 0; i < skb->nfp; i++) {
		struct unix_sock *u = unix_sock_of(skb->fps[i]);

		if (u && u->gc_candidate) {
			func(u);
			hit = true;
		}
	}
	return hit;
}

/* Calls func on the candidates a queue holds; moves the packets holding any to
 * hitlist when it is not NULL. */
static void unix_scan_queue(struct unix_sock *us, void (*func)(struct unix_sock *u),
			    struct list_head *hitlist)
{
	struct unix_skb *skb, *tmp;

	list_for_each_entry_safe(skb, tmp, &us->rq, link) {
		if (unix_scan_skb(skb, func) && hitlist) {
			list_del(&skb->link);
			us->rq_len--;
			list_add_tail(&skb->link, hitlist);
		}
	}
}

/* The children of a socket: what its queue holds, and for a listener what the
 * queues of its pending connections hold. */
static void unix_scan_children(struct unix_sock *us, void (*func)(struct unix_sock *u),
			       struct list_head *hitlist)
{
	struct unix_skb *skb;

	unix_scan_queue(us, func, hitlist);
	if (us->state != US_LISTEN)
		return;
	list_for_each_entry(skb, &us->rq, link)
		if (skb->embryo)
			unix_scan_queue(skb->embryo, func, hitlist);
}

static void unix_dec_inflight(struct unix_sock *u)
{
	u->inflight--;
}

static void unix_inc_inflight(struct unix_sock *u)
{
	u->inflight++;
}

/* Restores a reference of a child still reachable; a possible cycle member goes to
 * the candidates' tail so that the walk gives back its own children too. */
static void unix_inc_inflight_move_tail(struct unix_sock *u)
{
	u->inflight++;
	if (u->gc_maybe_cycle)
		list_move_tail(&u->gc_link, &unix_gc_candidates);
}

/* One collection under unix_lock: moves the packets that keep unreachable sockets
 * alive to hitlist. */
static void unix_gc_locked(struct list_head *hitlist)
{
	struct unix_sock *u, *next;
	struct list_head cursor;
	LIST_HEAD(not_cycle);

	list_for_each_entry_safe(u, next, &unix_inflight_list, gc_link)
		if (__atomic_load_n(&u->file->refcount, __ATOMIC_ACQUIRE) == u->inflight) {
			list_move_tail(&u->gc_link, &unix_gc_candidates);
			u->gc_candidate = u->gc_maybe_cycle = true;
		}
	list_for_each_entry(u, &unix_gc_candidates, gc_link)
		unix_scan_children(u, unix_dec_inflight, NULL);
	list_add(&cursor, &unix_gc_candidates);
	while (cursor.next != &unix_gc_candidates) {
		u = list_entry(cursor.next, struct unix_sock, gc_link);
		list_move(&cursor, &u->gc_link);
		if (u->inflight) {
			list_move_tail(&u->gc_link, &not_cycle);
			u->gc_maybe_cycle = false;
			unix_scan_children(u, unix_inc_inflight_move_tail, NULL);
		}
	}
	list_del(&cursor);
	list_for_each_entry(u, &unix_gc_candidates, gc_link)
		unix_scan_children(u, unix_inc_inflight, hitlist);
	list_for_each_entry(u, &unix_gc_candidates, gc_link)
		u->gc_candidate = u->gc_maybe_cycle = false;
	list_for_each_entry(u, &not_cycle, gc_link)
		u->gc_candidate = false;
	list_splice_tail(&unix_gc_candidates, &unix_inflight_list);
	list_splice_tail(&not_cycle, &unix_inflight_list);
}

/* Collects unreachable sockets in flight (unless a collection runs already or none
 * is in flight): their packets holding files are freed, which releases them. Takes
 * unix_lock; called without it. */
void unix_gc(void)
{
	struct unix_skb *skb, *tmp;
	LIST_HEAD(hitlist);

	spin_lock(&unix_lock);
	if (unix_gc_running || !unix_tot_inflight) {
		spin_unlock(&unix_lock);
		return;
	}
	unix_gc_running = true;
	unix_gc_locked(&hitlist);
	spin_unlock(&unix_lock);
	list_for_each_entry_safe(skb, tmp, &hitlist, link)
		unix_skb_free(skb);
	spin_lock(&unix_lock);
	unix_gc_running = false;
	spin_unlock(&unix_lock);
}
