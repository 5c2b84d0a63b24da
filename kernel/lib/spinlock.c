/* spinlock.c — ticket locks (see spinlock.h). */
#include "lib/spinlock.h"
#include "lib/log.h"
#include "arch/x86_64/arch.h"

void spin_init(spinlock_t *lock, const char *name)
{
	*lock = (spinlock_t)SPINLOCK_INIT(name);
}

void spin_lock(spinlock_t *lock)
{
	uint32_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
	lock->cpu = cpu_id();
}

void spin_unlock(spinlock_t *lock)
{
	lock->cpu = -1;
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
}

uint64_t spin_lock_irqsave(spinlock_t *lock)
{
	uint64_t flags = irq_save();

	spin_lock(lock);
	return flags;
}

void spin_unlock_irqrestore(spinlock_t *lock, uint64_t flags)
{
	spin_unlock(lock);
	irq_restore(flags);
}

bool spin_trylock_irqsave(spinlock_t *lock, uint64_t *flags)
{
	uint32_t ticket = __atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE);

	*flags = irq_save();
	if (!__atomic_compare_exchange_n(&lock->next, &ticket, ticket + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		irq_restore(*flags);
		return false;
	}
	lock->cpu = cpu_id();
	return true;
}

bool spin_is_held(spinlock_t *lock)
{
	return lock->next != lock->owner && lock->cpu == cpu_id();
}
