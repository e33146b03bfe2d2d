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

/**
 * spin_trylock() - take a lock if it is free, without waiting
 * @lock: the lock
 *
 * Context: any; interrupts as the caller has them (a lock also taken by
 * an interrupt handler must be taken with interrupts off).
 * Return: true when the lock is now held by the caller.
 */
static inline bool spin_trylock(spinlock_t *lock)
{
	unsigned int unlocked = 0;

	/* Acquire pairs with the release in spin_unlock(). */
	return __atomic_compare_exchange_n(&lock->locked, &unlocked, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/**
 * spin_lock() - take a lock, spinning until it is free
 * @lock: the lock; not held by this CPU already (no recursion)
 *
 * The wait has no bound of its own: critical sections are short.
 *
 * Context: as spin_trylock().
 */
static inline void spin_lock(spinlock_t *lock)
{
	while (!spin_trylock(lock)) {
		/* Wait on a plain read, so the line stays shared. */
		while (READ_ONCE(lock->locked))
			cpu_relax();
	}
}

/**
 * spin_unlock() - release a lock
 * @lock: the lock, held by the caller
 *
 * Context: the CPU that took @lock.
 */
static inline void spin_unlock(spinlock_t *lock)
{
	smp_store_release(&lock->locked, 0);
}

/**
 * spin_lock_irqsave() - turn interrupts off, then take a lock
 * @lock: the lock
 * @flags: an unsigned long that receives the interrupt state, to hand to
 *         spin_unlock_irqrestore() (Linux's spelling: a macro assigns it,
 *         as local_irq_save() does)
 *
 * For a lock also taken where interrupts are off or in an interrupt
 * handler: holding it with interrupts on would let a handler on the same
 * CPU spin on it forever.
 *
 * Context: any.
 */
#define spin_lock_irqsave(lock, flags)	do {				\
	local_irq_save(flags);						\
	spin_lock(lock);						\
} while (0)

/**
 * spin_unlock_irqrestore() - release a lock, then restore interrupts
 * @lock: the lock, held by the caller
 * @flags: what spin_lock_irqsave() saved
 *
 * Context: the CPU that took @lock with spin_lock_irqsave().
 */
static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}

#endif /* XCALL_SPINLOCK_H */
