/* SPDX-License-Identifier: MIT */
/*
 * Compiler attributes and the access helpers that keep the compiler from
 * tearing, fusing or reordering a shared access.
 *
 * CPU-level ordering (barriers, acquire/release) is in xcall/atomic.h.
 */
#ifndef XCALL_COMPILER_H
#define XCALL_COMPILER_H

#include <xcall/types.h>

#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#define __section(s)		__attribute__((section(s)))
#define __used			__attribute__((used))
#define __unused		__attribute__((unused))
#define __noreturn		__attribute__((noreturn))
#define __noinline		__attribute__((noinline))
#ifndef __always_inline	/* glibc has its own on the host */
#define __always_inline		inline __attribute__((always_inline))
#endif
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __weak			__attribute__((weak))
#define __maybe_unused		__attribute__((unused))

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/* The cache line size of every x86-64 processor xcall targets. */
#define SMP_CACHE_BYTES		64
#define ____cacheline_aligned	__aligned(SMP_CACHE_BYTES)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define barrier()		__asm__ __volatile__("" ::: "memory")

/*
 * READ_ONCE/WRITE_ONCE: one access of the natural size, never split, merged
 * or elided. They order nothing at the CPU level.
 */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))

/* A pointer to a fixed low address (the BIOS data area) that the compiler
 * must not reason about: GCC takes small constants for NULL offsets. */
#define absolute_pointer(addr) ({					\
	unsigned long __p = (unsigned long)(addr);			\
	__asm__("" : "+r"(__p));					\
	(void *)__p;							\
})

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#endif /* XCALL_COMPILER_H */
