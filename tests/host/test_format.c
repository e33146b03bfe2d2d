// SPDX-License-Identifier: MIT
/*
 * Host tests for the format engine (lib/vsprintf.c).
 *
 * lib/ is built with its printf family renamed to xc_*, so this file calls
 * xc_snprintf and can hold the C library's snprintf next to it as the
 * reference. Where xcall differs from C on purpose (%p, "(null)", unknown
 * conversions, the FORMAT_MAX_FIELD clamp) the expected text is written
 * out instead.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xcall/format.h>

#include "check.h"

/*
 * Declared without __printf on purpose: these tests feed the engine
 * formats that the compiler would rightly flag (unknown conversions, '+'
 * on %x, widths past INT_MAX).
 */
int xc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int xc_snprintf(char *buf, size_t size, const char *fmt, ...);
int xc_scnprintf(char *buf, size_t size, const char *fmt, ...);

/* Big enough for every expected string in this file. */
#define OUT_SIZE	256
/* Fills unwritten bytes, so a write past the terminator shows. */
#define CANARY		0x5a

/*
 * Format into a fresh buffer and compare with @want, and the return value
 * with strlen(@want).
 */
static void expect(struct ktest *t, int line, const char *want,
		   const char *fmt, ...)
{
	char out[OUT_SIZE];
	va_list ap;
	int n;

	memset(out, CANARY, sizeof(out));
	va_start(ap, fmt);
	n = xc_vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	if (!KTEST_EXPECT_STREQ(t, out, want) ||
	    !KTEST_EXPECT_EQ(t, n, (int)strlen(want)))
		printf("    # from line %d, format \"%s\"\n", line, fmt);
}

#define EXPECT(t, want, ...)	expect((t), __LINE__, (want), __VA_ARGS__)

/* Format with both engines and compare output and return value. */
static bool same_as_libc_v(struct ktest *t, const char *fmt, va_list ap)
{
	char ours[OUT_SIZE], libc[OUT_SIZE];
	va_list ap2;
	int n_ours, n_libc;
	bool ok;

	va_copy(ap2, ap);
	n_ours = xc_vsnprintf(ours, sizeof(ours), fmt, ap);
	n_libc = vsnprintf(libc, sizeof(libc), fmt, ap2);
	va_end(ap2);
	ok = KTEST_EXPECT_STREQ(t, ours, libc);
	ok = KTEST_EXPECT_EQ(t, n_ours, n_libc) && ok;
	if (!ok)
		printf("    # format \"%s\"\n", fmt);
	return ok;
}

static bool same_as_libc(struct ktest *t, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = same_as_libc_v(t, fmt, ap);
	va_end(ap);
	return ok;
}

static void every_conversion_prints_its_argument(struct ktest *t)
{
	EXPECT(t, "42", "%d", 42);
	EXPECT(t, "-42", "%i", -42);
	EXPECT(t, "4294967295", "%u", UINT_MAX);
	EXPECT(t, "deadbeef", "%x", 0xdeadbeefu);
	EXPECT(t, "DEADBEEF", "%X", 0xdeadbeefu);
	EXPECT(t, "755", "%o", 0755u);
	EXPECT(t, "A", "%c", 'A');
	EXPECT(t, "xcall", "%s", "xcall");
	EXPECT(t, "0x00000000deadbeef", "%p", (void *)0xdeadbeefull);
	EXPECT(t, "100%", "100%%");
	EXPECT(t, "", "");
	EXPECT(t, "plain text", "plain text");
	EXPECT(t, "a1b-2cxyzd", "a%db%dc%sd", 1, -2, "xyz");
}

static void zero_pad_respects_width(struct ktest *t)
{
	EXPECT(t, "00042", "%05d", 42);
	EXPECT(t, "-0042", "%05d", -42);
	EXPECT(t, "+0042", "%+05d", 42);
	EXPECT(t, "000ff", "%05x", 0xff);
	EXPECT(t, "12345678", "%05d", 12345678);
	/* A precision turns the '0' flag off (C11 7.21.6.1p6). */
	EXPECT(t, "  007", "%05.3d", 7);
}

static void minus_flag_pads_on_the_right(struct ktest *t)
{
	EXPECT(t, "42   |", "%-5d|", 42);
	EXPECT(t, "ab   |", "%-5s|", "ab");
	EXPECT(t, "x  |", "%-3c|", 'x');
	/* '-' wins over '0'. */
	EXPECT(t, "42   |", "%-05d|", 42);
}

