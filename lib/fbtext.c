// SPDX-License-Identifier: MIT
/*
 * The framebuffer console's pure half (see include/xcall/fbtext.h): the
 * cell grid with its cursor, wrapping and jump scroll; the diff between
 * what the grid holds and what was drawn; the checks on the loader's
 * framebuffer; colour packing and glyph drawing.
 *
 * It leaves the framebuffer's mapping, the font module and the console
 * registration to kernel/fbcon.c, which calls in here with printk's lock
 * held.
 *
 * Every store into a cell array goes through put_cell(), which checks the
 * row and column against the grid, so a cursor that a broken lock let two
 * CPUs race on can garble the screen but never write past the arrays.
 */
#include <xcall/compiler.h>
#include <xcall/errno.h>
#include <xcall/fbtext.h>
#include <xcall/format.h>
#include <xcall/string.h>

/* Printable ASCII: what the console draws as itself. */
#define ASCII_FIRST_PRINTABLE	0x20
#define ASCII_LAST_PRINTABLE	0x7e
/* What the console draws for a character it will not print. */
#define REPLACEMENT_CHAR	'?'

#define BITS_PER_BYTE		8
/* The one pixel size whose pixels are not naturally aligned words. */
#define BYTES_PER_PIXEL_24	3
/* Bit 7 of a glyph byte is the leftmost pixel (PSF, as lib/psf.c says). */
#define GLYPH_LEFT_BIT		0x80u

/* ---- The grid ---- */

static size_t cell_index(const struct fbtext *t, u32 row, u32 col)
{
	return (size_t)row * t->cols + col;
}

static void mark_dirty(struct fbtext *t, u32 first, u32 end)
{
	if (t->dirty_first >= t->dirty_end) {
		t->dirty_first = first;
		t->dirty_end = end;
		return;
	}
	t->dirty_first = min(t->dirty_first, first);
	t->dirty_end = max(t->dirty_end, end);
}

static void put_cell(struct fbtext *t, u32 row, u32 col, fbtext_cell cell)
{
	if (row >= t->rows || col >= t->cols)
		return;
	t->cells[cell_index(t, row, col)] = cell;
	mark_dirty(t, row, row + 1);
}

static void fill_blank(fbtext_cell *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cells[i] = FBTEXT_BLANK;
}

int fbtext_init(struct fbtext *t, fbtext_cell *cells, fbtext_cell *shown,
		u32 cols, u32 rows)
{
	if (!t || !cells || !shown || cols == 0 || rows == 0)
		return -EINVAL;
	/* Divide rather than multiply: cols * rows may not fit in 32 bits. */
	if (cols > FBTEXT_MAX_CELLS / rows)
		return -EINVAL;

	memset(t, 0, sizeof(*t));
	t->cells = cells;
	t->shown = shown;
	t->cols = cols;
	t->rows = rows;
	t->scroll_rows = max(rows / FBTEXT_SCROLL_DIVISOR, 1u);
	t->colour = FBTEXT_NORMAL;
	t->line_start = true;
	fill_blank(cells, (size_t)cols * rows);
	fill_blank(shown, (size_t)cols * rows);
	return 0;
}

/*
 * Move the text up by scroll_rows and blank the rows freed at the bottom.
 * Every row may now differ from the screen; fbtext_flush() finds out
 * which cells really do (the blanks right of short lines mostly do not).
 */
static void jump_scroll(struct fbtext *t)
{
	u32 keep = t->rows - t->scroll_rows;

	memmove(t->cells, t->cells + cell_index(t, t->scroll_rows, 0),
		(size_t)keep * t->cols * sizeof(fbtext_cell));
	fill_blank(t->cells + cell_index(t, keep, 0),
		   (size_t)t->scroll_rows * t->cols);
	t->row = keep;
	t->nr_scrolls++;
	mark_dirty(t, 0, t->rows);
}

/*
 * The cursor goes to the start of the next row. The rows below the cursor
 * are always blank (they start blank, and a scroll blanks the rows it
 * frees), so the new row needs no clearing.
 */
static void new_line(struct fbtext *t)
{
	t->col = 0;
	if (t->row + 1 < t->rows)
		t->row++;
	else
		jump_scroll(t);
}

static void put_char(struct fbtext *t, char ch)
{
	unsigned int colour = ch == ' ' ? FBTEXT_NORMAL : t->colour;

	/* A full line wraps only when there is more to put on it, so a
	 * line exactly as wide as the screen, then '\n', takes one row. */
	if (t->col >= t->cols)
		new_line(t);
	put_cell(t, t->row, t->col, FBTEXT_CELL(ch, colour));
	t->col++;
}

static void put_tab(struct fbtext *t)
{
	put_char(t, ' ');
	while (t->col % FBTEXT_TAB_STOP && t->col < t->cols)
		put_char(t, ' ');
}

