// SPDX-License-Identifier: MIT
/*
 * Host tests for the PC Screen Font parser (lib/psf.c).
 *
 * Two sources of fonts: the real ones Debian ships in console-setup (the
 * kernel's ISO carries Lat15-VGA16), decompressed with gzip at run time,
 * and synthetic PSF1 and PSF2 fonts built here so each rule can be broken
 * on its own. Every font is parsed from a heap buffer of exactly its size,
 * so AddressSanitizer stops any read past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xcall/compiler.h>
#include <xcall/errno.h>
#include <xcall/psf.h>

#include "check.h"

#define CONSOLEFONTS		"/usr/share/consolefonts/"
#define REAL_PSF1_FONT		CONSOLEFONTS "Lat15-VGA16.psf.gz"
#define REAL_PSF2_FONT		CONSOLEFONTS "Lat15-Terminus18x10.psf.gz"
/* Far more than any console font; a bigger file is not what we asked for. */
#define MAX_FONT_FILE		(4u << 20)

#define PSF2_HDR_SIZE		32
#define PSF1_HDR_SIZE		4

/* Some code points the tables below use. */
#define U_SMILEY		0x263a
#define U_E_ACUTE		0xe9
#define U_COMBINING_ACUTE	0x0301

struct psf2_fields {
	uint32_t magic, version, headersize, flags, length, charsize, height,
		 width;
};

/* Heap copy of exactly @len bytes, so ASan guards the end. */
static unsigned char *exact_copy(const void *src, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

/* Parse @len bytes of @src from an exact-size copy. */
static int parse_exact(const void *src, size_t len, struct psf_font *font,
		       const char **why, unsigned char **keep)
{
	unsigned char *copy = exact_copy(src, len);
	int err;

	*why = NULL;
	err = psf_parse(copy, len, font, why);
	if (keep)
		*keep = copy;
	else
		free(copy);
	return err;
}

/* Glyph g holds bytes (g & 0xff) ^ row, so every glyph differs. */
static void fill_glyphs(unsigned char *p, uint32_t nr, uint32_t bytes_per_glyph)
{
	for (uint32_t g = 0; g < nr; g++)
		for (uint32_t i = 0; i < bytes_per_glyph; i++)
			p[(size_t)g * bytes_per_glyph + i] = (unsigned char)(g ^ i);
}

/* A PSF1 font: header, glyphs, then @table_len bytes of table. */
static size_t build_psf1(unsigned char *out, uint8_t mode, uint8_t charsize,
			 const unsigned char *table, size_t table_len)
{
	uint32_t nr = (mode & PSF1_MODE512) ? 512 : 256;
	size_t glyph_bytes = (size_t)nr * charsize;

	out[0] = PSF1_MAGIC0;
	out[1] = PSF1_MAGIC1;
	out[2] = mode;
	out[3] = charsize;
	fill_glyphs(out + PSF1_HDR_SIZE, nr, charsize);
	if (table_len)
		memcpy(out + PSF1_HDR_SIZE + glyph_bytes, table, table_len);
	return PSF1_HDR_SIZE + glyph_bytes + table_len;
}

/*
 * A PSF2 font: header as given, @nr_glyph_bytes of glyphs, the table. The
 * glyphs go at headersize when it is sane (32 to BUILD_MAX_HEADERSIZE);
 * a bogus one, written to break the parser, does not move them.
 */
#define BUILD_MAX_HEADERSIZE	256

static size_t build_psf2(unsigned char *out, const struct psf2_fields *f,
			 size_t nr_glyph_bytes, const unsigned char *table,
			 size_t table_len)
{
	uint32_t words[8] = { f->magic, f->version, f->headersize, f->flags,
			      f->length, f->charsize, f->height, f->width };
	size_t hs = f->headersize >= PSF2_HDR_SIZE &&
		    f->headersize <= BUILD_MAX_HEADERSIZE ?
		    f->headersize : PSF2_HDR_SIZE;

	memset(out, 0, hs);
	memcpy(out, words, sizeof(words));
	for (size_t i = 0; i < nr_glyph_bytes; i++)
		out[hs + i] = (unsigned char)(i / (f->charsize ? f->charsize : 1) ^ i);
	if (table_len)
		memcpy(out + hs + nr_glyph_bytes, table, table_len);
	return hs + nr_glyph_bytes + table_len;
}

/* The header of a sane 8x16 PSF2 font with @nr glyphs. */
static struct psf2_fields psf2_8x16(uint32_t nr, uint32_t flags)
{
	return (struct psf2_fields){
		.magic = PSF2_MAGIC, .version = 0, .headersize = PSF2_HDR_SIZE,
		.flags = flags, .length = nr, .charsize = 16, .height = 16,
		.width = 8,
	};
}

/* A PSF1 table: u16 values, little-endian. */
static size_t put_u16s(unsigned char *out, const uint16_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (unsigned char)(v[i] & 0xff);
		out[2 * i + 1] = (unsigned char)(v[i] >> 8);
	}
	return 2 * n;
}

