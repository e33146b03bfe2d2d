/* SPDX-License-Identifier: MIT */
/*
 * The format engine behind printk and every string the kernel builds
 * (lib/vsprintf.c). Freestanding, no state; the host tests build it too.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, the flags '-' '0' '+' ' ',
 * a width (a number or '*'), a precision for %s and the integer
 * conversions (a number or '*'), and the length modifiers hh h l ll z t j.
 * %p prints "0x" and 16 hex digits, or "(null)" for NULL; %s of NULL
 * prints "(null)" (a precision cuts it like any string). An unknown
 * conversion, or a length modifier on %c %s %p %%, is copied through as
 * written, so a bad format string shows up in the output instead of being
 * eaten. No '#' flag, no floating point.
 *
 * Widths and precisions are clamped to FORMAT_MAX_FIELD: nothing the kernel
 * prints is wider, and a garbage '*' argument must not make one printk
 * (often with interrupts off) emit two billion spaces.
 */
#ifndef XCALL_FORMAT_H
#define XCALL_FORMAT_H

#include <xcall/compiler.h>
#include <xcall/types.h>

/* The largest width or precision honoured; larger ones are clamped. */
#define FORMAT_MAX_FIELD	4096

/**
 * vsnprintf() - format a string into a buffer
 * @buf: destination, may be NULL when @size is 0
 * @size: size of @buf in bytes, the terminating NUL included
 * @fmt: format string
 * @ap: the arguments
 *
 * Context: any; reentrant, takes no lock.
 * Return: the number of characters the full result has, not counting the
 * NUL, whether or not it fit (C99 semantics), saturated at INT_MAX. @buf
 * is always terminated when @size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/**
 * snprintf() - vsnprintf() with variadic arguments
 * @buf: destination, may be NULL when @size is 0
 * @size: size of @buf in bytes, the terminating NUL included
 * @fmt: format string
 * @...: the arguments
 *
 * Context: any; reentrant, takes no lock.
 * Return: as vsnprintf(): the length of the full result.
 */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/**
 * scnprintf() - like snprintf(), but returns what was really written
 * @buf: destination, may be NULL when @size is 0
 * @size: size of @buf in bytes, the terminating NUL included
 * @fmt: format string
 * @...: the arguments
 *
 * Lets a caller append piece by piece (pos += scnprintf(buf + pos, size -
 * pos, ...)) without ever stepping past the buffer.
 *
 * Context: any; reentrant, takes no lock.
 * Return: the number of characters written to @buf, not counting the NUL;
 * 0 when @size is 0.
 */
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* XCALL_FORMAT_H */
