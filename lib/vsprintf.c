// SPDX-License-Identifier: MIT
/*
 * The format engine: vsnprintf() and its two wrappers (see
 * include/xcall/format.h for the conversions it knows).
 *
 * It owns parsing a conversion specification and turning one argument into
 * characters. It leaves where the characters go to the caller (printk's
 * ring, a stack buffer) and keeps no state between calls, so any CPU may
 * format at any time, in an interrupt handler included. No floating point
 * (the kernel runs with the FPU off) and no division wider than 64 bits (it
 * would pull in libgcc).
 */

#include <xcall/compiler.h>
#include <xcall/format.h>

/*
 * FORMAT_MAX_FIELD (format.h) bounds every width and precision, which also
 * keeps each field's count far below INT_MAX in the int arithmetic here.
 */
/* The most digits a u64 needs: 22 in octal (ceil(64 / 3)). */
#define FORMAT_MAX_DIGITS	22

/* What %p prints: "0x" and every nibble of a 64-bit pointer. */
#define FORMAT_PTR_NIBBLES	16

#define FORMAT_NULL_STR		"(null)"

BUILD_BUG_ON(sizeof(void *) * 2 != FORMAT_PTR_NIBBLES);
/* %zd reads a size_t and reinterprets it as the signed type of its width. */
BUILD_BUG_ON(sizeof(ptrdiff_t) != sizeof(size_t));

/* Where characters go. @len counts every character, stored or not. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

enum fmt_length {
	FMT_LEN_NONE,
	FMT_LEN_HH,
	FMT_LEN_H,
	FMT_LEN_L,
	FMT_LEN_LL,
	FMT_LEN_Z,
	FMT_LEN_T,
	FMT_LEN_J,
};

#define FMT_LEFT	(1u << 0)	/* '-': pad on the right */
#define FMT_ZERO	(1u << 1)	/* '0': pad numbers with zeros */
#define FMT_PLUS	(1u << 2)	/* '+': always print a sign */
#define FMT_SPACE	(1u << 3)	/* ' ': a space where '+' would go */

/* One parsed conversion specification. @precision < 0 means none given. */
struct fmt_spec {
	unsigned int flags;
	int width;
	int precision;
	enum fmt_length length;
};