static uint32_t glyph_index(const struct psf_font *font, const uint8_t *g)
{
	return (uint32_t)((g - font->glyphs) / font->bytes_per_glyph);
}

static bool glyph_blank(const struct psf_font *font, const uint8_t *g)
{
	for (uint32_t i = 0; i < font->height * font->bytes_per_row; i++)
		if (g[i])
			return false;
	return true;
}

/*
 * Decompress a Debian font with gzip. Returns a heap buffer of exactly the
 * file's size, or NULL with *reason set.
 */
static unsigned char *load_gz(const char *path, size_t *len,
			      const char **reason)
{
	char cmd[256];
	unsigned char *big, *exact;
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (!f) {
		*reason = "font not installed (console-setup-linux missing)";
		return NULL;
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
	f = popen(cmd, "r");
	if (!f) {
		*reason = "cannot run gzip";
		return NULL;
	}
	big = malloc(MAX_FONT_FILE);
	n = big ? fread(big, 1, MAX_FONT_FILE, f) : 0;
	if (pclose(f) != 0 || n == 0 || n == MAX_FONT_FILE) {
		free(big);
		*reason = "gzip failed on the font";
		return NULL;
	}
	exact = exact_copy(big, n);
	free(big);
	*len = n;
	return exact;
}

static void real_debian_font_maps_through_its_unicode_table(struct ktest *t)
{
	static struct psf_font font;
	const char *reason, *why;
	unsigned char *data;
	const uint8_t *a, *b, *q;
	size_t len;

	data = load_gz(REAL_PSF1_FONT, &len, &reason);
	if (!data) {
		ktest_skip(t, "%s", reason);
		return;
	}
	if (!KTEST_EXPECT_EQ(t, psf_parse(data, len, &font, &why), 0)) {
		printf("    # refused: %s\n", why);
		goto out;
	}
	KTEST_EXPECT_EQ(t, font.width, 8);
	KTEST_EXPECT_EQ(t, font.height, 16);
	KTEST_EXPECT_EQ(t, font.bytes_per_row, 1);
	KTEST_EXPECT_TRUE(t, font.nr_glyphs == 256 || font.nr_glyphs == 512);

	a = psf_glyph(&font, 'A');
	b = psf_glyph(&font, 'B');
	q = psf_glyph(&font, '?');
	KTEST_EXPECT_TRUE(t, !glyph_blank(&font, a));
	KTEST_EXPECT_TRUE(t, !glyph_blank(&font, q));
	KTEST_EXPECT_TRUE(t, memcmp(a, b, font.bytes_per_glyph) != 0);
	KTEST_EXPECT_TRUE(t, a != q);

	/*
	 * Latin-1 is where this font's order is not Unicode's: e-acute is a
	 * CP437 slot. Only the table can say so.
	 */
	KTEST_EXPECT_TRUE(t, font.map[U_E_ACUTE] != U_E_ACUTE);
	KTEST_EXPECT_TRUE(t, memcmp(psf_glyph(&font, U_E_ACUTE), psf_glyph(&font, 'e'),
			font.bytes_per_glyph) != 0);
	KTEST_EXPECT_TRUE(t, psf_glyph(&font, U_E_ACUTE) != q);
	/* Control characters are not in the table: they draw as '?'. */
	KTEST_EXPECT_TRUE(t, psf_glyph(&font, 0x01) == q);
	/* Beyond the map: '?', even for a character the font has. */
	KTEST_EXPECT_TRUE(t, psf_glyph(&font, U_SMILEY) == q);
out:
	free(data);
}

static void real_debian_psf2_font_parses(struct ktest *t)
{
	static struct psf_font font;
	const char *reason, *why;
	unsigned char *data;
	size_t len;

	data = load_gz(REAL_PSF2_FONT, &len, &reason);
	if (!data) {
		ktest_skip(t, "%s", reason);
		return;
	}
	if (!KTEST_EXPECT_EQ(t, psf_parse(data, len, &font, &why), 0)) {
		printf("    # refused: %s\n", why);
		goto out;
	}
	KTEST_EXPECT_EQ(t, font.width, 10);
	KTEST_EXPECT_EQ(t, font.height, 18);
	KTEST_EXPECT_EQ(t, font.bytes_per_row, 2);
	KTEST_EXPECT_EQ(t, font.bytes_per_glyph, 36);
	KTEST_EXPECT_TRUE(t, !glyph_blank(&font, psf_glyph(&font, 'A')));
	KTEST_EXPECT_TRUE(t, memcmp(psf_glyph(&font, 'A'), psf_glyph(&font, 'B'),
			font.bytes_per_glyph) != 0);
	KTEST_EXPECT_TRUE(t, psf_glyph(&font, U_E_ACUTE) != psf_glyph(&font, '?'));
	KTEST_EXPECT_TRUE(t, psf_glyph(&font, 0x01) == psf_glyph(&font, '?'));
out:
	free(data);
}

static void psf1_without_table_maps_identity(struct ktest *t)
{
	static unsigned char buf[PSF1_HDR_SIZE + 512 * 16];
	static struct psf_font font;
	unsigned char *copy = NULL;
	const char *why;
	size_t len = build_psf1(buf, 0, 16, NULL, 0);

	if (!KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, &copy), 0))
		goto out;
	KTEST_EXPECT_EQ(t, font.nr_glyphs, 256);
	KTEST_EXPECT_EQ(t, font.width, 8);
	KTEST_EXPECT_EQ(t, font.bytes_per_glyph, 16);
	KTEST_EXPECT_TRUE(t, font.glyphs == copy + PSF1_HDR_SIZE);
	for (uint32_t c = 0; c < PSF_MAP_SIZE; c++)
		if (!KTEST_EXPECT_EQ(t, glyph_index(&font, psf_glyph(&font, c)), c))
			break;
	KTEST_EXPECT_EQ(t, glyph_index(&font, psf_glyph(&font, 0x1000)), '?');
