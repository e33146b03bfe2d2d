// SPDX-License-Identifier: MIT
/*
 * Host tests for the Multiboot2 information block parser (lib/multiboot2.c).
 *
 * Each case builds a block with a small builder, then copies it to the very
 * end of a heap allocation of exactly the block's size, so AddressSanitizer
 * stops the test at the first byte read past it. Good blocks must come out
 * whole; each hostile block breaks one rule from multiboot2.h and must be
 * refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xcall/errno.h>
#include <xcall/multiboot2.h>

#include "check.h"

/* Room for the largest block these tests build (MB2_MAX_INFO_SIZE). */
#define BUILDER_CAP		(MB2_MAX_INFO_SIZE + 64)
#define TAG_HDR			sizeof(struct mb2_tag)
#define MMAP_ENTRY		sizeof(struct mb2_mmap_raw_entry)
#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36

struct builder {
	unsigned char *buf;
	size_t len;
};

static void b_init(struct builder *b)
{
	b->buf = calloc(1, BUILDER_CAP);
	b->len = sizeof(struct mb2_info_header);
}

static void b_free(struct builder *b)
{
	free(b->buf);
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/*
 * Append a tag whose size field says @size (header included) and return
 * its start; the next tag starts at the next 8-byte boundary. @size may
 * lie; the builder reserves max(@size, 8) bytes.
 */
static unsigned char *b_tag(struct builder *b, uint32_t type, uint32_t size)
{
	unsigned char *tag = b->buf + b->len;
	size_t room = size < TAG_HDR ? TAG_HDR : size;

	put32(tag, type);
	put32(tag + 4, size);
	b->len += (room + MB2_TAG_ALIGN - 1) & ~(size_t)(MB2_TAG_ALIGN - 1);
	return tag;
}

static void b_string(struct builder *b, uint32_t type, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(b_tag(b, type, TAG_HDR + n) + TAG_HDR, s, n);
}

static void b_module(struct builder *b, uint32_t start, uint32_t end,
		     const char *cmdline)
{
	size_t n = strlen(cmdline) + 1;
	unsigned char *tag = b_tag(b, MB2_TAG_MODULE,
				   sizeof(struct mb2_tag_module) + n);

	put32(tag + 8, start);
	put32(tag + 12, end);
	memcpy(tag + 16, cmdline, n);
}

/* A memory map of @n entries: base i MiB, length (i + 1) * 4 KiB, type 1. */
static unsigned char *b_mmap(struct builder *b, uint32_t entry_size,
			     size_t n)
{
	unsigned char *tag = b_tag(b, MB2_TAG_MMAP,
				   sizeof(struct mb2_tag_mmap) + entry_size * n);

	put32(tag + 8, entry_size);
	put32(tag + 12, 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char *e = tag + 16 + i * entry_size;

		put64(e, (uint64_t)i << 20);
		put64(e + 8, (uint64_t)(i + 1) << 12);
		put32(e + 16, MB2_MEM_AVAILABLE);
	}
	return tag;
}

static unsigned char *b_fb(struct builder *b, uint8_t fb_type, uint32_t size)
{
	unsigned char *tag = b_tag(b, MB2_TAG_FRAMEBUFFER, size);
	struct mb2_tag_framebuffer fb = {
		.addr = 0xfd000000, .pitch = 4096, .width = 1024,
		.height = 768, .bpp = 32, .fb_type = fb_type,
		.red_pos = 16, .red_size = 8, .green_pos = 8,
		.green_size = 8, .blue_pos = 0, .blue_size = 8,
	};

	/* Only the bytes the tag claims: a short tag gets a short copy. */
	memcpy(tag + TAG_HDR, (unsigned char *)&fb + TAG_HDR,
	       (size < sizeof(fb) ? size : sizeof(fb)) - TAG_HDR);
	return tag;
}

/* An RSDP copy of @len bytes, filled with @fill so the test can tell them
 * apart. Returns the copy. */
static unsigned char *b_rsdp(struct builder *b, uint32_t type, size_t len,
			     unsigned char fill)
{
	unsigned char *tag = b_tag(b, type, TAG_HDR + len);

	memset(tag + TAG_HDR, fill, len);
	return tag + TAG_HDR;
}

static void b_end(struct builder *b)
{
	b_tag(b, MB2_TAG_END, TAG_HDR);
	put32(b->buf, (uint32_t)b->len);
}

/* Seal the block without an end tag. */
static void b_seal(struct builder *b)
{
	put32(b->buf, (uint32_t)b->len);
}

/*
 * Copy the first @avail bytes of the block to a heap buffer of exactly
 * that size (malloc's alignment is at least 16) and parse it there. The
 * copy stays alive in *keep for the pointers in @info.
 */
static int parse_exact(struct builder *b, size_t avail, struct mb2_info *info,
		       const char **why, unsigned char **keep)
{
	unsigned char *copy = malloc(avail ? avail : 1);
	int err;

	memcpy(copy, b->buf, avail);
	*why = NULL;
	err = mb2_parse(copy, avail, info, why);
	if (keep)
		*keep = copy;
	else
		free(copy);
	return err;
}

/*
 * Parse the whole block and expect -EINVAL with a reason naming the rule:
 * @rule is a piece of the parser's message, so a block refused for some
 * other, accidental reason fails the case.
 */
static void expect_refused(struct ktest *t, struct builder *b,
			   const char *rule)
{
	static struct mb2_info info;
	const char *why;
	int err = parse_exact(b, b->len, &info, &why, NULL);

	if (!KTEST_EXPECT_EQ(t, err, -EINVAL) || !KTEST_EXPECT_TRUE(t, why != NULL) ||
	    !KTEST_EXPECT_TRUE(t, strstr(why, rule) != NULL))
		printf("    # wanted a refusal for \"%s\", got \"%s\"\n", rule,
		       why ? why : "(none)");
}

static void expect_accepted(struct ktest *t, struct builder *b,
			    struct mb2_info *info, unsigned char **keep)
{
	const char *why;
	int err = parse_exact(b, b->len, info, &why, keep);

	if (!KTEST_EXPECT_EQ(t, err, 0))
		printf("    # refused: %s\n", why ? why : "(no reason)");
}

static void good_block_is_parsed_whole(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;
	unsigned char *copy = NULL, *rsdp_src;
	size_t rsdp_off;

	b_init(&b);
	b_string(&b, MB2_TAG_CMDLINE, "smp=4 x2apic=off");
	b_string(&b, MB2_TAG_LOADER_NAME, "GRUB 2.06");
	b_tag(&b, MB2_TAG_BASIC_MEMINFO, 16);
	b_mmap(&b, MMAP_ENTRY, 3);
	b_module(&b, 0x200000, 0x201000, "font.psf");
	b_module(&b, 0x300000, 0x300000, "");
	b_fb(&b, MB2_FB_RGB, sizeof(struct mb2_tag_framebuffer));
	rsdp_src = b_rsdp(&b, MB2_TAG_ACPI_OLD, RSDP_V1_LEN, 0xa1);
	rsdp_off = (size_t)(rsdp_src - b.buf);
	b_end(&b);

	expect_accepted(t, &b, &info, &copy);
	if (!copy)
		goto out;
	KTEST_EXPECT_EQ(t, info.total_size, b.len);
	KTEST_EXPECT_STREQ(t, info.cmdline, "smp=4 x2apic=off");
	KTEST_EXPECT_STREQ(t, info.loader_name, "GRUB 2.06");

	KTEST_EXPECT_EQ(t, info.nr_mmap, 3);
	KTEST_EXPECT_EQ(t, info.nr_mmap_dropped, 0);
	KTEST_EXPECT_EQ_U(t, info.mmap[2].base, 2u << 20);
	KTEST_EXPECT_EQ_U(t, info.mmap[2].len, 3u << 12);
	KTEST_EXPECT_EQ(t, info.mmap[2].type, MB2_MEM_AVAILABLE);

	KTEST_EXPECT_EQ(t, info.nr_modules, 2);
	KTEST_EXPECT_EQ_U(t, info.modules[0].start, 0x200000);
	KTEST_EXPECT_EQ_U(t, info.modules[0].end, 0x201000);
	KTEST_EXPECT_STREQ(t, info.modules[0].cmdline, "font.psf");
	KTEST_EXPECT_STREQ(t, info.modules[1].cmdline, "");

	KTEST_EXPECT_TRUE(t, info.has_fb);
	KTEST_EXPECT_EQ_U(t, info.fb.addr, 0xfd000000);
	KTEST_EXPECT_EQ(t, info.fb.pitch, 4096);
	KTEST_EXPECT_EQ(t, info.fb.width, 1024);
	KTEST_EXPECT_EQ(t, info.fb.height, 768);
	KTEST_EXPECT_EQ(t, info.fb.bpp, 32);
	KTEST_EXPECT_EQ(t, info.fb.type, MB2_FB_RGB);
	KTEST_EXPECT_EQ(t, info.fb.red_pos, 16);
	KTEST_EXPECT_EQ(t, info.fb.green_pos, 8);
	KTEST_EXPECT_EQ(t, info.fb.blue_size, 8);

	/* Strings and the RSDP point into the caller's block, not a copy. */
	KTEST_EXPECT_TRUE(t, info.rsdp == copy + rsdp_off);
	KTEST_EXPECT_EQ(t, info.rsdp_len, RSDP_V1_LEN);
	KTEST_EXPECT_TRUE(t, !info.rsdp_is_v2);
	KTEST_EXPECT_TRUE(t, (const unsigned char *)info.cmdline > copy &&
		 (const unsigned char *)info.cmdline < copy + b.len);
out:
	free(copy);
	b_free(&b);
}

static void empty_block_has_nothing(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;

	b_init(&b);
	b_end(&b);
	expect_accepted(t, &b, &info, NULL);
	KTEST_EXPECT_TRUE(t, info.cmdline == NULL);
	KTEST_EXPECT_TRUE(t, info.loader_name == NULL);
	KTEST_EXPECT_TRUE(t, info.rsdp == NULL);
	KTEST_EXPECT_TRUE(t, !info.has_fb);
	KTEST_EXPECT_EQ(t, info.nr_mmap, 0);
	KTEST_EXPECT_EQ(t, info.nr_modules, 0);
	KTEST_EXPECT_EQ(t, info.total_size, 16);
	b_free(&b);
}

static void ega_framebuffer_needs_no_colour_fields(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;

	b_init(&b);
	b_fb(&b, MB2_FB_EGA_TEXT, offsetof(struct mb2_tag_framebuffer, red_pos));
	b_end(&b);
	expect_accepted(t, &b, &info, NULL);
	KTEST_EXPECT_TRUE(t, info.has_fb);
	KTEST_EXPECT_EQ(t, info.fb.type, MB2_FB_EGA_TEXT);
	KTEST_EXPECT_EQ(t, info.fb.width, 1024);
	KTEST_EXPECT_EQ(t, info.fb.red_size, 0);
	b_free(&b);
}

static void rgb_framebuffer_without_colour_fields_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_fb(&b, MB2_FB_RGB, offsetof(struct mb2_tag_framebuffer, red_pos));
	b_end(&b);
	expect_refused(t, &b, "too short for RGB");
	b_free(&b);

	b_init(&b);
	b_fb(&b, MB2_FB_EGA_TEXT, offsetof(struct mb2_tag_framebuffer, red_pos) - 1);
	b_end(&b);
	expect_refused(t, &b, "framebuffer tag too short");
	b_free(&b);
}