static void plus_and_space_flags_sign_signed_only(struct ktest *t)
{
	EXPECT(t, "+42", "%+d", 42);
	EXPECT(t, " 42", "% d", 42);
	EXPECT(t, "-42", "% d", -42);
	EXPECT(t, "+0", "%+d", 0);
	/* '+' wins over ' '. */
	EXPECT(t, "+42", "%+ d", 42);
	EXPECT(t, "42", "%+u", 42u);
	EXPECT(t, "2a", "% x", 42u);
}

static void width_pads_with_spaces(struct ktest *t)
{
	EXPECT(t, "   42", "%5d", 42);
	EXPECT(t, "  abc", "%5s", "abc");
	EXPECT(t, "    z", "%5c", 'z');
	EXPECT(t, "abcdef", "%3s", "abcdef");
}

static void star_width_and_precision_take_arguments(struct ktest *t)
{
	EXPECT(t, "   42", "%*d", 5, 42);
	/* A negative '*' width means '-' and its magnitude. */
	EXPECT(t, "42   |", "%*d|", -5, 42);
	EXPECT(t, "007", "%.*d", 3, 7);
	/* A negative '*' precision is as if none were given. */
	EXPECT(t, "7", "%.*d", -1, 7);
	EXPECT(t, "  he", "%*.*s", 4, 2, "hello");
	EXPECT(t, "00042", "%0*d", 5, 42);
}

static void precision_sets_minimum_digits(struct ktest *t)
{
	EXPECT(t, "00042", "%.5d", 42);
	EXPECT(t, "-00042", "%.5d", -42);
	EXPECT(t, "   00042", "%8.5d", 42);
	EXPECT(t, "000ff", "%.5x", 0xff);
	EXPECT(t, "42", "%.1d", 42);
	/* A lone '.' is precision 0. */
	EXPECT(t, "5", "%.d", 5);
	EXPECT(t, "", "%.d", 0);
}

static void zero_with_zero_precision_has_no_digits(struct ktest *t)
{
	EXPECT(t, "", "%.0d", 0);
	EXPECT(t, "", "%.0x", 0u);
	EXPECT(t, "   ", "%3.0u", 0u);
	EXPECT(t, "+", "%+.0d", 0);
	EXPECT(t, "0", "%d", 0);
}

static void precision_cuts_strings(struct ktest *t)
{
	/* Not terminated: the engine must stop at the precision. */
	static const char unterminated[3] = { 'a', 'b', 'c' };

	EXPECT(t, "hel", "%.3s", "hello");
	EXPECT(t, "", "%.0s", "hello");
	EXPECT(t, "abc", "%.3s", unterminated);
	EXPECT(t, "  ab", "%4.2s", unterminated);
	EXPECT(t, "hi", "%.10s", "hi");
}

static void length_modifiers_pick_the_argument_type(struct ktest *t)
{
	EXPECT(t, "-1", "%hhd", 255);
	EXPECT(t, "0", "%hhu", 256);
	EXPECT(t, "ff", "%hhx", 0x1ff);
	EXPECT(t, "-1", "%hd", 65535);
	EXPECT(t, "65535", "%hu", -1);
	EXPECT(t, "-9223372036854775807", "%ld", -LONG_MAX);
	EXPECT(t, "18446744073709551615", "%lu", ULONG_MAX);
	EXPECT(t, "123456789abcdef0", "%llx", 0x123456789abcdef0ull);
	EXPECT(t, "18446744073709551615", "%zu", SIZE_MAX);
	EXPECT(t, "-1", "%zd", (size_t)-1);
	EXPECT(t, "-5", "%td", (ptrdiff_t)-5);
	EXPECT(t, "ffffffffffffffff", "%tx", (ptrdiff_t)-1);
	EXPECT(t, "-9223372036854775808", "%jd", INTMAX_MIN);
	EXPECT(t, "18446744073709551615", "%ju", UINTMAX_MAX);
	/* Without a modifier only 32 bits are read. */
	EXPECT(t, "ffffffff", "%x", UINT_MAX);
}

