/* SPDX-License-Identifier: MIT */
/*
 * Command-line tokens and numbers (lib/cmdline.c): the part of option
 * parsing that knows nothing of the kernel, tested on the host.
 */
#ifndef XCALL_CMDLINE_H
#define XCALL_CMDLINE_H

#include <xcall/types.h>

struct cmdline_token {
	const char *key;	/* not NUL-terminated */
	size_t key_len;
	const char *value;	/* after '=', or NULL when there is no '=' */
	size_t value_len;
};

/**
 * cmdline_next() - take the next whitespace-separated token
 * @pos: in: where to start; out: just past the token
 * @tok: filled with the token, split at its first '='
 *
 * Context: any; reads the string only.
 * Return: true when a token was found, false at the end of the string.
 */
bool cmdline_next(const char **pos, struct cmdline_token *tok);

/**
 * parse_u64() - read an unsigned number, decimal or 0x-prefixed hex
 * @s: the digits (not NUL-terminated)
 * @len: how many characters
 * @out: the value; written only when 0 is returned
 *
 * The whole of @s must be the number: no sign, no spaces, no suffix.
 *
 * Context: any.
 * Return: 0, -EINVAL for an empty or malformed number, -ERANGE when it
 * does not fit in 64 bits.
 */
int parse_u64(const char *s, size_t len, u64 *out);

#endif /* XCALL_CMDLINE_H */