out:
	free(copy);
}

static void psf1_512_mode_has_512_glyphs(struct ktest *t)
{
	static unsigned char buf[PSF1_HDR_SIZE + 512 * 16];
	static struct psf_font font;
	const char *why;
	size_t len = build_psf1(buf, PSF1_MODE512, 16, NULL, 0);

	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0);
	KTEST_EXPECT_EQ(t, font.nr_glyphs, 512);
	/* One byte short of 512 glyphs: refused. */
	KTEST_EXPECT_EQ(t, parse_exact(buf, len - 1, &font, &why, NULL), -EINVAL);
}

static void psf1_table_maps_characters_and_skips_sequences(struct ktest *t)
{
	static unsigned char buf[PSF1_HDR_SIZE + 256 * 8 + 4096];
	static unsigned char table[2048];
	static uint16_t v[1024];
	static struct psf_font font;
	const char *why;
	size_t n = 0, len;

	for (uint32_t g = 0; g < 256; g++) {
		switch (g) {
		case 0:
			v[n++] = 'A';
			v[n++] = U_SMILEY;
			break;
		case 1:
			v[n++] = '?';
			/* 'B' here only starts a sequence: not a mapping. */
			v[n++] = PSF1_STARTSEQ;
			v[n++] = 'B';
			v[n++] = U_COMBINING_ACUTE;
			break;
		case 2:
			v[n++] = 'B';
			break;
		case 3:
			v[n++] = 'A';	/* already glyph 0's: the first wins */
			break;
		case 200:
			v[n++] = U_E_ACUTE;
			break;
		}
		v[n++] = PSF1_SEPARATOR;
	}
	len = build_psf1(buf, PSF1_MODEHASTAB | PSF1_MODESEQ, 8, table,
			 put_u16s(table, v, n));
	if (!KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0))
		return;
	KTEST_EXPECT_EQ(t, font.map['A'], 0);
	KTEST_EXPECT_EQ(t, font.map['B'], 2);
	KTEST_EXPECT_EQ(t, font.map['?'], 1);
	KTEST_EXPECT_EQ(t, font.map[U_E_ACUTE], 200);
	/* Everything else, including what glyph 'Z' used to be: '?'. */
	KTEST_EXPECT_EQ(t, font.map['Z'], 1);
	KTEST_EXPECT_EQ(t, font.map[0], 1);
	KTEST_EXPECT_EQ(t, font.map[255], 1);
}