/* Build old/new RSDP tags in the given order and check the new one wins. */
static void check_new_rsdp_wins(struct ktest *t, bool new_first)
{
	static struct mb2_info info;
	struct builder b;
	unsigned char *copy = NULL, *src;
	size_t new_off;

	b_init(&b);
	if (new_first) {
		src = b_rsdp(&b, MB2_TAG_ACPI_NEW, RSDP_V2_LEN, 0xbb);
		b_rsdp(&b, MB2_TAG_ACPI_OLD, RSDP_V1_LEN, 0xaa);
	} else {
		b_rsdp(&b, MB2_TAG_ACPI_OLD, RSDP_V1_LEN, 0xaa);
		src = b_rsdp(&b, MB2_TAG_ACPI_NEW, RSDP_V2_LEN, 0xbb);
	}
	new_off = (size_t)(src - b.buf);
	b_end(&b);
	expect_accepted(t, &b, &info, &copy);
	if (copy) {
		KTEST_EXPECT_TRUE(t, info.rsdp == copy + new_off);
		KTEST_EXPECT_EQ(t, info.rsdp_len, RSDP_V2_LEN);
		KTEST_EXPECT_TRUE(t, info.rsdp_is_v2);
		KTEST_EXPECT_EQ(t, ((const unsigned char *)info.rsdp)[0], 0xbb);
	}
	free(copy);
	b_free(&b);
}