void fbtext_write(struct fbtext *t, const char *s, size_t len)
{
	if (t->rows == 0 || t->cols == 0)
		return;		/* never initialised */
	/* Only a race after a panic can break these; repair, do not trust. */
	if (t->row >= t->rows)
		t->row = t->rows - 1;
	if (t->col > t->cols)
		t->col = t->cols;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (t->line_start && c != '\n') {
			t->colour = fbtext_line_colour(s + i, len - i);
			t->line_start = false;
		}
		switch (c) {
		case '\n':
			new_line(t);
			t->line_start = true;
			break;
		case '\r':
			t->col = 0;
			break;
		case '\t':
			put_tab(t);
			break;
		case '\b':
			if (t->col > 0)
				t->col = min(t->col, t->cols) - 1;
			break;
		default:
			if (c >= ASCII_FIRST_PRINTABLE && c <= ASCII_LAST_PRINTABLE)
				put_char(t, c);
			else
				put_char(t, REPLACEMENT_CHAR);
			break;
		}
	}
}

void fbtext_set_line(struct fbtext *t, u32 row, const char *s, size_t len,
		     enum fbtext_colour colour)
{
	size_t n = 0;

	if (row >= t->rows || (unsigned int)colour >= FBTEXT_NR_COLOURS)
		return;
	while (n < len && s[n] != '\n')
		n++;
	for (u32 col = 0; col < t->cols; col++) {
		char c = col < n ? s[col] : ' ';

		if (c < ASCII_FIRST_PRINTABLE || c > ASCII_LAST_PRINTABLE)
			c = REPLACEMENT_CHAR;
		put_cell(t, row, col, c == ' ' ? FBTEXT_BLANK : FBTEXT_CELL(c, colour));
	}
}

size_t fbtext_flush(struct fbtext *t, fbtext_draw_fn draw, void *ctx)
{
	u32 end = min(t->dirty_end, t->rows);
	size_t drawn = 0;

	for (u32 r = t->dirty_first; r < end; r++) {
		const fbtext_cell *want = t->cells + cell_index(t, r, 0);
		fbtext_cell *have = t->shown + cell_index(t, r, 0);

		for (u32 c = 0; c < t->cols; c++) {
			fbtext_cell cell = want[c];

			if (cell == have[c])
				continue;
			draw(ctx, r, c, cell);
			have[c] = cell;
			drawn++;
		}
	}
	t->dirty_first = 0;
	t->dirty_end = 0;
	return drawn;
}

static bool contains(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(s + i, word, n))
			return true;
	return false;
}

enum fbtext_colour fbtext_line_colour(const char *s, size_t len)
{
	size_t n = 0, i = 0;

	while (n < len && s[n] != '\n')
		n++;
	if (contains(s, n, "not ok") || contains(s, n, "FAIL") ||
	    contains(s, n, "panic"))
		return FBTEXT_BAD;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	/* "ok" as a word: KTAP's "ok 3 name", not "okay". */
	if (n - i >= 2 && s[i] == 'o' && s[i + 1] == 'k' &&
	    (n - i == 2 || s[i + 2] == ' '))
		return FBTEXT_GOOD;
	return FBTEXT_NORMAL;
}

/* ---- The framebuffer ---- */

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

u64 fbtext_fb_bytes(const struct mb2_framebuffer *fb)
{
	/* Both are 32-bit: the product fits in 64. */
	return (u64)fb->pitch * fb->height;
}

/* Where the buffer lies: checks shared by both kinds of framebuffer. */
static int check_placement(const struct mb2_framebuffer *fb, const char **why)
{
	u64 size = fbtext_fb_bytes(fb);

	if (size > FBTEXT_MAX_FB_BYTES)
		return refuse(why, "pitch * height larger than FBTEXT_MAX_FB_BYTES");
	if (fb->addr == 0)
		return refuse(why, "address is zero");
	if (fb->addr >= FBTEXT_PHYS_LIMIT || size > FBTEXT_PHYS_LIMIT - fb->addr)
		return refuse(why, "buffer runs past 52-bit physical addresses");
	return 0;
}

static u64 field_mask(u8 pos, u8 size)
{
	/* size + pos <= 32 is checked first: the shifts stay in range. */
	return (((u64)1 << size) - 1) << pos;
}