static void psf1_truncated_table_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF1_HDR_SIZE + 256 * 8 + 1024];
	static unsigned char table[1024];
	static uint16_t v[512];
	static struct psf_font font;
	const char *why;
	size_t len;

	for (size_t i = 0; i < 256; i++)
		v[i] = PSF1_SEPARATOR;
	/* All but the last glyph's entry. */
	len = build_psf1(buf, PSF1_MODEHASTAB, 8, table, put_u16s(table, v, 255));
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "Unicode table"));
	/* All entries, and half of one more u16 after them: fine. */
	len = build_psf1(buf, PSF1_MODEHASTAB, 8, table, put_u16s(table, v, 256) + 1);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0);
	/* The last separator cut in half. */
	len = build_psf1(buf, PSF1_MODEHASTAB, 8, table, put_u16s(table, v, 256) - 1);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
}

static void psf2_without_table_maps_identity(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 256 * 16];
	struct psf2_fields f = psf2_8x16(256, 0);
	static struct psf_font font;
	const char *why;
	size_t len = build_psf2(buf, &f, 256 * 16, NULL, 0);

	if (!KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0))
		return;
	for (uint32_t c = 0; c < PSF_MAP_SIZE; c++)
		if (!KTEST_EXPECT_EQ(t, font.map[c], c))
			break;
}

static void small_font_maps_missing_characters_to_question_or_zero(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 256 * 16];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(100, 0);
	const char *why;
	size_t len = build_psf2(buf, &f, 100 * 16, NULL, 0);

	/* 100 glyphs: '?' (63) exists, so 200 draws as '?'. */
	if (KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0)) {
		KTEST_EXPECT_EQ(t, font.map[99], 99);
		KTEST_EXPECT_EQ(t, font.map[200], '?');
	}
	/* 32 glyphs: no '?', so glyph 0. */
	f = psf2_8x16(32, 0);
	len = build_psf2(buf, &f, 32 * 16, NULL, 0);
	if (KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0)) {
		KTEST_EXPECT_EQ(t, font.map[31], 31);
		KTEST_EXPECT_EQ(t, font.map['A'], 0);
		KTEST_EXPECT_EQ(t, glyph_index(&font, psf_glyph(&font, 0x4000)), 0);
	}
}

/* A five-glyph PSF2 table exercising every UTF-8 length and a sequence. */
static const unsigned char utf8_table[] = {
	'A', 0xe2, 0x98, 0xba, PSF2_SEPARATOR,		/* 0: A, U+263A */
	'?', PSF2_STARTSEQ, 'B', 0xcc, 0x81, PSF2_SEPARATOR, /* 1: ?, seq */
	'B', PSF2_SEPARATOR,				/* 2: B */
	0xc3, 0xa9, PSF2_SEPARATOR,			/* 3: U+00E9 */
	0xf0, 0x9f, 0x98, 0x80, 'C', PSF2_SEPARATOR,	/* 4: U+1F600, C */
};