static void acpi_new_wins_over_old_in_either_order(struct ktest *t)
{
	check_new_rsdp_wins(t, false);
	check_new_rsdp_wins(t, true);
}

static void rsdp_length_limits_are_inclusive(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;

	b_init(&b);
	b_rsdp(&b, MB2_TAG_ACPI_OLD, RSDP_V1_LEN, 0xaa);
	b_end(&b);
	expect_accepted(t, &b, &info, NULL);
	KTEST_EXPECT_EQ(t, info.rsdp_len, RSDP_V1_LEN);
	b_free(&b);

	b_init(&b);
	b_rsdp(&b, MB2_TAG_ACPI_NEW, MB2_MAX_RSDP_SIZE, 0xbb);
	b_end(&b);
	expect_accepted(t, &b, &info, NULL);
	KTEST_EXPECT_EQ(t, info.rsdp_len, MB2_MAX_RSDP_SIZE);
	b_free(&b);
}

static void rsdp_too_short_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_rsdp(&b, MB2_TAG_ACPI_OLD, RSDP_V1_LEN - 1, 0xaa);
	b_end(&b);
	expect_refused(t, &b, "shorter than 20");
	b_free(&b);

	b_init(&b);
	b_rsdp(&b, MB2_TAG_ACPI_NEW, 0, 0xbb);
	b_end(&b);
	expect_refused(t, &b, "shorter than 20");
	b_free(&b);
}

