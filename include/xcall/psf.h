/* SPDX-License-Identifier: MIT */
/*
 * PC Screen Font parser (lib/psf.c), for the framebuffer console.
 *
 * Reads PSF1 (magic 0x36 0x04) and PSF2 (magic 0x72b54a86) fonts as
 * Linux's console tools write them, including the Unicode table that maps
 * characters to glyphs. A font's glyph order is its own: Debian's
 * console-setup fonts keep printable ASCII at its own index but put symbols
 * and box drawing in the control-character slots and Latin-1 anywhere
 * (Lat15-VGA16 has U+00E9 at glyph 130), so the table is what says which
 * glyph is which. Every offset and size is checked against the buffer
 * before use.
 */
#ifndef XCALL_PSF_H
#define XCALL_PSF_H

#include <xcall/types.h>

#define PSF1_MAGIC0		0x36
#define PSF1_MAGIC1		0x04
#define PSF1_MODE512		0x01	/* 512 glyphs instead of 256 */
#define PSF1_MODEHASTAB		0x02	/* a Unicode table follows */
#define PSF1_MODESEQ		0x04	/* the table has sequences */
#define PSF1_SEPARATOR		0xffff
#define PSF1_STARTSEQ		0xfffe

#define PSF2_MAGIC		0x864ab572u	/* bytes 72 b5 4a 86, little-endian */
#define PSF2_HAS_UNICODE_TABLE	0x01
#define PSF2_SEPARATOR		0xff
#define PSF2_STARTSEQ		0xfe

/* Glyphs larger than this are refused: the console draws from a stack
 * buffer-free loop, but a 4096x4096 "glyph" is a lie, not a font. */
#define PSF_MAX_WIDTH		64
#define PSF_MAX_HEIGHT		64

/* Characters below this get a direct map; the console prints ASCII only. */
#define PSF_MAP_SIZE		256

/* The map holds u16 glyph indexes, so a font may have at most this many. */
#define PSF_MAX_GLYPHS		65536

struct psf_font {
	u32 width;		/* pixels */
	u32 height;		/* pixels */
	u32 bytes_per_row;	/* (width + 7) / 8 */
	u32 bytes_per_glyph;
	u32 nr_glyphs;
	const u8 *glyphs;	/* inside the caller's buffer */
	/* glyph index for each character below PSF_MAP_SIZE; without a
	 * Unicode table, the identity */
	u16 map[PSF_MAP_SIZE];
};

/**
 * psf_parse() - check a font and describe it
 * @data: the font file, uncompressed
 * @len: its length
 * @font: filled on success
 * @why: on failure, a static string naming what is wrong; may be NULL
 *
 * Context: any; reads only @data.
 * Return: 0, or -EINVAL for a bad magic, an unknown PSF2 version or PSF1
 * mode bit, a header or glyph table that runs past @len, a zero or
 * oversized glyph, a PSF2 charsize smaller than height * bytes_per_row,
 * no glyphs or more than PSF_MAX_GLYPHS, or a broken Unicode table
 * (truncated before every glyph has its entry, or bad UTF-8).
 */
int psf_parse(const void *data, size_t len, struct psf_font *font,
	      const char **why);

/**
 * psf_glyph() - the bitmap for a character
 * @font: a font psf_parse() accepted
 * @c: the character; one that is not in the font gets the glyph of '?',
 *     or glyph 0 if there is no '?'
 *
 * Context: any; reads only @font and its data.
 * Return: the glyph, height rows of bytes_per_row bytes, most significant
 * bit leftmost.
 */
const u8 *psf_glyph(const struct psf_font *font, u32 c);

#endif /* XCALL_PSF_H */