static void int64_extremes_print_exactly(struct ktest *t)
{
	EXPECT(t, "-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT(t, "9223372036854775807", "%lld", (long long)INT64_MAX);
	EXPECT(t, "18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	EXPECT(t, "ffffffffffffffff", "%llx", (unsigned long long)UINT64_MAX);
	EXPECT(t, "FFFFFFFFFFFFFFFF", "%llX", (unsigned long long)UINT64_MAX);
	/* 22 octal digits: the engine's largest digit buffer. */
	EXPECT(t, "1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
	EXPECT(t, "1000000000000000000000", "%llo", (unsigned long long)INT64_MIN);
	EXPECT(t, "-2147483648", "%d", INT_MIN);
	EXPECT(t, "-0009223372036854775808", "%023lld", (long long)INT64_MIN);
}

static void pointer_prints_0x_and_16_digits(struct ktest *t)
{
	EXPECT(t, "0x0000000000000001", "%p", (void *)1);
	EXPECT(t, "0xffffffff80000000", "%p", (void *)0xffffffff80000000ull);
	EXPECT(t, "  0x0000000000001000", "%20p", (void *)0x1000);
	EXPECT(t, "0x0000000000001000  |", "%-20p|", (void *)0x1000);
	/* Cast: NULL may be a plain 0, an int, and %p reads a pointer. */
	EXPECT(t, "(null)", "%p", (void *)NULL);
	EXPECT(t, "  (null)", "%8p", (void *)NULL);
}

static void null_string_prints_null(struct ktest *t)
{
	const char *none = NULL;

	EXPECT(t, "(null)", "%s", none);
	EXPECT(t, "  (null)", "%8s", none);
	EXPECT(t, "(null)  |", "%-8s|", none);
	EXPECT(t, "(nu", "%.3s", none);
}

static void char_prints_any_byte(struct ktest *t)
{
	char out[8];
	int n;

	EXPECT(t, "\xe9", "%c", 0xe9);
	EXPECT(t, "%", "%c", '%');
	/* A NUL character counts and is stored; the terminator follows. */
	memset(out, CANARY, sizeof(out));
	n = xc_snprintf(out, sizeof(out), "a%cb", 0);
	KTEST_EXPECT_EQ(t, n, 3);
	KTEST_EXPECT_MEMEQ(t, out, "a\0b", 4);
}

static void unknown_conversion_is_copied_through(struct ktest *t)
{
	EXPECT(t, "%y", "%y");
	EXPECT(t, "a%5yb", "a%5yb");
	EXPECT(t, "%-08.3q", "%-08.3q");
	/* The arguments of later conversions are still found. */
	EXPECT(t, "%y 7", "%y %d", 7);
	/* '#' is not a supported flag: it shows. */
	EXPECT(t, "%#x", "%#x");
	/* Length modifiers do not apply to %c %s %p %%. */
	EXPECT(t, "%ls", "%ls");
	EXPECT(t, "%hp", "%hp");
	EXPECT(t, "%lll", "%lll");
	EXPECT(t, "%L", "%L");
}

static void trailing_percent_is_copied_and_stops(struct ktest *t)
{
	EXPECT(t, "50%", "50%");
	EXPECT(t, "%5", "%5");
	EXPECT(t, "%-.", "%-.");
	EXPECT(t, "%ll", "%ll");
}

static void truncation_keeps_full_length_return(struct ktest *t)
{
	char out[4];
	int n;

	memset(out, CANARY, sizeof(out));
	n = xc_snprintf(out, sizeof(out), "hello %d", 12345);
	KTEST_EXPECT_EQ(t, n, 11);
	KTEST_EXPECT_STREQ(t, out, "hel");

	memset(out, CANARY, sizeof(out));
	n = xc_snprintf(out, 1, "hello");
	KTEST_EXPECT_EQ(t, n, 5);
	KTEST_EXPECT_EQ(t, out[0], '\0');
	KTEST_EXPECT_EQ(t, (unsigned char)out[1], CANARY);
}

static void size_zero_writes_nothing(struct ktest *t)
{
	char out[4];
	static const char untouched[4] = { CANARY, CANARY, CANARY, CANARY };

	memset(out, CANARY, sizeof(out));
	KTEST_EXPECT_EQ(t, xc_snprintf(out, 0, "hello %s", "world"), 11);
	KTEST_EXPECT_MEMEQ(t, out, untouched, sizeof(out));
	KTEST_EXPECT_EQ(t, xc_snprintf(NULL, 0, "%d", -12345), 6);
	KTEST_EXPECT_EQ(t, xc_snprintf(NULL, 0, ""), 0);
}

static void truncation_matches_libc_at_every_size(struct ktest *t)
{
	static const char fmt[] = "[%-6d|%.3x|%8s|%c|%+05lld]";
	char full[OUT_SIZE];
	int len = snprintf(full, sizeof(full), fmt, -17, 0xabcu, "str", 'q',
			   -99ll);

	for (int size = 0; size <= len + 1; size++) {
		char ours[OUT_SIZE], libc[OUT_SIZE];
		int n_ours, n_libc;

		memset(ours, CANARY, sizeof(ours));
		memset(libc, CANARY, sizeof(libc));
		n_ours = xc_snprintf(ours, size, fmt, -17, 0xabcu, "str", 'q',
				     -99ll);
		n_libc = snprintf(libc, size, fmt, -17, 0xabcu, "str", 'q',
				  -99ll);
		if (!KTEST_EXPECT_EQ(t, n_ours, n_libc) ||
		    !KTEST_EXPECT_MEMEQ(t, ours, libc, sizeof(ours))) {
			printf("    # at size %d\n", size);
			return;
		}
	}
}

static void scnprintf_returns_what_was_written(struct ktest *t)
{
	char out[8];

	KTEST_EXPECT_EQ(t, xc_scnprintf(out, sizeof(out), "%s", "abc"), 3);
	KTEST_EXPECT_STREQ(t, out, "abc");
	KTEST_EXPECT_EQ(t, xc_scnprintf(out, sizeof(out), "%s", "abcdefghij"), 7);
	KTEST_EXPECT_STREQ(t, out, "abcdefg");
	KTEST_EXPECT_EQ(t, xc_scnprintf(out, 1, "abc"), 0);
	KTEST_EXPECT_STREQ(t, out, "");
	KTEST_EXPECT_EQ(t, xc_scnprintf(out, 0, "abc"), 0);
	KTEST_EXPECT_EQ(t, xc_scnprintf(NULL, 0, "abc"), 0);
}

static void scnprintf_appends_without_overrun(struct ktest *t)
{
	enum { SMALL = 10 };
	/* Exactly SMALL bytes on the heap: ASan sees any overrun. */
	char *out = malloc(SMALL);
	size_t pos = 0;

	KTEST_EXPECT_TRUE(t, out != NULL);
	if (!out)
		return;
	for (int i = 0; i < 20; i++)
		pos += xc_scnprintf(out + pos, SMALL - pos, "%d,", i);
	KTEST_EXPECT_EQ(t, pos, SMALL - 1);
	KTEST_EXPECT_STREQ(t, out, "0,1,2,3,4");
	free(out);
}

static void huge_width_is_clamped(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, xc_snprintf(NULL, 0, "%*d", INT_MAX, 1), FORMAT_MAX_FIELD);
	KTEST_EXPECT_EQ(t, xc_snprintf(NULL, 0, "%*d", INT_MIN, 1), FORMAT_MAX_FIELD);
	KTEST_EXPECT_EQ(t, xc_snprintf(NULL, 0, "%99999999999d", 1), FORMAT_MAX_FIELD);
	KTEST_EXPECT_EQ(t, xc_snprintf(NULL, 0, "%.*d", INT_MAX, 1), FORMAT_MAX_FIELD);
	KTEST_EXPECT_EQ(t, xc_snprintf(NULL, 0, "%4096d", 1), FORMAT_MAX_FIELD);
	KTEST_EXPECT_EQ(t, xc_snprintf(NULL, 0, "%4095d", 1), FORMAT_MAX_FIELD - 1);
}

/* One argument type per length modifier, as the table below passes it. */
enum arg_kind { ARG_INT, ARG_LONG, ARG_LLONG, ARG_SIZE, ARG_PTRDIFF, ARG_INTMAX };

static const struct {
	const char *mod;
	enum arg_kind kind;
} lengths[] = {
	{ "", ARG_INT }, { "hh", ARG_INT }, { "h", ARG_INT },
	{ "l", ARG_LONG }, { "ll", ARG_LLONG }, { "z", ARG_SIZE },
	{ "t", ARG_PTRDIFF }, { "j", ARG_INTMAX },
};

static bool same_as_libc_int(struct ktest *t, const char *fmt,
			     enum arg_kind kind, uint64_t v)
{
	switch (kind) {
	case ARG_INT:
		return same_as_libc(t, fmt, (int)v);
	case ARG_LONG:
		return same_as_libc(t, fmt, (long)v);
	case ARG_LLONG:
		return same_as_libc(t, fmt, (long long)v);
	case ARG_SIZE:
		return same_as_libc(t, fmt, (size_t)v);
	case ARG_PTRDIFF:
		return same_as_libc(t, fmt, (ptrdiff_t)v);
	case ARG_INTMAX:
		return same_as_libc(t, fmt, (intmax_t)v);
	}
	return false;
}

/*
 * Every combination of flags, widths, precisions, conversions and length
 * modifiers over values at every type's edges, compared with the C library.
 */
static void integers_match_libc(struct ktest *t)
{
	static const char *const flag_sets[] = {
		"", "-", "0", "+", " ", "-0", "-+", "- ", "0+", "0 ", "+ ",
		"-0+", "-0 ", "-+ ", "0+ ", "-0+ ",
	};
	static const char *const widths[] = { "", "1", "6", "24" };
	static const char *const precisions[] = { "", ".", ".0", ".1", ".5", ".23" };
	static const char convs[] = "diuxXo";
	static const uint64_t values[] = {
		0, 1, (uint64_t)-1, 7, 42, (uint64_t)-42, 127, 128, 255, 256,
		(uint64_t)-128, (uint64_t)-129, 32767, 32768, 65535, 65536,
		INT_MAX, (uint64_t)(int64_t)INT_MIN, UINT_MAX,
		(uint64_t)INT64_MIN, INT64_MAX, UINT64_MAX,
		0x123456789abcdef0ull, 1000000000000ull,
	};
	unsigned int compared = 0;

	for (size_t f = 0; f < ARRAY_SIZE(flag_sets); f++)
	for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
	for (size_t p = 0; p < ARRAY_SIZE(precisions); p++)
	for (size_t c = 0; c < sizeof(convs) - 1; c++)
	for (size_t l = 0; l < ARRAY_SIZE(lengths); l++) {
		char fmt[32];

		snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>", flag_sets[f],
			 widths[w], precisions[p], lengths[l].mod, convs[c]);
		for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
			if (!same_as_libc_int(t, fmt, lengths[l].kind, values[v]))
				return;
			compared++;
		}
	}
	KTEST_EXPECT_TRUE(t, compared > 100000);
}

