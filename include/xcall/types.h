/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width types shared by the kernel and the host builds of lib/.
 *
 * Only the compiler's freestanding headers are used, so the same file serves
 * the kernel (-ffreestanding) and the host unit tests (hosted libc).
 */
#ifndef XCALL_TYPES_H
#define XCALL_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* A physical address. The kernel identity-maps memory, but keeping the
 * type apart says which side of a mapping a value lives on. */
typedef u64 phys_addr_t;

#endif /* XCALL_TYPES_H */
