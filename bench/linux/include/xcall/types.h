/* SPDX-License-Identifier: MIT */
/*
 * xcall's <xcall/types.h> for lib/stats.c built inside a Linux module
 * (bench/linux/): the same names, from Linux's own header. The kernel's
 * version of this file includes the compiler's freestanding headers,
 * which a Linux module must not.
 */
#ifndef XCALL_TYPES_H
#define XCALL_TYPES_H

#include <linux/types.h>

#endif /* XCALL_TYPES_H */
