/* SPDX-License-Identifier: MIT */
/*
 * The C string and memory functions. lib/string.c implements and documents
 * them for the kernel; host builds of lib/ get the C library's, whose
 * prototypes match.
 */
#ifndef XCALL_STRING_H
#define XCALL_STRING_H

#include <xcall/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif /* XCALL_STRING_H */
