// SPDX-License-Identifier: MIT
/*
 * The kernel's C string and memory functions. The compiler may emit calls
 * to memcpy, memmove, memset and memcmp by itself, so these exist even
 * where no source calls them. Byte loops with rep-string fast paths: the
 * kernel copies little, and clarity wins.
 */
#include <xcall/string.h>

/**
 * memcpy() - copy memory that does not overlap
 * @dst: where to copy to
 * @src: where to copy from
 * @n: how many bytes
 *
 * Context: any.
 * Return: @dst.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;

	__asm__ __volatile__("rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	return ret;
}

/**
 * memmove() - copy memory that may overlap
 * @dst: where to copy to
 * @src: where to copy from
 * @n: how many bytes
 *
 * Context: any.
 * Return: @dst.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlap with the destination above: copy from the end. */
	while (n--)
		d[n] = s[n];
	return dst;
}

/**
 * memset() - fill memory with a byte
 * @dst: the memory
 * @c: the byte, converted to unsigned char
 * @n: how many bytes
 *
 * Context: any.
 * Return: @dst.
 */
void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;

	__asm__ __volatile__("rep stosb"
			     : "+D"(dst), "+c"(n) : "a"(c) : "memory");
	return ret;
}

/**
 * memcmp() - compare memory
 * @a: one block
 * @b: the other
 * @n: how many bytes
 *
 * Context: any.
 * Return: 0 when equal, else the difference of the first bytes that
 * differ, as unsigned char: negative when @a's is lower.
 */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/**
 * strlen() - the length of a string
 * @s: the string
 *
 * Context: any.
 * Return: the number of bytes before the terminating NUL.
 */
size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/**
 * strnlen() - the length of a string, reading at most @max bytes
 * @s: the string
 * @max: the most bytes to read
 *
 * Context: any.
 * Return: the number of bytes before the terminating NUL, or @max when
 * none of the first @max is one.
 */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/**
 * strcmp() - compare two strings
 * @a: one string
 * @b: the other
 *
 * Context: any.
 * Return: 0 when equal, else the difference of the first bytes that
 * differ, as unsigned char: negative when @a sorts first.
 */
int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/**
 * strncmp() - compare at most @n bytes of two strings
 * @a: one string
 * @b: the other
 * @n: the most bytes to compare
 *
 * Context: any.
 * Return: as strcmp(), over the first @n bytes or up to a NUL.
 */
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

/**
 * strchr() - find a byte in a string
 * @s: the string
 * @c: the byte, converted to char; '\0' finds the terminator
 *
 * Context: any.
 * Return: a pointer to the first @c in @s, or NULL when there is none.
 */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