static void rsdp_too_long_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_rsdp(&b, MB2_TAG_ACPI_NEW, MB2_MAX_RSDP_SIZE + 1, 0xbb);
	b_end(&b);
	expect_refused(t, &b, "RSDP copy too long");
	b_free(&b);
}

static void unknown_tags_are_skipped(struct ktest *t)
{
	static struct mb2_info info;
	unsigned char *copy = NULL;
	struct builder b;

	b_init(&b);
	b_tag(&b, MB2_TAG_LOAD_BASE, 12);
	b_tag(&b, 0x7fffffff, 8 + 100);
	b_string(&b, MB2_TAG_CMDLINE, "after");
	b_end(&b);
	expect_accepted(t, &b, &info, &copy);
	/* The walk stepped over both unknown tags to the known one. */
	if (copy)
		KTEST_EXPECT_TRUE(t, info.cmdline && strcmp(info.cmdline, "after") == 0);
	free(copy);
	b_free(&b);
}

static void block_of_max_size_is_accepted(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;

	/* One unknown tag filling all but the header and the end tag. */
	b_init(&b);
	b_tag(&b, 0x1234, MB2_MAX_INFO_SIZE - 2 * TAG_HDR);
	b_end(&b);
	KTEST_EXPECT_EQ(t, b.len, MB2_MAX_INFO_SIZE);
	expect_accepted(t, &b, &info, NULL);
	b_free(&b);
}

static void total_size_below_8_is_refused(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;
	const char *why;

	b_init(&b);
	b_end(&b);
	for (uint32_t total = 0; total < 8; total++) {
		put32(b.buf, total);
		KTEST_EXPECT_EQ(t, parse_exact(&b, b.len, &info, &why, NULL), -EINVAL);
		KTEST_EXPECT_TRUE(t, why && strstr(why, "total_size below 8"));
	}
	b_free(&b);
}

static void total_size_past_avail_is_refused(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;
	const char *why;

	b_init(&b);
	b_string(&b, MB2_TAG_CMDLINE, "x");
	b_end(&b);
	/* Every shorter readable window, down to one too small for the
	 * header: refused, and nothing past the window read. */
	for (size_t avail = 0; avail < b.len; avail++) {
		KTEST_EXPECT_EQ(t, parse_exact(&b, avail, &info, &why, NULL), -EINVAL);
		KTEST_EXPECT_TRUE(t, why && strstr(why, avail < sizeof(struct mb2_info_header) ?
				       "header not readable" :
				       "past the readable bytes"));
	}
	b_free(&b);
}

static void total_size_above_max_is_refused(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;
	const char *why;

	b_init(&b);
	b_tag(&b, 0x1234, MB2_MAX_INFO_SIZE - TAG_HDR);
	b_end(&b);
	KTEST_EXPECT_EQ(t, b.len, MB2_MAX_INFO_SIZE + TAG_HDR);
	KTEST_EXPECT_EQ(t, parse_exact(&b, b.len, &info, &why, NULL), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "above MB2_MAX_INFO_SIZE"));
	b_free(&b);
}

