// SPDX-License-Identifier: MIT
/*
 * PC Screen Font parser (see include/xcall/psf.h).
 *
 * It owns checking a PSF1 or PSF2 file and building the table from
 * character to glyph. Where the file came from (a Multiboot2 module) and
 * how a glyph is drawn (the framebuffer console) are other files' jobs.
 *
 * The file is input, not truth: every header field is checked against the
 * buffer length before anything it points at is read, the glyph table's
 * size is checked by division so no product can wrap, and the Unicode
 * table is walked with a bound on every step.
 *
 * File formats, as the Linux console tools (kbd) write them:
 *   PSF1: 2 magic bytes, mode, charsize (glyph height, width is 8); 256 or
 *         512 glyphs; then, with a table, one entry per glyph: UCS-2
 *         little-endian code points, 0xfffe starting a sequence, 0xffff
 *         ending the entry.
 *   PSF2: a 32-byte little-endian header (magic, version, headersize,
 *         flags, length, charsize, height, width), glyphs at headersize;
 *         then, with a table, one entry per glyph: UTF-8 characters, 0xfe
 *         starting a sequence, 0xff ending the entry.
 * Sequences (a base character and its combining marks drawn as one glyph)
 * are skipped: the console draws single characters only.
 */
#include <xcall/compiler.h>
#include <xcall/errno.h>
#include <xcall/psf.h>
#include <xcall/string.h>

#define PSF1_HEADER_SIZE	4
#define PSF1_WIDTH		8
#define PSF1_NR_GLYPHS		256
#define PSF1_NR_GLYPHS_512	512
#define PSF1_MODE_KNOWN		(PSF1_MODE512 | PSF1_MODEHASTAB | PSF1_MODESEQ)

#define PSF2_HEADER_SIZE	32
#define PSF2_MAX_VERSION	0

/* PSF2 header fields, as byte offsets: each a little-endian u32. */
#define PSF2_OFF_MAGIC		0
#define PSF2_OFF_VERSION	4
#define PSF2_OFF_HEADERSIZE	8
#define PSF2_OFF_FLAGS		12
#define PSF2_OFF_LENGTH		16
#define PSF2_OFF_CHARSIZE	20
#define PSF2_OFF_HEIGHT		24
#define PSF2_OFF_WIDTH		28

/* UTF-8 (RFC 3629): the largest code point and the surrogate hole. */
#define UTF8_MAX_CODE_POINT	0x10ffff
#define UTF8_SURROGATE_FIRST	0xd800
#define UTF8_SURROGATE_LAST	0xdfff

#define BITS_PER_U64		64

/* Which entries of font->map the Unicode table has set. */
struct psf_map_seen {
	u64 bits[PSF_MAP_SIZE / BITS_PER_U64];
};

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

static u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | (p[1] << 8));
}

static u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* The first glyph a table lists for a character is the one drawn. */
static void map_set(struct psf_font *font, struct psf_map_seen *seen,
		    u32 c, u32 glyph)
{
	u64 bit;

	if (c >= PSF_MAP_SIZE)
		return;
	bit = 1ull << (c % BITS_PER_U64);
	if (seen->bits[c / BITS_PER_U64] & bit)
		return;
	seen->bits[c / BITS_PER_U64] |= bit;
	font->map[c] = (u16)glyph;
}

/* Every character the table did not name gets the '?' glyph, or glyph 0. */
static void map_finish(struct psf_font *font, const struct psf_map_seen *seen)
{
	u16 fallback = 0;
	u32 c;

	if (seen->bits['?' / BITS_PER_U64] & (1ull << ('?' % BITS_PER_U64)))
		fallback = font->map['?'];
	for (c = 0; c < PSF_MAP_SIZE; c++) {
		if (!(seen->bits[c / BITS_PER_U64] & (1ull << (c % BITS_PER_U64))))
			font->map[c] = fallback;
	}
}

/* Without a Unicode table, glyph i is character i. */
static void map_identity(struct psf_font *font, struct psf_map_seen *seen)
{
	u32 c;

	for (c = 0; c < PSF_MAP_SIZE && c < font->nr_glyphs; c++)
		map_set(font, seen, c, c);
}

/*
 * Decode one UTF-8 character at *p, strictly: no overlong forms, no
 * surrogates, nothing above U+10FFFF, and no byte read at or past @end.
 * Advances *p past it and returns true, or returns false.
 */
