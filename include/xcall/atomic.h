/* SPDX-License-Identifier: MIT */
/*
 * Memory ordering and atomic read-modify-write, on the compiler's __atomic
 * builtins so the same code runs in the kernel and, under ThreadSanitizer,
 * on the host.
 *
 * On x86-64 (TSO) a plain load already has acquire and a plain store
 * release semantics at the CPU level; smp_load_acquire/smp_store_release
 * then cost nothing beyond forbidding the compiler to reorder. Every locked
 * read-modify-write is a full barrier. smp_mb() is the one ordering that
 * costs an instruction: store -> load.
 */
#ifndef XCALL_ATOMIC_H
#define XCALL_ATOMIC_H

#include <xcall/compiler.h>

#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)

#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Relaxed atomic access for counters read by other CPUs. */
#define atomic_read(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_set(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)

/* Fully ordered read-modify-write; they return the new value (_return)
 * or the old one (fetch_). */
#define atomic_add_return(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_fetch_add(p, v)	__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define atomic_inc(p)		((void)__atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST))
#define atomic_dec(p)		((void)__atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST))
#define atomic_fetch_or(p, v)	__atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST)
#define atomic_fetch_and(p, v)	__atomic_fetch_and((p), (v), __ATOMIC_SEQ_CST)
#define xchg(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

/*
 * try_cmpxchg() - if *@p equals *@old, store @new and return true; else
 * load *@p into *@old and return false. Fully ordered either way.
 */
#define try_cmpxchg(p, old, new) \
	__atomic_compare_exchange_n((p), (old), (new), false, \
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#endif /* XCALL_ATOMIC_H */