static void out_char(struct fmt_out *o, char c)
{
	/* Keep the last byte of the buffer for the terminator. */
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* Write @n bytes of @s, padded to the spec's width (never with zeros). */
static void out_padded(struct fmt_out *o, const char *s, size_t n,
		       const struct fmt_spec *spec)
{
	int pad = spec->width > (int)n ? spec->width - (int)n : 0;

	if (!(spec->flags & FMT_LEFT))
		out_repeat(o, ' ', pad);
	while (n--)
		out_char(o, *s++);
	if (spec->flags & FMT_LEFT)
		out_repeat(o, ' ', pad);
}

/*
 * Lay out a number the C way: [spaces][sign][zeros][digits][spaces].
 * Precision is the minimum digit count and turns the '0' flag off; a zero
 * value with precision 0 has no digits at all.
 */
static void out_number(struct fmt_out *o, u64 mag, char sign,
		       unsigned int base, bool upper,
		       const struct fmt_spec *spec)
{
	const char *digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[FORMAT_MAX_DIGITS];
	int nr_digits = 0, zeros, total, pad;

	if (mag != 0 || spec->precision != 0) {
		do {
			digits[nr_digits++] = digit_chars[mag % base];
			mag /= base;
		} while (mag);
	}

	zeros = spec->precision > nr_digits ? spec->precision - nr_digits : 0;
	total = (sign ? 1 : 0) + zeros + nr_digits;
	pad = spec->width > total ? spec->width - total : 0;
	if ((spec->flags & FMT_ZERO) && !(spec->flags & FMT_LEFT) &&
	    spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(spec->flags & FMT_LEFT))
		out_repeat(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	out_repeat(o, '0', zeros);
	while (nr_digits)
		out_char(o, digits[--nr_digits]);
	if (spec->flags & FMT_LEFT)
		out_repeat(o, ' ', pad);
}

/*
 * Fetch a signed argument of the size the length modifier names. Types
 * narrower than int arrive promoted to int (C11 6.5.2.2p6), so they are
 * read as int and truncated back.
 */
static s64 fetch_signed(va_list *ap, enum fmt_length length)
{
	switch (length) {
	case FMT_LEN_HH:
		return (signed char)va_arg(*ap, int);
	case FMT_LEN_H:
		return (short)va_arg(*ap, int);
	case FMT_LEN_L:
		return va_arg(*ap, long);
	case FMT_LEN_LL:
		return va_arg(*ap, long long);
	case FMT_LEN_Z:
		return (ptrdiff_t)va_arg(*ap, size_t);
	case FMT_LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J:
		return va_arg(*ap, intmax_t);
	case FMT_LEN_NONE:
		break;
	}
	return va_arg(*ap, int);
}

static u64 fetch_unsigned(va_list *ap, enum fmt_length length)
{
	switch (length) {
	case FMT_LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case FMT_LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case FMT_LEN_L:
		return va_arg(*ap, unsigned long);
	case FMT_LEN_LL:
		return va_arg(*ap, unsigned long long);
	case FMT_LEN_Z:
		return va_arg(*ap, size_t);
	case FMT_LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J:
		return va_arg(*ap, uintmax_t);
	case FMT_LEN_NONE:
		break;
	}
	return va_arg(*ap, unsigned int);
}

static void format_signed(struct fmt_out *o, va_list *ap,
			  const struct fmt_spec *spec)
{
	s64 v = fetch_signed(ap, spec->length);
	char sign = 0;
	u64 mag;

	if (v < 0) {
		sign = '-';
		/* Negate in unsigned arithmetic: -INT64_MIN overflows s64. */
		mag = 0 - (u64)v;
	} else {
		mag = (u64)v;
		if (spec->flags & FMT_PLUS)
			sign = '+';
		else if (spec->flags & FMT_SPACE)
			sign = ' ';
	}
	out_number(o, mag, sign, 10, false, spec);
}

static void format_string(struct fmt_out *o, const char *s,
			  const struct fmt_spec *spec)
{
	size_t n = 0;

	if (!s)
		s = FORMAT_NULL_STR;
	/*
	 * With a precision, the string need not be terminated (C11
	 * 7.21.6.1p8): never look past precision bytes.
	 */
	if (spec->precision >= 0) {
		while (n < (size_t)spec->precision && s[n])
			n++;
	} else {
		while (s[n])
			n++;
	}
	out_padded(o, s, n, spec);
}

static void format_pointer(struct fmt_out *o, const void *p,
			   const struct fmt_spec *spec)
{
	char text[2 + FORMAT_PTR_NIBBLES];
	uintptr_t v = (uintptr_t)p;
	int i;

	if (!p) {
		format_string(o, NULL, &(struct fmt_spec){
			.flags = spec->flags, .width = spec->width,
			.precision = -1 });
		return;
	}
	text[0] = '0';
	text[1] = 'x';
	for (i = FORMAT_PTR_NIBBLES - 1; i >= 0; i--) {
		text[2 + i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	}
	out_padded(o, text, sizeof(text), spec);
}

/* Read a decimal field, saturating at FORMAT_MAX_FIELD. */
static int parse_field(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (v < FORMAT_MAX_FIELD)
			v = v * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return v < FORMAT_MAX_FIELD ? v : FORMAT_MAX_FIELD;
}

static unsigned int parse_flags(const char **fmt)
{
	unsigned int flags = 0;

	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-':
			flags |= FMT_LEFT;
			break;
		case '0':
			flags |= FMT_ZERO;
			break;
		case '+':
			flags |= FMT_PLUS;
			break;
		case ' ':
			flags |= FMT_SPACE;
			break;
		default:
			return flags;
		}
	}
}

static enum fmt_length parse_length(const char **fmt)
{
	const char *f = *fmt;
	enum fmt_length length = FMT_LEN_NONE;

	switch (*f) {
	case 'h':
		length = f[1] == 'h' ? FMT_LEN_HH : FMT_LEN_H;
		break;
	case 'l':
		length = f[1] == 'l' ? FMT_LEN_LL : FMT_LEN_L;
		break;
	case 'z':
		length = FMT_LEN_Z;
		break;
	case 't':
		length = FMT_LEN_T;
		break;
	case 'j':
		length = FMT_LEN_J;
		break;
	default:
		return FMT_LEN_NONE;
	}
	*fmt += (length == FMT_LEN_HH || length == FMT_LEN_LL) ? 2 : 1;
	return length;
}

/*
 * Parse the specification after a '%' and emit the conversion. Returns
 * false when the conversion character is not one we know; the caller then
 * copies the specification through as written. *fmt is left on the
 * conversion character (or the terminating NUL).
 */
static bool format_one(struct fmt_out *o, const char **fmt, va_list *ap)
{
	struct fmt_spec spec = { .precision = -1 };
	unsigned int base = 10;
	bool upper = false;

	spec.flags = parse_flags(fmt);

	if (**fmt == '*') {
		int w = va_arg(*ap, int);

		(*fmt)++;
		/* A negative '*' width is the '-' flag and its magnitude. */
		if (w < 0) {
			spec.flags |= FMT_LEFT;
			w = w < -FORMAT_MAX_FIELD ? FORMAT_MAX_FIELD : -w;
		}
		spec.width = w < FORMAT_MAX_FIELD ? w : FORMAT_MAX_FIELD;
	} else {
		spec.width = parse_field(fmt);
	}

	if (**fmt == '.') {
		(*fmt)++;
		if (**fmt == '*') {
			int p = va_arg(*ap, int);

			(*fmt)++;
			/* A negative '*' precision is taken as omitted. */
			spec.precision = p < 0 ? -1 :
					 p < FORMAT_MAX_FIELD ? p : FORMAT_MAX_FIELD;
		} else {
			spec.precision = parse_field(fmt);
		}
	}

	spec.length = parse_length(fmt);

	switch (**fmt) {
	case 'd':
	case 'i':
		format_signed(o, ap, &spec);
		return true;
	case 'X':
		upper = true;
		/* fall through */
	case 'x':
		base = 16;
		break;
	case 'o':
		base = 8;
		break;
	case 'u':
		break;
	case 'c':
	case 's':
	case 'p':
	case '%':
		/* No length modifier applies to these (%lc and %ls are wide). */
		if (spec.length != FMT_LEN_NONE)
			return false;
		if (**fmt == 'c') {
			char c = (char)va_arg(*ap, int);

			out_padded(o, &c, 1, &spec);
		} else if (**fmt == 's') {
			format_string(o, va_arg(*ap, const char *), &spec);
		} else if (**fmt == 'p') {
			format_pointer(o, va_arg(*ap, const void *), &spec);
		} else {
			out_char(o, '%');
		}
		return true;
	default:
		return false;
	}

	/* '+' and ' ' are for signed conversions only (C11 7.21.6.1p6). */
	spec.flags &= ~(FMT_PLUS | FMT_SPACE);
	out_number(o, fetch_unsigned(ap, spec.length), 0, base, upper, &spec);
	return true;
}

/**
 * vsnprintf() - format a string into a buffer
 * @buf: destination, may be NULL when @size is 0
 * @size: size of @buf in bytes, the terminating NUL included
 * @fmt: format string
 * @ap: the arguments
 *
 * Widths and precisions above FORMAT_MAX_FIELD are clamped to it. A
 * precision applies to "(null)" like to any string. @ap is copied, not
 * consumed.
 *
 * Context: any; reentrant, takes no lock, keeps no state.
 * Return: the number of characters the full result has, not counting the
 * NUL, whether or not it fit (C99 semantics), saturated at INT_MAX.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = buf ? size : 0 };
	va_list args;

	/* va_list is an array type on x86-64: copy it to pass it by pointer. */
	va_copy(args, ap);
	while (*fmt) {
		const char *spec_start = fmt;

		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		if (format_one(&o, &fmt, &args)) {
			fmt++;
			continue;
		}
		/* Unknown: copy it through, conversion character included. */
		if (*fmt)
			fmt++;
		while (spec_start < fmt)
			out_char(&o, *spec_start++);
	}
	va_end(args);

	if (o.size)
		o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
	return o.len < (size_t)__INT_MAX__ ? (int)o.len : __INT_MAX__;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (!buf || size == 0 || n <= 0)
		return 0;
	return (size_t)n < size ? n : (int)(size - 1);
}