int fbtext_check_rgb(const struct mb2_framebuffer *fb, const char **why)
{
	const u8 pos[] = { fb->red_pos, fb->green_pos, fb->blue_pos };
	const u8 size[] = { fb->red_size, fb->green_size, fb->blue_size };
	u64 used = 0;
	u32 bytes_per_pixel;

	if (fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
		return refuse(why, "bits per pixel not 16, 24 or 32");
	for (size_t i = 0; i < ARRAY_SIZE(pos); i++) {
		u64 mask;

		if (size[i] == 0)
			return refuse(why, "a colour field has no bits");
		if ((u32)pos[i] + size[i] > fb->bpp)
			return refuse(why, "a colour field lies outside the pixel");
		mask = field_mask(pos[i], size[i]);
		if (used & mask)
			return refuse(why, "colour fields overlap");
		used |= mask;
	}
	if (fb->width == 0 || fb->height == 0)
		return refuse(why, "zero width or height");
	bytes_per_pixel = fb->bpp / BITS_PER_BYTE;
	if ((u64)fb->width * bytes_per_pixel > fb->pitch)
		return refuse(why, "pitch shorter than a line of pixels");
	if (bytes_per_pixel != BYTES_PER_PIXEL_24 &&
	    (fb->addr % bytes_per_pixel || fb->pitch % bytes_per_pixel))
		return refuse(why, "address or pitch not a multiple of the pixel size");
	return check_placement(fb, why);
}

int fbtext_check_ega(const struct mb2_framebuffer *fb, const char **why)
{
	if (fb->bpp != FBTEXT_EGA_BPP)
		return refuse(why, "EGA text with bits per cell other than 16");
	if (fb->width == 0 || fb->height == 0)
		return refuse(why, "zero width or height");
	if (fb->width > FBTEXT_MAX_CELLS / fb->height)
		return refuse(why, "more than FBTEXT_MAX_CELLS characters");
	if ((u64)fb->width * FBTEXT_EGA_CELL_BYTES > fb->pitch)
		return refuse(why, "pitch shorter than a line of characters");
	if (fb->addr % FBTEXT_EGA_CELL_BYTES || fb->pitch % FBTEXT_EGA_CELL_BYTES)
		return refuse(why, "address or pitch not a multiple of the cell size");
	return check_placement(fb, why);
}

static u32 pack_field(u8 v, u8 pos, u8 size)
{
	u32 x = size <= BITS_PER_BYTE ? (u32)v >> (BITS_PER_BYTE - size) :
					(u32)v << (size - BITS_PER_BYTE);

	return x << pos;
}

u32 fbtext_pack_rgb(const struct mb2_framebuffer *fb, u8 r, u8 g, u8 b)
{
	return pack_field(r, fb->red_pos, fb->red_size) |
	       pack_field(g, fb->green_pos, fb->green_size) |
	       pack_field(b, fb->blue_pos, fb->blue_size);
}

static bool glyph_bit(const u8 *row, u32 x)
{
	return row[x / BITS_PER_BYTE] & (GLYPH_LEFT_BIT >> (x % BITS_PER_BYTE));
}

/*
 * One loop per pixel size, so the inner loop is a plain store. Pixels are
 * written left to right, row by row: on write-combining memory the stores
 * of a row merge into whole-line bursts.
 */
void fbtext_draw_glyph(u8 *dst, u32 pitch, u32 bpp,
		       const struct fbtext_glyph *glyph, u32 fg, u32 bg)
{
	for (u32 y = 0; y < glyph->height; y++) {
		const u8 *bits = glyph->bits + (size_t)y * glyph->bytes_per_row;
		u8 *line = dst + (size_t)y * pitch;

		switch (bpp) {
		case 32: {
			u32 *px = (u32 *)line;

			for (u32 x = 0; x < glyph->width; x++)
				px[x] = glyph_bit(bits, x) ? fg : bg;
			break;
		}
		case 24:
			for (u32 x = 0; x < glyph->width; x++) {
				u32 v = glyph_bit(bits, x) ? fg : bg;
				u8 *p = line + (size_t)BYTES_PER_PIXEL_24 * x;

				/* Little-endian, like every pixel format. */
				p[0] = (u8)v;
				p[1] = (u8)(v >> BITS_PER_BYTE);
				p[2] = (u8)(v >> (2 * BITS_PER_BYTE));
			}
			break;
		case 16: {
			u16 *px = (u16 *)line;

			for (u32 x = 0; x < glyph->width; x++)
				px[x] = (u16)(glyph_bit(bits, x) ? fg : bg);
			break;
		}
		default:
			return;
		}
	}
}

/* format_ns_short()'s units, each a thousand times the one before. */
#define NS_UNIT_STEP	1000
#define DECIMAL_BASE	10

static unsigned int decimal_digits(u64 v)
{
	unsigned int d = 1;

	while (v >= DECIMAL_BASE) {
		v /= DECIMAL_BASE;
		d++;
	}
	return d;
}

size_t format_ns_short(char *buf, size_t size, u64 ns, unsigned int max_chars)
{
	static const char *const units[] = { "", "u", "m", "s" };
	unsigned int u = 0;

	/* Every suffix is one character; the bare ns has none. */
	while (decimal_digits(ns) + (u ? 1 : 0) > max_chars &&
	       u + 1 < sizeof(units) / sizeof(units[0])) {
		ns /= NS_UNIT_STEP;
		u++;
	}
	return scnprintf(buf, size, "%llu%s", (unsigned long long)ns, units[u]);
}
