// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/cmdline.c: splitting the command line into
 * key[=value] words, and reading numbers strictly.
 */
#include <errno.h>
#include <string.h>

#include <xcall/cmdline.h>

#include "check.h"

static bool tok_is(const struct cmdline_token *t, const char *key, const char *value)
{
	if (t->key_len != strlen(key) || strncmp(t->key, key, t->key_len))
		return false;
	if (!value)
		return t->value == NULL;
	return t->value && t->value_len == strlen(value) &&
	       !strncmp(t->value, value, t->value_len);
}

static void words_split_at_whitespace(struct ktest *t)
{
	const char *pos = "  selftest\tloglevel=3 \n idle=poll  ";
	struct cmdline_token tok;

	KTEST_EXPECT_TRUE(t, cmdline_next(&pos, &tok) && tok_is(&tok, "selftest", NULL));
	KTEST_EXPECT_TRUE(t, cmdline_next(&pos, &tok) && tok_is(&tok, "loglevel", "3"));
	KTEST_EXPECT_TRUE(t, cmdline_next(&pos, &tok) && tok_is(&tok, "idle", "poll"));
	KTEST_EXPECT_TRUE(t, !cmdline_next(&pos, &tok));
	KTEST_EXPECT_TRUE(t, !cmdline_next(&pos, &tok));
}

static void value_splits_at_first_equals(struct ktest *t)
{
	const char *pos = "a=b=c d= =e";
	struct cmdline_token tok;

	KTEST_EXPECT_TRUE(t, cmdline_next(&pos, &tok) && tok_is(&tok, "a", "b=c"));
	KTEST_EXPECT_TRUE(t, cmdline_next(&pos, &tok) && tok_is(&tok, "d", ""));
	KTEST_EXPECT_TRUE(t, cmdline_next(&pos, &tok) && tok_is(&tok, "", "e"));
	KTEST_EXPECT_TRUE(t, !cmdline_next(&pos, &tok));
}

static void empty_line_has_no_words(struct ktest *t)
{
	const char *pos = "";
	struct cmdline_token tok;

	KTEST_EXPECT_TRUE(t, !cmdline_next(&pos, &tok));
	pos = " \t\r\n";
	KTEST_EXPECT_TRUE(t, !cmdline_next(&pos, &tok));
}

static void decimal_and_hex_parse(struct ktest *t)
{
	uint64_t v = 0;

	KTEST_EXPECT_EQ(t, parse_u64("0", 1, &v), 0);
	KTEST_EXPECT_EQ_U(t, v, 0);
	KTEST_EXPECT_EQ(t, parse_u64("5000", 4, &v), 0);
	KTEST_EXPECT_EQ_U(t, v, 5000);
	KTEST_EXPECT_EQ(t, parse_u64("0x1F", 4, &v), 0);
	KTEST_EXPECT_EQ_U(t, v, 0x1f);
	KTEST_EXPECT_EQ(t, parse_u64("18446744073709551615", 20, &v), 0);
	KTEST_EXPECT_EQ_U(t, v, UINT64_MAX);
	KTEST_EXPECT_EQ(t, parse_u64("0xffffffffffffffff", 18, &v), 0);
	KTEST_EXPECT_EQ_U(t, v, UINT64_MAX);
	/* Only @len characters count. */
	KTEST_EXPECT_EQ(t, parse_u64("123456", 3, &v), 0);
	KTEST_EXPECT_EQ_U(t, v, 123);
}

static void malformed_numbers_are_refused(struct ktest *t)
{
	static const char *const bad[] = {
		"", "x", "-1", "+1", "12a", "1 ", " 1", "0x", "0xg", "1.5", "1k",
	};
	uint64_t v = 77;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		KTEST_EXPECT_EQ(t, parse_u64(bad[i], strlen(bad[i]), &v), -EINVAL);
	KTEST_EXPECT_EQ_U(t, v, 77);
}

static void overflow_is_erange(struct ktest *t)
{
	uint64_t v = 77;

	KTEST_EXPECT_EQ(t, parse_u64("18446744073709551616", 20, &v), -ERANGE);
	KTEST_EXPECT_EQ(t, parse_u64("0x10000000000000000", 19, &v), -ERANGE);
	KTEST_EXPECT_EQ(t, parse_u64("99999999999999999999999", 23, &v), -ERANGE);
	KTEST_EXPECT_EQ_U(t, v, 77);
}

int main(void)
{
	static const struct ktest_case cases[] = {
		KTEST_CASE(words_split_at_whitespace),
		KTEST_CASE(value_splits_at_first_equals),
		KTEST_CASE(empty_line_has_no_words),
		KTEST_CASE(decimal_and_hex_parse),
		KTEST_CASE(malformed_numbers_are_refused),
		KTEST_CASE(overflow_is_erange),
	};

	return host_main("cmdline", cases, sizeof(cases) / sizeof(cases[0]));
}