static void psf2_table_decodes_utf8_and_skips_sequences(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 5 * 16 + sizeof(utf8_table)];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(5, PSF2_HAS_UNICODE_TABLE);
	const char *why;
	size_t len = build_psf2(buf, &f, 5 * 16, utf8_table, sizeof(utf8_table));

	if (!KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0)) {
		printf("    # refused: %s\n", why);
		return;
	}
	KTEST_EXPECT_EQ(t, font.map['A'], 0);
	KTEST_EXPECT_EQ(t, font.map['?'], 1);
	KTEST_EXPECT_EQ(t, font.map['B'], 2);
	KTEST_EXPECT_EQ(t, font.map[U_E_ACUTE], 3);
	KTEST_EXPECT_EQ(t, font.map['C'], 4);
	KTEST_EXPECT_EQ(t, font.map['D'], 1);
	KTEST_EXPECT_EQ(t, glyph_index(&font, psf_glyph(&font, U_SMILEY)), 1);
}

static void missing_question_mark_falls_back_to_glyph_zero(struct ktest *t)
{
	static const unsigned char table[] = {
		PSF2_SEPARATOR, 'x', PSF2_SEPARATOR, 'y', PSF2_SEPARATOR,
	};
	static unsigned char buf[PSF2_HDR_SIZE + 3 * 16 + sizeof(table)];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(3, PSF2_HAS_UNICODE_TABLE);
	const char *why;
	size_t len = build_psf2(buf, &f, 3 * 16, table, sizeof(table));

	if (!KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0))
		return;
	KTEST_EXPECT_EQ(t, font.map['x'], 1);
	KTEST_EXPECT_EQ(t, font.map['y'], 2);
	KTEST_EXPECT_EQ(t, font.map['?'], 0);
	KTEST_EXPECT_EQ(t, font.map['A'], 0);
}

static void wide_glyph_rows_round_up_to_bytes(struct ktest *t)
{
	enum { W = 12, H = 10, BPR = 2, NR = 64 };
	static unsigned char buf[PSF2_HDR_SIZE + 64 + NR * BPR * H];
	static struct psf_font font;
	struct psf2_fields f = {
		.magic = PSF2_MAGIC, .headersize = PSF2_HDR_SIZE + 64,
		.length = NR, .charsize = BPR * H, .height = H, .width = W,
	};
	unsigned char *copy = NULL;
	const char *why;
	size_t len = build_psf2(buf, &f, NR * BPR * H, NULL, 0);

	if (!KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, &copy), 0))
		goto out;
	KTEST_EXPECT_EQ(t, font.bytes_per_row, BPR);
	KTEST_EXPECT_EQ(t, font.bytes_per_glyph, BPR * H);
	/* A larger header is skipped: glyphs start at headersize. */
	KTEST_EXPECT_TRUE(t, font.glyphs == copy + PSF2_HDR_SIZE + 64);
	KTEST_EXPECT_TRUE(t, psf_glyph(&font, 5) == copy + PSF2_HDR_SIZE + 64 + 5 * BPR * H);
	/* '?' is 63, the last glyph: the one a character past the font gets. */
	KTEST_EXPECT_TRUE(t, psf_glyph(&font, 200) == psf_glyph(&font, '?'));
out:
	free(copy);
}

static void truncated_header_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 256 * 16];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(256, 0);
	const char *why;

	build_psf2(buf, &f, 256 * 16, NULL, 0);
	for (size_t len = 0; len < PSF2_HDR_SIZE; len++)
		KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	build_psf1(buf, 0, 16, NULL, 0);
	for (size_t len = 0; len < PSF1_HDR_SIZE; len++)
		KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
}

static void bad_magic_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 256 * 16];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(256, 0);
	const char *why;
	size_t len;

	f.magic = PSF2_MAGIC ^ 1;
	len = build_psf2(buf, &f, 256 * 16, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "not a PSF"));
	len = build_psf1(buf, 0, 16, NULL, 0);
	buf[1] = PSF1_MAGIC1 + 1;
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
}

static void unknown_version_or_mode_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 512 * 16];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(256, 0);
	const char *why;
	size_t len;

	f.version = 1;
	len = build_psf2(buf, &f, 256 * 16, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	len = build_psf1(buf, 0x08, 16, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
}

static void glyph_table_past_end_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 256 * 16];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(256, 0);
	const char *why;
	size_t len;

	len = build_psf2(buf, &f, 256 * 16 - 1, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "glyph table"));
	len = build_psf1(buf, 0, 16, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len - 1, &font, &why, NULL), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "glyph table"));
}

