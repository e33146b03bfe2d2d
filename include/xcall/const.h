/* SPDX-License-Identifier: MIT */
/*
 * Constants that both C and assembly include. C wants a suffix on a
 * constant wider than int (1ul << 63); the assembler refuses one. _AC()
 * adds the suffix in C only, as Linux's include/uapi/linux/const.h does.
 */
#ifndef XCALL_CONST_H
#define XCALL_CONST_H

#ifdef __ASSEMBLY__
#define _AC(x, suffix)		x
#else
#define __AC(x, suffix)		(x##suffix)
#define _AC(x, suffix)		__AC(x, suffix)
#endif

#define _BITU(n)		(_AC(1, U) << (n))
#define _BITUL(n)		(_AC(1, UL) << (n))
#define _BITULL(n)		(_AC(1, ULL) << (n))

#endif /* XCALL_CONST_H */
