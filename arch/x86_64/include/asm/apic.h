/* SPDX-License-Identifier: MIT */
#ifndef ASM_APIC_H
#define ASM_APIC_H
#include <xcall/types.h>
void apic_eoi(void);
#endif