static void headersize_overflow_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 256 * 16];
	static struct psf_font font;
	struct psf2_fields f;
	const char *why;
	size_t len;

	/* headersize past the file. */
	f = psf2_8x16(256, 0);
	f.headersize = PSF2_HDR_SIZE + 256 * 16 + 1;
	len = build_psf2(buf, &f, 256 * 16, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);

	f.headersize = UINT32_MAX;
	build_psf2(buf, &f, 0, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);

	f.headersize = 16;
	build_psf2(buf, &f, 0, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);

	/* nr * charsize is exactly 2^32: zero if computed in 32 bits. */
	f = psf2_8x16(0x10000, 0);
	f.charsize = 0x10000;
	build_psf2(buf, &f, 0, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, PSF2_HDR_SIZE + 16, &font, &why, NULL), -EINVAL);

	/* 2^32 - 1 bytes per glyph and many glyphs: a 64-bit sum past len. */
	f = psf2_8x16(0xffff, 0);
	f.charsize = UINT32_MAX;
	f.headersize = UINT32_MAX;
	build_psf2(buf, &f, 0, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
}

static void zero_width_or_height_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 256 * 16];
	static struct psf_font font;
	struct psf2_fields f;
	const char *why;
	size_t len;

	f = psf2_8x16(256, 0);
	f.width = 0;
	len = build_psf2(buf, &f, 256 * 16, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	f = psf2_8x16(256, 0);
	f.height = 0;
	len = build_psf2(buf, &f, 256 * 16, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	len = build_psf1(buf, 0, 0, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	f = psf2_8x16(0, 0);
	len = build_psf2(buf, &f, 0, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "no glyphs"));
}

static void oversized_glyph_is_refused(struct ktest *t)
{
	/* Room for PSF_MAX_GLYPHS + 1 one-byte glyphs, or 16 big ones. */
	static unsigned char buf[PSF2_HDR_SIZE + 2 * PSF_MAX_GLYPHS];
	static struct psf_font font;
	struct psf2_fields f;
	const char *why;
	size_t len;

	f = psf2_8x16(16, 0);
	f.width = PSF_MAX_WIDTH + 1;
	f.charsize = 9 * 16;
	len = build_psf2(buf, &f, 16 * f.charsize, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);

	f = psf2_8x16(16, 0);
	f.height = PSF_MAX_HEIGHT + 1;
	f.charsize = PSF_MAX_HEIGHT + 1;
	len = build_psf2(buf, &f, 16 * f.charsize, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);

	len = build_psf1(buf, 0, PSF_MAX_HEIGHT + 1, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);

	/* The limits themselves are fine. */
	f = psf2_8x16(16, 0);
	f.width = PSF_MAX_WIDTH;
	f.height = PSF_MAX_HEIGHT;
	f.charsize = PSF_MAX_WIDTH / 8 * PSF_MAX_HEIGHT;
	len = build_psf2(buf, &f, 16 * f.charsize, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0);

	/* More glyphs than a u16 map entry can name. */
	f = psf2_8x16(PSF_MAX_GLYPHS + 1, 0);
	f.width = 1;
	f.height = 1;
	f.charsize = 1;
	len = build_psf2(buf, &f, PSF_MAX_GLYPHS + 1, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
}

static void charsize_smaller_than_glyph_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 256 * 32];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(256, 0);
	const char *why;
	size_t len;

	/* 9 pixels wide needs 2 bytes a row, 32 a glyph. */
	f.width = 9;
	len = build_psf2(buf, &f, 256 * 32, NULL, 0);
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "charsize"));
	f.charsize = 32;
	KTEST_EXPECT_EQ(t, parse_exact(buf, build_psf2(buf, &f, 256 * 32, NULL, 0),
				&font, &why, NULL), 0);
}

/* One five-glyph PSF2 font whose table's glyph 3 entry is @bad. */
static int parse_with_entry(const unsigned char *bad, size_t bad_len,
			    const char **why)
{
	static unsigned char buf[PSF2_HDR_SIZE + 5 * 16 + 64];
	static unsigned char table[64];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(5, PSF2_HAS_UNICODE_TABLE);
	size_t n = 0;

	table[n++] = 'a';
	table[n++] = PSF2_SEPARATOR;
	table[n++] = PSF2_SEPARATOR;
	table[n++] = PSF2_SEPARATOR;
	memcpy(table + n, bad, bad_len);
	n += bad_len;
	table[n++] = PSF2_SEPARATOR;
	table[n++] = 'z';
	table[n++] = PSF2_SEPARATOR;
	return parse_exact(buf, build_psf2(buf, &f, 5 * 16, table, n), &font,
			   why, NULL);
}