static void misaligned_info_is_refused(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;
	unsigned char *raw;
	const char *why = NULL;

	b_init(&b);
	b_end(&b);
	raw = malloc(b.len + 4);
	memcpy(raw + 4, b.buf, b.len);
	KTEST_EXPECT_EQ(t, mb2_parse(raw + 4, b.len, &info, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why != NULL);
	/* The same bytes, aligned, are fine. */
	memcpy(raw, b.buf, b.len);
	KTEST_EXPECT_EQ(t, mb2_parse(raw, b.len, &info, &why), 0);
	free(raw);
	b_free(&b);
}

static void tag_size_below_8_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_tag(&b, 0x1234, 4);
	b_end(&b);
	expect_refused(t, &b, "tag size below 8");
	b_free(&b);

	b_init(&b);
	b_tag(&b, MB2_TAG_CMDLINE, 0);
	b_end(&b);
	expect_refused(t, &b, "tag size below 8");
	b_free(&b);
}

static void tag_running_past_total_size_is_refused(struct ktest *t)
{
	struct builder b;
	unsigned char *tag;

	b_init(&b);
	tag = b_tag(&b, 0x1234, 24);
	b_end(&b);
	/* The tag claims the end tag and one byte more. */
	put32(tag + 4, 24 + 8 + 1);
	expect_refused(t, &b, "runs past total_size");
	b_free(&b);

	b_init(&b);
	tag = b_tag(&b, 0x1234, 24);
	b_end(&b);
	put32(tag + 4, UINT32_MAX);
	expect_refused(t, &b, "runs past total_size");
	b_free(&b);
}

static void missing_end_tag_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_string(&b, MB2_TAG_CMDLINE, "no end");
	b_seal(&b);
	expect_refused(t, &b, "no end tag");
	b_free(&b);

	/* Header only: not even room for an end tag. */
	b_init(&b);
	b_seal(&b);
	expect_refused(t, &b, "no end tag");
	b_free(&b);

	/* Four bytes of a tag header at the end. */
	b_init(&b);
	b.len += 4;
	b_seal(&b);
	expect_refused(t, &b, "no end tag");
	b_free(&b);
}

static void end_tag_of_wrong_size_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_tag(&b, MB2_TAG_END, 16);
	b_seal(&b);
	expect_refused(t, &b, "end tag size");
	b_free(&b);
}

static void unterminated_strings_are_refused(struct ktest *t)
{
	struct builder b;
	unsigned char *tag;

	b_init(&b);
	tag = b_tag(&b, MB2_TAG_CMDLINE, TAG_HDR + 4);
	memcpy(tag + TAG_HDR, "abcd", 4);
	/* A NUL in the padding after the tag must not count. */
	b_end(&b);
	expect_refused(t, &b, "command line not terminated");
	b_free(&b);

	b_init(&b);
	b_tag(&b, MB2_TAG_CMDLINE, TAG_HDR);
	b_end(&b);
	expect_refused(t, &b, "command line not terminated");
	b_free(&b);

	b_init(&b);
	tag = b_tag(&b, MB2_TAG_LOADER_NAME, TAG_HDR + 3);
	memcpy(tag + TAG_HDR, "GRB", 3);
	b_end(&b);
	expect_refused(t, &b, "loader name not terminated");
	b_free(&b);
}

static void mmap_entry_size_below_24_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_mmap(&b, 16, 2);
	b_end(&b);
	expect_refused(t, &b, "below 24");
	b_free(&b);

	b_init(&b);
	b_mmap(&b, 0, 0);
	b_end(&b);
	expect_refused(t, &b, "below 24");
	b_free(&b);
}

static void mmap_entry_size_not_multiple_of_8_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_mmap(&b, 28, 2);
	b_end(&b);
	expect_refused(t, &b, "multiple of 8");
	b_free(&b);
}

static void mmap_entries_not_fitting_are_refused(struct ktest *t)
{
	struct builder b;
	unsigned char *tag;

	/* Two whole entries and a third cut short. */
	b_init(&b);
	tag = b_mmap(&b, MMAP_ENTRY, 3);
	put32(tag + 4, 16 + 2 * MMAP_ENTRY + 8);
	b_end(&b);
	expect_refused(t, &b, "do not fit");
	b_free(&b);

	/* An entry size larger than the whole tag. */
	b_init(&b);
	tag = b_mmap(&b, MMAP_ENTRY, 1);
	put32(tag + 8, 0x7ffffff8);
	b_end(&b);
	expect_refused(t, &b, "do not fit");
	b_free(&b);

	b_init(&b);
	tag = b_tag(&b, MB2_TAG_MMAP, 12);
	b_end(&b);
	expect_refused(t, &b, "memory map tag too short");
	b_free(&b);
}

