/* SPDX-License-Identifier: MIT */
/*
 * A test-and-test-and-set spinlock with the interrupt-saving variants.
 * Short critical sections only (console output, allocator, bring-up
 * bookkeeping); the cross-CPU call path takes no lock at all.
 */
#ifndef XCALL_SPINLOCK_H
#define XCALL_SPINLOCK_H

#include <xcall/atomic.h>
#include <xcall/irqflags.h>

typedef struct {
	unsigned int locked;
} spinlock_t;

#define SPINLOCK_INIT	{ 0 }

static inline bool spin_trylock(spinlock_t *lock)
{
	unsigned int unlocked = 0;

	/* Acquire pairs with the release in spin_unlock(). */
	return __atomic_compare_exchange_n(&lock->locked, &unlocked, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_lock(spinlock_t *lock)
{
	while (!spin_trylock(lock)) {
		/* Wait on a plain read, so the line stays shared. */
		while (READ_ONCE(lock->locked))
			cpu_relax();
	}
}

static inline void spin_unlock(spinlock_t *lock)
{
	smp_store_release(&lock->locked, 0);
}

/* Linux's spelling: @flags is assigned, as local_irq_save() assigns it. */
#define spin_lock_irqsave(lock, flags)	do {				\
	local_irq_save(flags);						\
	spin_lock(lock);						\
} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}

#endif /* XCALL_SPINLOCK_H */