static void bad_utf8_in_table_is_refused(struct ktest *t)
{
	static const struct {
		const char *what;
		unsigned char bytes[6];
		size_t len;
	} bad[] = {
		{ "lone continuation byte", { 0x80 }, 1 },
		{ "overlong NUL", { 0xc0, 0x80 }, 2 },
		{ "overlong slash", { 0xc1, 0xaf }, 2 },
		{ "overlong three-byte", { 0xe0, 0x80, 0x80 }, 3 },
		{ "overlong four-byte", { 0xf0, 0x80, 0x80, 0x80 }, 4 },
		{ "surrogate", { 0xed, 0xa0, 0x80 }, 3 },
		{ "above U+10FFFF", { 0xf4, 0x90, 0x80, 0x80 }, 4 },
		{ "lead byte 0xf5", { 0xf5, 0x80, 0x80, 0x80 }, 4 },
		{ "cut by a separator", { 0xe2, 0x82 }, 2 },
		{ "cut by an ASCII byte", { 0xc3, 'a' }, 2 },
		{ "bad char inside a sequence", { 'a', PSF2_STARTSEQ, 0x80 }, 3 },
	};
	static const unsigned char good[] = { 0xf4, 0x8f, 0xbf, 0xbf, 0xef, 0xbf, 0xbd };
	const char *why;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!KTEST_EXPECT_EQ(t, parse_with_entry(bad[i].bytes, bad[i].len, &why),
			      -EINVAL) ||
		    !KTEST_EXPECT_TRUE(t, why && strstr(why, "UTF-8")))
			printf("    # %s\n", bad[i].what);
	}
	/* U+10FFFF and U+FFFD are fine. */
	KTEST_EXPECT_EQ(t, parse_with_entry(good, sizeof(good), &why), 0);
}

static void utf8_cut_at_end_of_file_is_refused(struct ktest *t)
{
	static const unsigned char table[] = {
		PSF2_SEPARATOR, 0xe2, 0x82,
	};
	static unsigned char buf[PSF2_HDR_SIZE + 2 * 16 + sizeof(table)];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(2, PSF2_HAS_UNICODE_TABLE);
	const char *why;
	size_t len = build_psf2(buf, &f, 2 * 16, table, sizeof(table));

	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), -EINVAL);
}

static void every_prefix_of_a_font_is_refused(struct ktest *t)
{
	static unsigned char buf[PSF2_HDR_SIZE + 5 * 16 + sizeof(utf8_table)];
	static unsigned char buf1[PSF1_HDR_SIZE + 256 * 4 + 512];
	static unsigned char table1[512];
	static uint16_t v[256];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(5, PSF2_HAS_UNICODE_TABLE);
	const char *why;
	size_t len;

	len = build_psf2(buf, &f, 5 * 16, utf8_table, sizeof(utf8_table));
	KTEST_EXPECT_EQ(t, parse_exact(buf, len, &font, &why, NULL), 0);
	for (size_t n = 0; n < len; n++)
		if (!KTEST_EXPECT_EQ(t, parse_exact(buf, n, &font, &why, NULL), -EINVAL))
			printf("    # PSF2 prefix of %zu bytes accepted\n", n);

	for (size_t i = 0; i < 256; i++)
		v[i] = PSF1_SEPARATOR;
	len = build_psf1(buf1, PSF1_MODEHASTAB, 4, table1, put_u16s(table1, v, 256));
	KTEST_EXPECT_EQ(t, parse_exact(buf1, len, &font, &why, NULL), 0);
	for (size_t n = 0; n < len; n++)
		if (!KTEST_EXPECT_EQ(t, parse_exact(buf1, n, &font, &why, NULL), -EINVAL))
			printf("    # PSF1 prefix of %zu bytes accepted\n", n);
}