static bool utf8_decode(const u8 **p, const u8 *end, u32 *cp)
{
	const u8 *s = *p;
	u32 c, min_cp;
	size_t more, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		*p = s + 1;
		return true;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		more = 1;
		c = s[0] & 0x1f;
		min_cp = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		more = 2;
		c = s[0] & 0x0f;
		min_cp = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		more = 3;
		c = s[0] & 0x07;
		min_cp = 0x10000;
	} else {
		/* A stray continuation byte, 0xc0/0xc1, or 0xf5 and up. */
		return false;
	}
	if ((size_t)(end - s) <= more)
		return false;
	for (i = 1; i <= more; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return false;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min_cp || c > UTF8_MAX_CODE_POINT ||
	    (c >= UTF8_SURROGATE_FIRST && c <= UTF8_SURROGATE_LAST))
		return false;
	*cp = c;
	*p = s + 1 + more;
	return true;
}

static int psf1_table(struct psf_font *font, struct psf_map_seen *seen,
		      const u8 *p, const u8 *end, const char **why)
{
	u32 glyph;

	for (glyph = 0; glyph < font->nr_glyphs; glyph++) {
		bool in_seq = false;

		for (;;) {
			u16 v;

			if (end - p < 2)
				return refuse(why, "Unicode table ends early");
			v = get_le16(p);
			p += 2;
			if (v == PSF1_SEPARATOR)
				break;
			if (v == PSF1_STARTSEQ)
				in_seq = true;
			else if (!in_seq)
				map_set(font, seen, v, glyph);
		}
	}
	return 0;
}

static int psf2_table(struct psf_font *font, struct psf_map_seen *seen,
		      const u8 *p, const u8 *end, const char **why)
{
	u32 glyph;

	for (glyph = 0; glyph < font->nr_glyphs; glyph++) {
		bool in_seq = false;

		for (;;) {
			u32 c;

			if (p == end)
				return refuse(why, "Unicode table ends early");
			if (*p == PSF2_SEPARATOR) {
				p++;
				break;
			}
			if (*p == PSF2_STARTSEQ) {
				p++;
				in_seq = true;
				continue;
			}
			/* Sequences are UTF-8 too: check them, do not map. */
			if (!utf8_decode(&p, end, &c))
				return refuse(why, "bad UTF-8 in the Unicode table");
			if (!in_seq)
				map_set(font, seen, c, glyph);
		}
	}
	return 0;
}

static int psf1_parse(const u8 *data, size_t len, struct psf_font *font,
		      const char **why)
{
	u8 mode, charsize;
	size_t glyph_bytes;
	struct psf_map_seen seen = { { 0 } };
	int err;

	if (len < PSF1_HEADER_SIZE)
		return refuse(why, "PSF1 header truncated");
	mode = data[2];
	charsize = data[3];
	if (mode & ~PSF1_MODE_KNOWN)
		return refuse(why, "unknown PSF1 mode bits");
	if (charsize == 0)
		return refuse(why, "zero glyph height");
	if (charsize > PSF_MAX_HEIGHT)
		return refuse(why, "glyph taller than PSF_MAX_HEIGHT");

	font->width = PSF1_WIDTH;
	font->height = charsize;
	font->bytes_per_row = 1;
	font->bytes_per_glyph = charsize;
	font->nr_glyphs = (mode & PSF1_MODE512) ? PSF1_NR_GLYPHS_512 :
						  PSF1_NR_GLYPHS;
	/* At most 512 * 64 bytes: no overflow to fear. */
	glyph_bytes = (size_t)font->nr_glyphs * charsize;
	if (glyph_bytes > len - PSF1_HEADER_SIZE)
		return refuse(why, "glyph table runs past the end");
	font->glyphs = data + PSF1_HEADER_SIZE;

	if (mode & (PSF1_MODEHASTAB | PSF1_MODESEQ)) {
		err = psf1_table(font, &seen, font->glyphs + glyph_bytes,
				 data + len, why);
		if (err)
			return err;
	} else {
		map_identity(font, &seen);
	}
	map_finish(font, &seen);
	return 0;
}

