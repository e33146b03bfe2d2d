/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer console's pure half (lib/fbtext.c): the grid of
 * character cells, its cursor and jump scroll, which cells must be
 * redrawn, the checks on the framebuffer the loader describes, colour
 * packing and glyph drawing into a pixel buffer. No kernel state and no
 * hardware here, so the host tests run all of it under ASan and UBSan;
 * kernel/fbcon.c owns the framebuffer, the font and the console.
 *
 * Two arrays of cells: @cells is what the screen should show, @shown is
 * what was last drawn. Writing changes @cells only; fbtext_flush() draws
 * the cells where the two differ and copies them over. The screen itself
 * is never read back: reads of write-combining or uncached memory are
 * very slow on real hardware.
 *
 * Concurrency: none. The caller serialises every call on one struct
 * fbtext (the console's callers hold printk's lock). Should that break
 * (printk's lock is ignored after a panic), the cursor is re-checked on
 * every step, so a race garbles the text but never writes outside the
 * arrays.
 */
#ifndef XCALL_FBTEXT_H
#define XCALL_FBTEXT_H

#include <xcall/multiboot2.h>
#include <xcall/types.h>

/* What a line is, decided when it starts; the drawing side picks the
 * colours. */
enum fbtext_colour {
	FBTEXT_NORMAL,		/* light grey */
	FBTEXT_GOOD,		/* a KTAP "ok" line: green */
	FBTEXT_BAD,		/* "not ok", FAIL, panic: red */
	FBTEXT_NR_COLOURS,
};

/* A cell: the character in the low byte, its colour class above. */
typedef u16 fbtext_cell;

#define FBTEXT_CELL_CHAR_BITS	8
#define FBTEXT_CELL_CHAR_MASK	0xffu
#define FBTEXT_CELL(ch, colour)	\
	((fbtext_cell)((u8)(ch) | (unsigned int)(colour) << FBTEXT_CELL_CHAR_BITS))
#define FBTEXT_CELL_CHAR(cell)		((char)((cell) & FBTEXT_CELL_CHAR_MASK))
#define FBTEXT_CELL_COLOUR(cell)	((unsigned int)(cell) >> FBTEXT_CELL_CHAR_BITS)
/* Blanks carry no colour, so a blank on a green line and one on a grey
 * line compare equal and neither is redrawn over the other. */
#define FBTEXT_BLANK		FBTEXT_CELL(' ', FBTEXT_NORMAL)

/* '\t' moves to the next multiple of this column, as on a terminal. */
#define FBTEXT_TAB_STOP		8
/* When the cursor passes the last row, the text moves up by this
 * fraction of the screen at once (jump scroll): one redraw per quarter
 * screen of output instead of one per line. */
#define FBTEXT_SCROLL_DIVISOR	4

/*
 * A grid larger than this is a lie from the loader, not a screen: an
 * 8K display (7680x4320) in an 8x16 font is 960 x 270 = 259,200 cells.
 */
#define FBTEXT_MAX_CELLS	(1u << 20)

struct fbtext {
	fbtext_cell *cells;	/* what the screen should show, rows * cols */
	fbtext_cell *shown;	/* what was drawn last, rows * cols */
	u32 cols, rows;
	u32 row, col;		/* the next character's cell; col == cols
				 * means the line is full and the next
				 * character wraps first */
	u32 scroll_rows;	/* how far one jump scroll moves */
	u32 dirty_first;	/* rows [dirty_first, dirty_end) may differ */
	u32 dirty_end;		/* from @shown; empty when equal */
	u8 colour;		/* enum fbtext_colour of the current line */
	bool line_start;	/* the next character starts a line */
	u64 nr_scrolls;		/* jump scrolls so far, for tests */
};

/**
 * fbtext_init() - set up an empty grid
 * @t: the grid
 * @cells: rows * cols cells for the text
 * @shown: rows * cols cells for what is on the screen
 * @cols: columns, at least 1
 * @rows: rows, at least 1
 *
 * Both arrays are filled with blanks: the caller clears the screen to
 * match before its first fbtext_flush().
 *
 * Context: any.
 * Return: 0, or -EINVAL for a NULL array, no columns or rows, or more
 * than FBTEXT_MAX_CELLS cells.
 */
int fbtext_init(struct fbtext *t, fbtext_cell *cells, fbtext_cell *shown,
		u32 cols, u32 rows);

/**
 * fbtext_write() - put text into the grid
 * @t: the grid
 * @s: the text; need not be terminated
 * @len: its length
 *
 * '\n' starts a new line, '\r' returns to column 0, '\t' fills with
 * blanks up to the next multiple of FBTEXT_TAB_STOP, '\b' moves back one
 * column without erasing; other control characters and bytes above 0x7e
 * show as '?' (the console prints ASCII). A line longer than the screen
 * wraps. When a new line would start below the last row, the text jumps
 * up by scroll_rows and the rows freed at the bottom are blank.
 *
 * The colour of a line is decided when its first character arrives, from
 * the rest of the line in @s (see fbtext_line_colour()).
 *
 * Context: any; the caller serialises calls on @t.
 */
void fbtext_write(struct fbtext *t, const char *s, size_t len);

/**
 * fbtext_set_line() - replace one row with a line, in a given colour
 * @t: the grid
 * @row: the row, from 0; a row off the grid changes nothing
 * @s: the line; need not be terminated, and ends at the first '\n'
 * @len: its length
 * @colour: the colour of every non-blank character
 *
 * For a line that is rewritten in place rather than printed below the
 * last (a status line): the row shows the first cols characters of @s,
 * then blanks; characters the console does not print show as '?'. The
 * cursor does not move, and nothing scrolls.
 *
 * Context: any; the caller serialises calls on @t.
 */
void fbtext_set_line(struct fbtext *t, u32 row, const char *s, size_t len,
		     enum fbtext_colour colour);

/* Draws one cell on the screen; see fbtext_flush(). */
typedef void (*fbtext_draw_fn)(void *ctx, u32 row, u32 col, fbtext_cell cell);

/**
 * fbtext_flush() - draw what changed since the last flush
 * @t: the grid
 * @draw: called once for each cell that differs from what is shown,
 *        row by row, left to right
 * @ctx: passed to @draw
 *
 * Context: any; the caller serialises calls on @t.
 * Return: the number of cells drawn.
 */
size_t fbtext_flush(struct fbtext *t, fbtext_draw_fn draw, void *ctx);

/**
 * fbtext_line_colour() - the colour class of a line
 * @s: the line, from its first character
 * @len: how much of it there is; the line ends at the first '\n'
 *
 * Context: any.
 * Return: FBTEXT_BAD when the line contains "not ok", "FAIL" or "panic";
 * FBTEXT_GOOD when, after its indentation, it starts with the word "ok";
 * FBTEXT_NORMAL otherwise.
 */
enum fbtext_colour fbtext_line_colour(const char *s, size_t len);

/* ---- The framebuffer the loader describes ---- */

/* A framebuffer larger than this is refused: 7680x4320 at 32 bpp is
 * 127 MiB. */
#define FBTEXT_MAX_FB_BYTES	(256ull << 20)
/* No x86-64 processor has physical addresses above 52 bits (SDM vol. 3A,
 * 4.1.4: MAXPHYADDR is at most 52). */
#define FBTEXT_PHYS_LIMIT	(1ull << 52)
/* An EGA text cell is two bytes, character and attribute (Multiboot2
 * spec 3.6.12: bpp is 16 for EGA text). */
#define FBTEXT_EGA_BPP		16
#define FBTEXT_EGA_CELL_BYTES	2

/**
 * fbtext_check_rgb() - is this a direct-colour framebuffer we can draw on?
 * @fb: the loader's description, type MB2_FB_RGB
 * @why: on failure, a static string naming the broken rule
 *
 * Rules: bpp is 16, 24 or 32; each colour field has at least one bit and
 * lies inside the pixel, and no two overlap; width and height are non-zero;
 * pitch >= width * bytes per pixel; pitch * height <= FBTEXT_MAX_FB_BYTES;
 * the address is non-zero, the whole buffer lies below FBTEXT_PHYS_LIMIT,
 * and for 16 and 32 bpp the address and pitch are multiples of the pixel
 * size (the drawing code stores whole pixels).
 *
 * Context: any; reads only @fb.
 * Return: 0, or -EINVAL with @why set.
 */
int fbtext_check_rgb(const struct mb2_framebuffer *fb, const char **why);

/**
 * fbtext_check_ega() - is this an EGA text buffer we can write to?
 * @fb: the loader's description, type MB2_FB_EGA_TEXT; width and height
 *      count characters
 * @why: on failure, a static string naming the broken rule
 *
 * Rules: bpp is FBTEXT_EGA_BPP; width and height are non-zero and
 * width * height <= FBTEXT_MAX_CELLS; pitch >= width * 2 and even; the
 * address is non-zero, even, and the buffer lies below FBTEXT_PHYS_LIMIT.
 *
 * Context: any; reads only @fb.
 * Return: 0, or -EINVAL with @why set.
 */
int fbtext_check_ega(const struct mb2_framebuffer *fb, const char **why);

/**
 * fbtext_fb_bytes() - how many bytes the framebuffer spans
 * @fb: a framebuffer one of the checks accepted
 *
 * Context: any; reads only @fb.
 * Return: pitch * height.
 */
u64 fbtext_fb_bytes(const struct mb2_framebuffer *fb);

/**
 * fbtext_pack_rgb() - a colour in the framebuffer's pixel format
 * @fb: an RGB framebuffer fbtext_check_rgb() accepted
 * @r: red, 0-255
 * @g: green, 0-255
 * @b: blue, 0-255
 *
 * Each component keeps its top bits when its field is narrower than 8
 * bits, and is shifted up (low bits zero) when it is wider, as in a
 * 10-bit-per-channel mode.
 *
 * Context: any.
 * Return: the pixel value, in the low bpp bits.
 */
u32 fbtext_pack_rgb(const struct mb2_framebuffer *fb, u8 r, u8 g, u8 b);

/* A glyph bitmap as lib/psf.c describes it: rows of bytes, most
 * significant bit leftmost. */
struct fbtext_glyph {
	const u8 *bits;
	u32 width, height;	/* pixels */
	u32 bytes_per_row;
};

/**
 * fbtext_draw_glyph() - draw one glyph, foreground on background
 * @dst: the glyph's top-left pixel
 * @pitch: bytes from one pixel row to the next
 * @bpp: 16, 24 or 32; 16 and 32 need @dst and @pitch aligned to the
 *       pixel size
 * @glyph: the bitmap
 * @fg: the packed foreground pixel (fbtext_pack_rgb())
 * @bg: the packed background pixel
 *
 * Writes every pixel of the glyph's box exactly once and reads nothing
 * from @dst.
 *
 * Context: any; the caller serialises drawing on the same pixels.
 */
void fbtext_draw_glyph(u8 *dst, u32 pitch, u32 bpp,
		       const struct fbtext_glyph *glyph, u32 fg, u32 bg);

/**
 * format_ns_short() - a time in ns in at most a given number of characters
 * @buf: where the text goes
 * @size: its size
 * @ns: the time
 * @max_chars: the width it must fit, suffix included (at least 2)
 *
 * Written in ns with no suffix when its digits fit, else in the first of
 * us ("u"), ms ("m") and s ("s") whose digits and suffix fit, rounded
 * down: with @max_chars 6, 999999 is "999999", 150000000 "150m". Only a
 * time past the widest seconds that fit (99999 s at 6) is written
 * longer, in s. The heatmaps' cells (kernel/bench_matrix.c) use it, and
 * tools/bench_matrix.py's cell_text() follows the same rule.
 *
 * Context: any.
 * Return: the length written (as scnprintf()).
 */
size_t format_ns_short(char *buf, size_t size, u64 ns, unsigned int max_chars);

#endif /* XCALL_FBTEXT_H */