static void strings_and_chars_match_libc(struct ktest *t)
{
	static const char *const fmts[] = {
		"%s", "%1s", "%10s", "%-10s", "%.0s", "%.3s", "%10.3s",
		"%-10.3s", "%.30s", "[%s]", "%s%s",
	};
	static const char *const strs[] = {
		"", "a", "hello", "hello, world, long enough to pad nothing",
	};
	static const char *const char_fmts[] = { "%c", "%1c", "%5c", "%-5c", "x%cy" };
	static const int chars[] = { 'A', ' ', '~', 0x7f, 0xff };

	for (size_t f = 0; f < ARRAY_SIZE(fmts); f++)
		for (size_t s = 0; s < ARRAY_SIZE(strs); s++)
			if (!same_as_libc(t, fmts[f], strs[s], strs[s]))
				return;
	for (size_t f = 0; f < ARRAY_SIZE(char_fmts); f++)
		for (size_t c = 0; c < ARRAY_SIZE(chars); c++)
			if (!same_as_libc(t, char_fmts[f], chars[c]))
				return;
	same_as_libc(t, "%*s|%-*s|%.*s", 6, "ab", 6, "cd", 2, "efgh");
	same_as_libc(t, "%*d|%*d", -4, 1, 4, -1);
	same_as_libc(t, "%.*d|%.*u", -3, 5, 0, 0u);
	same_as_libc(t, "%%|%%%d|100%%", 3);
	same_as_libc(t, "no conversions at all");
	same_as_libc(t, "%d%i%u%x%X%o%c%s", -1, -2, 3u, 0xau, 0xbu, 8u, 'z', "end");
}

