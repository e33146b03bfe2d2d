/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own symbol table (kernel/ksyms.c, generated at link time by
 * tools/ksyms.py): names for code addresses in backtraces and reports.
 */
#ifndef XCALL_KSYMS_H
#define XCALL_KSYMS_H

#include <xcall/types.h>

/**
 * ksym_lookup() - the function holding a code address
 * @addr: the address
 * @offset: set to @addr minus the function's start
 *
 * Context: any; reads only the read-only table.
 * Return: the name, or NULL when @addr is not in the kernel's text.
 */
const char *ksym_lookup(unsigned long addr, unsigned long *offset);

/**
 * ksym_format() - "name+0xoff" for an address, or the bare hex address
 * @buf: destination
 * @size: its size
 * @addr: the address
 *
 * Context: any; reads only the read-only table.
 * Return: @buf, NUL-terminated and cut to @size.
 */
char *ksym_format(char *buf, size_t size, unsigned long addr);

/* Enough for any name the kernel has, plus an offset. */
#define KSYM_NAME_MAX	128

#endif /* XCALL_KSYMS_H */