/*
 * Set each PSF2 header byte to a few hostile values. An accepted font must
 * describe glyphs that lie inside the buffer (every glyph of every mapped
 * character is read, so ASan checks it); a refused one must say why.
 */
static void corrupted_header_never_points_outside(struct ktest *t)
{
	static const unsigned char values[] = { 0x00, 0x01, 0x07, 0x20, 0x40, 0x80, 0xff };
	static unsigned char buf[PSF2_HDR_SIZE + 5 * 16 + sizeof(utf8_table)];
	static struct psf_font font;
	struct psf2_fields f = psf2_8x16(5, PSF2_HAS_UNICODE_TABLE);
	size_t len = build_psf2(buf, &f, 5 * 16, utf8_table, sizeof(utf8_table));
	unsigned int accepted = 0;

	for (size_t i = 0; i < PSF2_HDR_SIZE; i++) {
		unsigned char saved = buf[i];

		for (size_t k = 0; k < sizeof(values); k++) {
			unsigned char *copy;
			const char *why;
			unsigned int sum = 0;

			buf[i] = values[k];
			if (parse_exact(buf, len, &font, &why, &copy)) {
				KTEST_EXPECT_TRUE(t, why != NULL);
				free(copy);
				continue;
			}
			accepted++;
			for (uint32_t c = 0; c < PSF_MAP_SIZE; c++) {
				const uint8_t *g = psf_glyph(&font, c);

				KTEST_EXPECT_TRUE(t, g >= copy &&
					 g + font.bytes_per_glyph <= copy + len);
				for (uint32_t b = 0; b < font.bytes_per_glyph; b++)
					sum += g[b];
			}
			(void)sum;
			free(copy);
		}
		buf[i] = saved;
	}
	KTEST_EXPECT_TRUE(t, accepted > 0);
}

static void null_arguments_are_refused(struct ktest *t)
{
	static unsigned char buf[PSF1_HDR_SIZE + 256 * 16];
	static struct psf_font font;
	const char *why = NULL;
	size_t len = build_psf1(buf, 0, 16, NULL, 0);

	KTEST_EXPECT_EQ(t, psf_parse(NULL, len, &font, &why), -EINVAL);
	KTEST_EXPECT_EQ(t, psf_parse(buf, len, NULL, &why), -EINVAL);
	/* @why is optional. */
	KTEST_EXPECT_EQ(t, psf_parse(buf, len, &font, NULL), 0);
	KTEST_EXPECT_EQ(t, psf_parse(buf, 3, &font, NULL), -EINVAL);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(real_debian_font_maps_through_its_unicode_table),
	KTEST_CASE(real_debian_psf2_font_parses),
	KTEST_CASE(psf1_without_table_maps_identity),
	KTEST_CASE(psf1_512_mode_has_512_glyphs),
	KTEST_CASE(psf1_table_maps_characters_and_skips_sequences),
	KTEST_CASE(psf1_truncated_table_is_refused),
	KTEST_CASE(psf2_without_table_maps_identity),
	KTEST_CASE(small_font_maps_missing_characters_to_question_or_zero),
	KTEST_CASE(psf2_table_decodes_utf8_and_skips_sequences),
	KTEST_CASE(missing_question_mark_falls_back_to_glyph_zero),
	KTEST_CASE(wide_glyph_rows_round_up_to_bytes),
	KTEST_CASE(truncated_header_is_refused),
	KTEST_CASE(bad_magic_is_refused),
	KTEST_CASE(unknown_version_or_mode_is_refused),
	KTEST_CASE(glyph_table_past_end_is_refused),
	KTEST_CASE(headersize_overflow_is_refused),
	KTEST_CASE(zero_width_or_height_is_refused),
	KTEST_CASE(oversized_glyph_is_refused),
	KTEST_CASE(charsize_smaller_than_glyph_is_refused),
	KTEST_CASE(bad_utf8_in_table_is_refused),
	KTEST_CASE(utf8_cut_at_end_of_file_is_refused),
	KTEST_CASE(every_prefix_of_a_font_is_refused),
	KTEST_CASE(corrupted_header_never_points_outside),
	KTEST_CASE(null_arguments_are_refused),
};

int main(void)
{
	return host_main("psf", cases, ARRAY_SIZE(cases));
}
