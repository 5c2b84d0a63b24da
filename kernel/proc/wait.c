/*
 * wait.c — wait queues: tasks sleeping until an event (see proc.h for the
 * prepare_to_wait / check / schedule / finish_wait protocol).
 */
#include "proc/task.h"

/* Initializes an empty wait queue. */
void wait_queue_init(struct wait_queue *wq)
{
	spin_init(&wq->lock, "waitq");
	list_init(&wq->waiters);
}

/* Wakes every task on wq; each waiter stays queued until its finish_wait. Takes
 * wq->lock, then the run queue locks; safe from interrupt handlers. */
void wake_up(struct wait_queue *wq)
{
	uint64_t flags = spin_lock_irqsave(&wq->lock);
	struct waiter *w;

	list_for_each_entry(w, &wq->waiters, link) {
		if (w->func)
			w->func(w);
		else
			task_wake(w->task);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Queues w on wq (once) and sets the current task's sleeping state before the
 * caller checks its condition, so a wake_up after the check is not lost. */
void prepare_to_wait(struct wait_queue *wq, struct waiter *w, bool interruptible)
{
	uint64_t flags = spin_lock_irqsave(&wq->lock);

	if (w->queue != wq || w->task != current) {
		w->task = current;
		w->queue = wq;
		list_add_tail(&w->link, &wq->waiters);
	}
	WRITE_ONCE(current->state, interruptible ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Leaves the queue (when queued) and makes the task runnable again. */
void finish_wait(struct waiter *w)
{
	task_wake(current);
	wait_queue_remove(w);
}

/* Queues a callback waiter (see proc.h); takes wq->lock. */
void wait_queue_add_callback(struct wait_queue *wq, struct waiter *w,
			     void (*func)(struct waiter *w))
{
	uint64_t flags = spin_lock_irqsave(&wq->lock);

	w->task = NULL;
	w->func = func;
	w->queue = wq;
	list_add_tail(&w->link, &wq->waiters);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Unqueues a waiter (when queued) under its queue's lock, so no wake_up still
 * reaches it: a callback waiter's func, or finish_wait's task. */
void wait_queue_remove(struct waiter *w)
{
	uint64_t flags;

	if (!w->queue)
		return;
	flags = spin_lock_irqsave(&w->queue->lock);
	list_del(&w->link);
	spin_unlock_irqrestore(&w->queue->lock, flags);
	w->queue = NULL;
}
