/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer console (kernel/fbcon.c): printk on the screen GRUB
 * left us, so a PC booted from USB shows the self-tests. A linear RGB
 * framebuffer (16, 24 or 32 bpp, glyphs from the PSF font module) or an
 * EGA text buffer; the text grid behind it is lib/fbtext.c.
 *
 * The queries below read the console's text as the screen shows it, for
 * the tests (tests/test_fbcon.c). They take no lock: call them when no
 * other CPU prints, or the answer may be from the middle of a line.
 */
#ifndef XCALL_FBCON_H
#define XCALL_FBCON_H

#include <xcall/multiboot2.h>
#include <xcall/types.h>

/**
 * fbcon_init() - register a screen console if GRUB gave a framebuffer
 * @mbi: the boot information: its framebuffer tag, and the module whose
 *       command line is "font" (a PSF font)
 *
 * Prints why when there is no usable screen or font, and registers
 * nothing then.
 *
 * Context: boot CPU, after paging_init(), before the other CPUs start (it
 * changes the page tables).
 */
void fbcon_init(const struct mb2_info *mbi);

/* What the console draws on, as fbcon_geometry() reports it. */
struct fbcon_geometry {
	u8 type;		/* MB2_FB_RGB or MB2_FB_EGA_TEXT */
	u8 bpp;			/* bits per pixel; 16 per cell for EGA text */
	u32 width, height;	/* the screen: pixels, or characters for EGA */
	u32 cell_width;		/* pixels per character cell: the font's */
	u32 cell_height;	/* size, or 1 x 1 for EGA text */
	u32 cols, rows;		/* the text grid */
	u32 scroll_rows;	/* how many rows one jump scroll moves */
	u32 status_rows;	/* rows below the grid kept for the status
				 * line: 1, or 0 on a screen too small */
	phys_addr_t addr;	/* the buffer */
	u64 size;		/* its bytes, pitch * height */
};

/**
 * fbcon_geometry() - the screen and grid of the registered console
 * @g: filled when the console is registered
 *
 * Context: any.
 * Return: true when a framebuffer console is registered, else false.
 */
bool fbcon_geometry(struct fbcon_geometry *g);

/**
 * fbcon_cell() - the character a cell of the screen shows
 * @row: from 0, top
 * @col: from 0, left
 * @c: set to the character when the cell exists
 *
 * Context: any; see the note at the top about locking.
 * Return: false when there is no console or the cell is off the grid.
 */
bool fbcon_cell(unsigned int row, unsigned int col, char *c);

/**
 * fbcon_cursor() - where the next character will go
 * @row: set to the cursor's row
 * @col: set to its column; it equals the number of columns when the
 *       line is full and the next character wraps
 *
 * Context: any; see the note at the top about locking.
 * Return: false when there is no console.
 */
bool fbcon_cursor(unsigned int *row, unsigned int *col);

/**
 * fbcon_status_line() - what the status line shows
 * @buf: set to its text, trailing blanks cut
 * @size: the size of @buf
 * @colour: set to its colour (enum fbtext_colour of its first non-blank)
 *
 * Context: any; see the note at the top about locking.
 * Return: false when there is no console or no status line.
 */
bool fbcon_status_line(char *buf, size_t size, unsigned int *colour);

/**
 * fbcon_nr_scrolls() - how many jump scrolls the console has made
 *
 * Context: any.
 * Return: the count, 0 when there is no console.
 */
u64 fbcon_nr_scrolls(void);

/*
 * Pictures: another subsystem draws pixels above the status line (the
 * benchmark's core-to-core heatmap, kernel/bench_matrix.c). From
 * fbcon_picture_begin() on, printk's text still fills the grid (the
 * queries above still read it) but is no longer drawn: the picture stays
 * on the screen until the machine resets, so a user can photograph it.
 * The status line is still drawn, below the picture.
 * fbcon_picture_begin() raises the flag under the console lock, so no
 * printk on another CPU draws text over the cleared screen; after that
 * the picture's drawing needs no lock (text is not drawn any more, and
 * the status line is outside the picture). A panic ends the picture:
 * the screen is cleared and the text, panic message included, drawn.
 */
struct fbcon_rgb {
	u8 r, g, b;
};

/* Where a picture may go, as fbcon_picture_begin() reports it. */
struct fbcon_picture_area {
	u32 width, height;		/* pixels, from the top-left corner */
	u32 font_width, font_height;	/* one character of fbcon_draw_text() */
	u32 bpp;			/* the framebuffer's bits per pixel */
};

/**
 * fbcon_picture_begin() - stop drawing text and clear the screen for a picture
 * @area: set to the pixels the picture may use and the font's size
 *
 * The screen above the status line is cleared to black.
 * Context: any CPU, not holding the console lock (it takes it for a
 * moment); it does not sleep.
 * Return: 0; -ENODEV when no screen console is registered, or when it is
 * EGA text, which has no pixels; -EBUSY when the console lock stayed
 * taken for a second (its holder has stopped) or a panic is under way.
 */
int fbcon_picture_begin(struct fbcon_picture_area *area);

/**
 * fbcon_fill_rect() - fill a rectangle of the picture with one colour
 * @x: left edge, pixels from the screen's left
 * @y: top edge, pixels from the screen's top
 * @w: width in pixels
 * @h: height in pixels
 * @r: red, 0-255
 * @g: green, 0-255
 * @b: blue, 0-255
 *
 * What falls outside the picture's area is cut off; a @w or @h of 0
 * draws nothing, and nothing is drawn before fbcon_picture_begin().
 * Context: any CPU, after fbcon_picture_begin(); it does not sleep.
 */
void fbcon_fill_rect(u32 x, u32 y, u32 w, u32 h, u8 r, u8 g, u8 b);

/**
 * fbcon_draw_text() - draw a string in the console's font at a pixel position
 * @x: left edge of the first character
 * @y: top edge
 * @s: the characters, NUL-terminated; each in a box of the font's size,
 *     every pixel of the box written (@fg where the glyph has a bit,
 *     else @bg)
 * @fg: the glyphs' colour
 * @bg: the boxes' background
 *
 * Context: as fbcon_picture_begin().
 * Return: how many characters were drawn: fewer than strlen(@s) when the
 * rest would not fit on the screen (each is drawn whole or not at all);
 * 0 before fbcon_picture_begin().
 */
size_t fbcon_draw_text(u32 x, u32 y, const char *s, const struct fbcon_rgb *fg,
		       const struct fbcon_rgb *bg);

#endif /* XCALL_FBCON_H */