static void mmap_larger_entry_size_is_honoured(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;

	/* A future entry version with 8 extra bytes per entry. */
	b_init(&b);
	b_mmap(&b, MMAP_ENTRY + 8, 4);
	b_end(&b);
	expect_accepted(t, &b, &info, NULL);
	KTEST_EXPECT_EQ(t, info.nr_mmap, 4);
	for (size_t i = 0; i < info.nr_mmap && i < 4; i++) {
		KTEST_EXPECT_EQ_U(t, info.mmap[i].base, (uint64_t)i << 20);
		KTEST_EXPECT_EQ_U(t, info.mmap[i].len, (uint64_t)(i + 1) << 12);
	}
	b_free(&b);
}

static void too_many_mmap_entries_are_counted_as_dropped(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;

	/* Over two tags, as a loader might split them. */
	b_init(&b);
	b_mmap(&b, MMAP_ENTRY, MB2_MAX_MMAP - 1);
	b_mmap(&b, MMAP_ENTRY, 6);
	b_end(&b);
	expect_accepted(t, &b, &info, NULL);
	KTEST_EXPECT_EQ(t, info.nr_mmap, MB2_MAX_MMAP);
	KTEST_EXPECT_EQ(t, info.nr_mmap_dropped, 5);
	/* The last kept entry is the first of the second tag. */
	KTEST_EXPECT_EQ_U(t, info.mmap[MB2_MAX_MMAP - 1].base, 0);
	KTEST_EXPECT_EQ_U(t, info.mmap[MB2_MAX_MMAP - 2].base,
		   (uint64_t)(MB2_MAX_MMAP - 2) << 20);
	b_free(&b);
}

static void too_many_modules_are_counted_as_dropped(struct ktest *t)
{
	static struct mb2_info info;
	unsigned char *copy = NULL;
	struct builder b;
	char name[16];

	b_init(&b);
	for (int i = 0; i < MB2_MAX_MODULES + 3; i++) {
		snprintf(name, sizeof(name), "mod%d", i);
		b_module(&b, 0x100000 * (i + 1), 0x100000 * (i + 1) + 10, name);
	}
	b_end(&b);
	expect_accepted(t, &b, &info, &copy);
	KTEST_EXPECT_EQ(t, info.nr_modules, MB2_MAX_MODULES);
	KTEST_EXPECT_EQ(t, info.nr_modules_dropped, 3);
	if (copy)
		KTEST_EXPECT_STREQ(t, info.modules[MB2_MAX_MODULES - 1].cmdline, "mod7");
	free(copy);
	b_free(&b);
}

static void module_start_after_end_is_refused(struct ktest *t)
{
	struct builder b;

	b_init(&b);
	b_module(&b, 0x201000, 0x200fff, "backwards");
	b_end(&b);
	expect_refused(t, &b, "starts after it ends");
	b_free(&b);
}

static void broken_module_tags_are_refused(struct ktest *t)
{
	struct builder b;
	unsigned char *tag;

	b_init(&b);
	tag = b_tag(&b, MB2_TAG_MODULE, 16 + 4);
	put32(tag + 8, 0x1000);
	put32(tag + 12, 0x2000);
	memcpy(tag + 16, "abcd", 4);
	b_end(&b);
	expect_refused(t, &b, "module command line not terminated");
	b_free(&b);

	b_init(&b);
	tag = b_tag(&b, MB2_TAG_MODULE, 16);
	put32(tag + 8, 0x1000);
	put32(tag + 12, 0x2000);
	b_end(&b);
	expect_refused(t, &b, "module tag too short");
	b_free(&b);

	b_init(&b);
	b_tag(&b, MB2_TAG_MODULE, 12);
	b_end(&b);
	expect_refused(t, &b, "module tag too short");
	b_free(&b);
}

static void null_arguments_are_refused(struct ktest *t)
{
	static struct mb2_info info;
	struct builder b;
	const char *why = NULL;

	b_init(&b);
	b_end(&b);
	KTEST_EXPECT_EQ(t, mb2_parse(NULL, 16, &info, &why), -EINVAL);
	KTEST_EXPECT_EQ(t, mb2_parse(b.buf, b.len, NULL, &why), -EINVAL);
	/* @why is optional. */
	KTEST_EXPECT_EQ(t, mb2_parse(b.buf, b.len, &info, NULL), 0);
	put32(b.buf, 4);
	KTEST_EXPECT_EQ(t, mb2_parse(b.buf, b.len, &info, NULL), -EINVAL);
	b_free(&b);
}

