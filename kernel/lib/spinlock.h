/*
 * spinlock.h — ticket spinlocks that hold on several CPUs.
 *
 * spin_lock_irqsave() is the default: it also keeps this CPU's interrupts off, so an
 * interrupt handler taking the same lock cannot deadlock against the holder.
 * assert_held() documents and checks a function's locking contract.
 */
#ifndef LUMEN_SPINLOCK_H
#define LUMEN_SPINLOCK_H

#include "lib/lib.h"

typedef struct spinlock {
	volatile uint32_t next;		/* ticket handed to the next locker */
	volatile uint32_t owner;	/* ticket now holding the lock */
	int cpu;			/* holder's CPU id, -1 when free (for assert_held) */
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(n) { 0, 0, -1, n }

void spin_init(spinlock_t *lock, const char *name);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
/* Disables interrupts, takes the lock and returns the previous interrupt state. */
uint64_t spin_lock_irqsave(spinlock_t *lock);
void spin_unlock_irqrestore(spinlock_t *lock, uint64_t flags);
/* Takes the lock with interrupts off only when it is free at once (for code that
 * may run under arbitrary locks, like the page cache's shrinker); true then, with
 * *flags for spin_unlock_irqrestore. */
bool spin_trylock_irqsave(spinlock_t *lock, uint64_t *flags);
bool spin_is_held(spinlock_t *lock);

#define assert_held(lock) \
	do { if (!spin_is_held(lock)) panic("%s: lock %s not held", __func__, (lock)->name); } while (0)

#endif