static int psf2_parse(const u8 *data, size_t len, struct psf_font *font,
		      const char **why)
{
	u32 headersize, flags, nr, charsize, height, width;
	struct psf_map_seen seen = { { 0 } };
	size_t glyph_bytes;
	int err;

	if (len < PSF2_HEADER_SIZE)
		return refuse(why, "PSF2 header truncated");
	if (get_le32(data + PSF2_OFF_VERSION) > PSF2_MAX_VERSION)
		return refuse(why, "unknown PSF2 version");
	headersize = get_le32(data + PSF2_OFF_HEADERSIZE);
	flags = get_le32(data + PSF2_OFF_FLAGS);
	nr = get_le32(data + PSF2_OFF_LENGTH);
	charsize = get_le32(data + PSF2_OFF_CHARSIZE);
	height = get_le32(data + PSF2_OFF_HEIGHT);
	width = get_le32(data + PSF2_OFF_WIDTH);

	if (headersize < PSF2_HEADER_SIZE)
		return refuse(why, "PSF2 headersize below 32");
	if (headersize > len)
		return refuse(why, "PSF2 header runs past the end");
	if (width == 0 || height == 0)
		return refuse(why, "zero glyph width or height");
	if (width > PSF_MAX_WIDTH || height > PSF_MAX_HEIGHT)
		return refuse(why, "glyph larger than PSF_MAX_WIDTH x PSF_MAX_HEIGHT");

	font->width = width;
	font->height = height;
	font->bytes_per_row = DIV_ROUND_UP(width, 8);
	/* A glyph's stride may have padding, never fewer bytes than drawn. */
	if (charsize < font->bytes_per_row * height)
		return refuse(why, "charsize too small for width and height");
	font->bytes_per_glyph = charsize;
	if (nr == 0)
		return refuse(why, "font has no glyphs");
	if (nr > PSF_MAX_GLYPHS)
		return refuse(why, "more glyphs than the map can index");
	font->nr_glyphs = nr;

	/* Divide rather than multiply: headersize + nr * charsize may wrap. */
	if (nr > (len - headersize) / charsize)
		return refuse(why, "glyph table runs past the end");
	glyph_bytes = (size_t)nr * charsize;
	font->glyphs = data + headersize;

	if (flags & PSF2_HAS_UNICODE_TABLE) {
		err = psf2_table(font, &seen, font->glyphs + glyph_bytes,
				 data + len, why);
		if (err)
			return err;
	} else {
		map_identity(font, &seen);
	}
	map_finish(font, &seen);
	return 0;
}

/**
 * psf_parse() - check a font and describe it
 * @data: the font file, uncompressed
 * @len: its length
 * @font: filled on success
 * @why: on failure, a static string naming what is wrong (may be NULL)
 *
 * Bytes after the last Unicode table entry are ignored. A character that
 * the table lists for several glyphs gets the first.
 *
 * Context: any; reads only @data.
 * Return: 0, or -EINVAL for a NULL argument, a bad magic, an unknown
 * version or mode, a header or glyph table that runs past @len, a zero or
 * oversized glyph, more than PSF_MAX_GLYPHS glyphs, or a broken Unicode
 * table (truncated, or bad UTF-8).
 */
int psf_parse(const void *data, size_t len, struct psf_font *font,
	      const char **why)
{
	const u8 *d = data;
	const char *unused_why;

	if (!why)
		why = &unused_why;
	if (!data || !font)
		return refuse(why, "NULL argument");
	memset(font, 0, sizeof(*font));

	if (len >= 2 && d[0] == PSF1_MAGIC0 && d[1] == PSF1_MAGIC1)
		return psf1_parse(d, len, font, why);
	if (len >= sizeof(u32) && get_le32(d + PSF2_OFF_MAGIC) == PSF2_MAGIC)
		return psf2_parse(d, len, font, why);
	return refuse(why, "not a PSF1 or PSF2 font");
}

/**
 * psf_glyph() - the bitmap for a character
 * @font: a font psf_parse() accepted
 * @c: the character; one that is not in the font, or not below
 *     PSF_MAP_SIZE, gets the glyph of '?', or glyph 0 if there is no '?'
 *
 * Context: any.
 * Return: the glyph, height rows of bytes_per_row bytes, most significant
 * bit leftmost.
 */
const u8 *psf_glyph(const struct psf_font *font, u32 c)
{
	u32 glyph = c < PSF_MAP_SIZE ? font->map[c] : font->map['?'];

	/* psf_parse() only stores indexes below nr_glyphs; stay safe anyway. */
	if (glyph >= font->nr_glyphs)
		glyph = 0;
	return font->glyphs + (size_t)glyph * font->bytes_per_glyph;
}