/*
 * Flip each byte of a good block to a few hostile values. Whatever the
 * verdict, nothing outside the block may be read (ASan), a refusal must
 * say why, and an acceptance must keep its arrays in bounds.
 */
static void corrupting_any_byte_stays_in_bounds(struct ktest *t)
{
	static const unsigned char values[] = { 0x00, 0x01, 0x07, 0x08, 0x17, 0x80, 0xff };
	static struct mb2_info info;
	struct builder b;
	unsigned int refused = 0;

	b_init(&b);
	b_string(&b, MB2_TAG_CMDLINE, "console=fb");
	b_string(&b, MB2_TAG_LOADER_NAME, "GRUB");
	b_mmap(&b, MMAP_ENTRY, 4);
	b_module(&b, 0x200000, 0x300000, "m");
	b_fb(&b, MB2_FB_RGB, sizeof(struct mb2_tag_framebuffer));
	b_rsdp(&b, MB2_TAG_ACPI_NEW, RSDP_V2_LEN, 0x11);
	b_end(&b);

	for (size_t i = 0; i < b.len; i++) {
		unsigned char saved = b.buf[i];

		for (size_t v = 0; v < sizeof(values); v++) {
			const char *why;
			int err;

			b.buf[i] = values[v];
			err = parse_exact(&b, b.len, &info, &why, NULL);
			if (err) {
				refused++;
				if (!KTEST_EXPECT_EQ(t, err, -EINVAL) || !KTEST_EXPECT_TRUE(t, why))
					goto out;
			} else if (!KTEST_EXPECT_TRUE(t, info.nr_mmap <= MB2_MAX_MMAP &&
					  info.nr_modules <= MB2_MAX_MODULES &&
					  info.rsdp_len <= MB2_MAX_RSDP_SIZE)) {
				goto out;
			}
		}
		b.buf[i] = saved;
	}
	/* Breaking sizes and terminators must have been caught somewhere. */
	KTEST_EXPECT_TRUE(t, refused > 0);
out:
	b_free(&b);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(good_block_is_parsed_whole),
	KTEST_CASE(empty_block_has_nothing),
	KTEST_CASE(ega_framebuffer_needs_no_colour_fields),
	KTEST_CASE(rgb_framebuffer_without_colour_fields_is_refused),
	KTEST_CASE(acpi_new_wins_over_old_in_either_order),
	KTEST_CASE(rsdp_length_limits_are_inclusive),
	KTEST_CASE(rsdp_too_short_is_refused),
	KTEST_CASE(rsdp_too_long_is_refused),
	KTEST_CASE(unknown_tags_are_skipped),
	KTEST_CASE(block_of_max_size_is_accepted),
	KTEST_CASE(total_size_below_8_is_refused),
	KTEST_CASE(total_size_past_avail_is_refused),
	KTEST_CASE(total_size_above_max_is_refused),
	KTEST_CASE(misaligned_info_is_refused),
	KTEST_CASE(tag_size_below_8_is_refused),
	KTEST_CASE(tag_running_past_total_size_is_refused),
	KTEST_CASE(missing_end_tag_is_refused),
	KTEST_CASE(end_tag_of_wrong_size_is_refused),
	KTEST_CASE(unterminated_strings_are_refused),
	KTEST_CASE(mmap_entry_size_below_24_is_refused),
	KTEST_CASE(mmap_entry_size_not_multiple_of_8_is_refused),
	KTEST_CASE(mmap_entries_not_fitting_are_refused),
	KTEST_CASE(mmap_larger_entry_size_is_honoured),
	KTEST_CASE(too_many_mmap_entries_are_counted_as_dropped),
	KTEST_CASE(too_many_modules_are_counted_as_dropped),
	KTEST_CASE(module_start_after_end_is_refused),
	KTEST_CASE(broken_module_tags_are_refused),
	KTEST_CASE(null_arguments_are_refused),
	KTEST_CASE(corrupting_any_byte_stays_in_bounds),
};

int main(void)
{
	return host_main("multiboot2", cases, ARRAY_SIZE(cases));
}