static const struct ktest_case cases[] = {
	KTEST_CASE(every_conversion_prints_its_argument),
	KTEST_CASE(zero_pad_respects_width),
	KTEST_CASE(minus_flag_pads_on_the_right),
	KTEST_CASE(plus_and_space_flags_sign_signed_only),
	KTEST_CASE(width_pads_with_spaces),
	KTEST_CASE(star_width_and_precision_take_arguments),
	KTEST_CASE(precision_sets_minimum_digits),
	KTEST_CASE(zero_with_zero_precision_has_no_digits),
	KTEST_CASE(precision_cuts_strings),
	KTEST_CASE(length_modifiers_pick_the_argument_type),
	KTEST_CASE(int64_extremes_print_exactly),
	KTEST_CASE(pointer_prints_0x_and_16_digits),
	KTEST_CASE(null_string_prints_null),
	KTEST_CASE(char_prints_any_byte),
	KTEST_CASE(unknown_conversion_is_copied_through),
	KTEST_CASE(trailing_percent_is_copied_and_stops),
	KTEST_CASE(truncation_keeps_full_length_return),
	KTEST_CASE(size_zero_writes_nothing),
	KTEST_CASE(truncation_matches_libc_at_every_size),
	KTEST_CASE(scnprintf_returns_what_was_written),
	KTEST_CASE(scnprintf_appends_without_overrun),
	KTEST_CASE(huge_width_is_clamped),
	KTEST_CASE(integers_match_libc),
	KTEST_CASE(strings_and_chars_match_libc),
};

int main(void)
{
	return host_main("format", cases, ARRAY_SIZE(cases));
}
