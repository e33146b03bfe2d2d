// SPDX-License-Identifier: MIT
/*
 * Splitting a command line into key[=value] tokens and reading numbers.
 * What the options mean is kernel/options.c's business.
 */
#include <xcall/cmdline.h>
#include <xcall/errno.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool cmdline_next(const char **pos, struct cmdline_token *tok)
{
	const char *s = *pos;
	const char *eq = NULL;

	while (*s && is_space(*s))
		s++;
	if (!*s) {
		*pos = s;
		return false;
	}
	tok->key = s;
	while (*s && !is_space(*s)) {
		if (*s == '=' && !eq)
			eq = s;
		s++;
	}
	if (eq) {
		tok->key_len = (size_t)(eq - tok->key);
		tok->value = eq + 1;
		tok->value_len = (size_t)(s - tok->value);
	} else {
		tok->key_len = (size_t)(s - tok->key);
		tok->value = NULL;
		tok->value_len = 0;
	}
	*pos = s;
	return true;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_u64(const char *s, size_t len, u64 *out)
{
	unsigned int base = 10;
	u64 v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int d = digit_value(s[i]);

		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - (u64)d) / base)
			return -ERANGE;
		v = v * base + (u64)d;
	}
	*out = v;
	return 0;
}
