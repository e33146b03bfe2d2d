// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/fbtext.c, the framebuffer console's pure half: the
 * cell grid (wrapping, control characters, jump scroll), the diff that
 * decides which cells are drawn, line colours, the checks on the
 * loader's framebuffer, colour packing and glyph drawing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xcall/fbtext.h>

#include "check.h"

#define COLS	10
#define ROWS	8

struct grid {
	struct fbtext t;
	fbtext_cell cells[COLS * ROWS];
	fbtext_cell shown[COLS * ROWS];
};

static void grid_init(struct ktest *t, struct grid *g)
{
	KTEST_EXPECT_EQ(t, fbtext_init(&g->t, g->cells, g->shown, COLS, ROWS), 0);
}

static void put(struct grid *g, const char *s)
{
	fbtext_write(&g->t, s, strlen(s));
}

/* Row @row as a string, trailing blanks cut. */
static const char *row_text(const struct grid *g, unsigned int row)
{
	static char buf[COLS + 1];
	int end = 0;

	for (int c = 0; c < COLS; c++) {
		buf[c] = FBTEXT_CELL_CHAR(g->cells[row * COLS + c]);
		if (buf[c] != ' ')
			end = c + 1;
	}
	buf[end] = '\0';
	return buf;
}

static unsigned int colour_at(const struct grid *g, unsigned int row,
			      unsigned int col)
{
	return FBTEXT_CELL_COLOUR(g->cells[row * COLS + col]);
}

/* ---- The grid ---- */

/* A status line: rewritten in place, cut at the edge, one colour, and the
 * text grid's cursor and scrolling untouched. */
static void set_line_rewrites_one_row_in_place(struct ktest *t)
{
	struct grid g;

	grid_init(t, &g);
	put(&g, "abc\n");
	fbtext_set_line(&g.t, ROWS - 1, "PASSED 12 of 12", 15, FBTEXT_GOOD);
	KTEST_EXPECT_STREQ(t, row_text(&g, ROWS - 1), "PASSED 12");	/* cut at COLS */
	KTEST_EXPECT_EQ(t, colour_at(&g, ROWS - 1, 0), FBTEXT_GOOD);
	KTEST_EXPECT_EQ(t, colour_at(&g, ROWS - 1, 8), FBTEXT_GOOD);
	KTEST_EXPECT_EQ_U(t, g.cells[(ROWS - 1) * COLS + 6], FBTEXT_BLANK);
	KTEST_EXPECT_EQ(t, g.t.row, 1);
	KTEST_EXPECT_EQ(t, g.t.col, 0);
	KTEST_EXPECT_EQ_U(t, g.t.nr_scrolls, 0);
	KTEST_EXPECT_STREQ(t, row_text(&g, 0), "abc");

	/* A shorter line blanks what the longer one left; a newline ends
	 * it; a control character shows as '?'. */
	fbtext_set_line(&g.t, ROWS - 1, "FAIL\tx\nrest", 11, FBTEXT_BAD);
	KTEST_EXPECT_STREQ(t, row_text(&g, ROWS - 1), "FAIL?x");
	KTEST_EXPECT_EQ(t, colour_at(&g, ROWS - 1, 0), FBTEXT_BAD);
	KTEST_EXPECT_EQ_U(t, g.cells[(ROWS - 1) * COLS + 7], FBTEXT_BLANK);

	/* Off the grid, or a colour that is none: nothing changes. */
	fbtext_set_line(&g.t, ROWS, "zzz", 3, FBTEXT_GOOD);
	fbtext_set_line(&g.t, 0, "zzz", 3, FBTEXT_NR_COLOURS);
	KTEST_EXPECT_STREQ(t, row_text(&g, 0), "abc");
}

static void count_draw(void *ctx, u32 row, u32 col, fbtext_cell cell)
{
	(*(unsigned int *)ctx)++;
}

/* The rewritten row is drawn at the next flush, and only its changes. */
static void set_line_is_flushed_like_text(struct ktest *t)
{
	unsigned int drawn = 0;
	struct grid g;

	grid_init(t, &g);
	fbtext_set_line(&g.t, 2, "ab", 2, FBTEXT_NORMAL);
	KTEST_EXPECT_EQ_U(t, fbtext_flush(&g.t, count_draw, &drawn), 2);
	fbtext_set_line(&g.t, 2, "ac", 2, FBTEXT_NORMAL);
	KTEST_EXPECT_EQ_U(t, fbtext_flush(&g.t, count_draw, &drawn), 1);
	fbtext_set_line(&g.t, 2, "ac", 2, FBTEXT_GOOD);
	KTEST_EXPECT_EQ_U(t, fbtext_flush(&g.t, count_draw, &drawn), 2);
	KTEST_EXPECT_EQ(t, drawn, 5);
}

static void init_refuses_empty_or_huge_grids(struct ktest *t)
{
	struct grid g;

	KTEST_EXPECT_EQ(t, fbtext_init(&g.t, g.cells, g.shown, 0, ROWS), -EINVAL);
	KTEST_EXPECT_EQ(t, fbtext_init(&g.t, g.cells, g.shown, COLS, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, fbtext_init(&g.t, NULL, g.shown, COLS, ROWS), -EINVAL);
	KTEST_EXPECT_EQ(t, fbtext_init(&g.t, g.cells, NULL, COLS, ROWS), -EINVAL);
	/* 2^16 * 2^16 wraps a u32 to 0: must still be refused. */
	KTEST_EXPECT_EQ(t, fbtext_init(&g.t, g.cells, g.shown, 1u << 16, 1u << 16), -EINVAL);
	KTEST_EXPECT_EQ(t, fbtext_init(&g.t, g.cells, g.shown, FBTEXT_MAX_CELLS + 1, 1),
		 -EINVAL);
	KTEST_EXPECT_EQ(t, fbtext_init(&g.t, g.cells, g.shown, COLS, ROWS), 0);
	KTEST_EXPECT_EQ(t, g.t.scroll_rows, ROWS / FBTEXT_SCROLL_DIVISOR);
	KTEST_EXPECT_EQ(t, g.t.row, 0);
	KTEST_EXPECT_EQ(t, g.t.col, 0);
}

static void text_lands_in_cells_and_cursor_follows(struct ktest *t)
{
	struct grid g;

	grid_init(t, &g);
	put(&g, "abc");
	KTEST_EXPECT_STREQ(t, row_text(&g, 0), "abc");
	KTEST_EXPECT_EQ(t, g.t.row, 0);
	KTEST_EXPECT_EQ(t, g.t.col, 3);
	put(&g, "de\nfg\n");
	KTEST_EXPECT_STREQ(t, row_text(&g, 0), "abcde");
	KTEST_EXPECT_STREQ(t, row_text(&g, 1), "fg");
	KTEST_EXPECT_STREQ(t, row_text(&g, 2), "");
	KTEST_EXPECT_EQ(t, g.t.row, 2);
	KTEST_EXPECT_EQ(t, g.t.col, 0);
}

static void control_characters_move_or_show_as_question_mark(struct ktest *t)
{
	struct grid g;

	grid_init(t, &g);
	put(&g, "ab\tc\n");		/* tab to column 8 */
	KTEST_EXPECT_STREQ(t, row_text(&g, 0), "ab      c");
	put(&g, "\tx\n");		/* from column 0 to 8 */
	KTEST_EXPECT_STREQ(t, row_text(&g, 1), "        x");
	put(&g, "hello\rJ\n");		/* return overwrites */
	KTEST_EXPECT_STREQ(t, row_text(&g, 2), "Jello");
	put(&g, "ab\bX\n");		/* back one, no erase */
	KTEST_EXPECT_STREQ(t, row_text(&g, 3), "aX");
	put(&g, "\b\bq\n");		/* back at column 0 stays */
	KTEST_EXPECT_STREQ(t, row_text(&g, 4), "q");
	put(&g, "\x01\x1b\x7f\xc3\xa9z\n");	/* controls, DEL, UTF-8 */
	KTEST_EXPECT_STREQ(t, row_text(&g, 5), "?????z");
	KTEST_EXPECT_EQ(t, g.t.row, 6);
}

static void tab_near_the_edge_stops_at_the_edge(struct ktest *t)
{
	struct grid g;

	grid_init(t, &g);
	put(&g, "123456789\t");		/* column 9: one blank, line full */
	KTEST_EXPECT_EQ(t, g.t.row, 0);
	KTEST_EXPECT_EQ(t, g.t.col, COLS);
	put(&g, "\t");			/* wraps, then to column 8 */
	KTEST_EXPECT_EQ(t, g.t.row, 1);
	KTEST_EXPECT_EQ(t, g.t.col, 8);
}

static void long_line_wraps_and_full_line_takes_one_row(struct ktest *t)
{
	struct grid g;

	grid_init(t, &g);
	put(&g, "0123456789abcde\n");
	KTEST_EXPECT_STREQ(t, row_text(&g, 0), "0123456789");
	KTEST_EXPECT_STREQ(t, row_text(&g, 1), "abcde");
	KTEST_EXPECT_EQ(t, g.t.row, 2);
	/* Exactly COLS characters and '\n': no blank row after. */
	put(&g, "ABCDEFGHIJ\nk\n");
	KTEST_EXPECT_STREQ(t, row_text(&g, 2), "ABCDEFGHIJ");
	KTEST_EXPECT_STREQ(t, row_text(&g, 3), "k");
	KTEST_EXPECT_EQ(t, g.t.row, 4);
}

static void jump_scroll_keeps_the_last_lines(struct ktest *t)
{
	struct grid g;
	char line[16];

	grid_init(t, &g);
	for (int i = 0; i < ROWS; i++) {
		snprintf(line, sizeof(line), "L%d\n", i);
		put(&g, line);
	}
	/* The eighth '\n' left the last row: one jump of ROWS / 4. */
	KTEST_EXPECT_EQ_U(t, g.t.nr_scrolls, 1);
	KTEST_EXPECT_EQ(t, g.t.row, ROWS - g.t.scroll_rows);
	KTEST_EXPECT_STREQ(t, row_text(&g, 0), "L2");
	KTEST_EXPECT_STREQ(t, row_text(&g, ROWS - g.t.scroll_rows - 1), "L7");
	for (unsigned int r = ROWS - g.t.scroll_rows; r < ROWS; r++)
		KTEST_EXPECT_STREQ(t, row_text(&g, r), "");
	/* The next scroll only after the freed rows are used up. */
	put(&g, "L8\n");
	KTEST_EXPECT_EQ_U(t, g.t.nr_scrolls, 1);
	put(&g, "L9\n");
	KTEST_EXPECT_EQ_U(t, g.t.nr_scrolls, 2);
	KTEST_EXPECT_STREQ(t, row_text(&g, ROWS - g.t.scroll_rows - 1), "L9");
	KTEST_EXPECT_STREQ(t, row_text(&g, 0), "L4");
}

static void one_row_grid_scrolls_in_place(struct ktest *t)
{
	struct fbtext text;
	fbtext_cell cells[4], shown[4];

	KTEST_EXPECT_EQ(t, fbtext_init(&text, cells, shown, 4, 1), 0);
	KTEST_EXPECT_EQ(t, text.scroll_rows, 1);
	fbtext_write(&text, "abcdefg\nxy", 10);
	KTEST_EXPECT_EQ(t, FBTEXT_CELL_CHAR(cells[0]), 'x');
	KTEST_EXPECT_EQ(t, FBTEXT_CELL_CHAR(cells[1]), 'y');
	KTEST_EXPECT_EQ(t, FBTEXT_CELL_CHAR(cells[2]), ' ');
	KTEST_EXPECT_EQ(t, text.row, 0);
}

struct draw_log {
	size_t calls;
	unsigned int last_row, last_col;
	bool ordered;
};

static void log_draw(void *ctx, u32 row, u32 col, fbtext_cell cell)
{
	struct draw_log *log = ctx;

	if (log->calls && (row < log->last_row ||
			   (row == log->last_row && col <= log->last_col)))
		log->ordered = false;
	log->calls++;
	log->last_row = row;
	log->last_col = col;
}

static void broken_cursor_is_repaired_not_trusted(struct ktest *t)
{
	struct draw_log log = { .ordered = true };
	struct grid g;

	grid_init(t, &g);
	/* As after two CPUs raced with printk's lock broken: ASan would
	 * catch a store outside the arrays. */
	g.t.row = ROWS + 5;
	g.t.col = COLS + 7;
	put(&g, "xy");
	KTEST_EXPECT_EQ(t, g.t.row, ROWS - g.t.scroll_rows);
	KTEST_EXPECT_STREQ(t, row_text(&g, g.t.row), "xy");
	/* A row past the grid with a sane column: the text goes to the
	 * last row, not nowhere. */
	g.t.row = ROWS + 5;
	g.t.col = 0;
	put(&g, "zz");
	KTEST_EXPECT_STREQ(t, row_text(&g, ROWS - 1), "zz");
	/* A dirty range past the last row is cut at the grid. */
	g.t.dirty_first = 0;
	g.t.dirty_end = ROWS + 100;
	fbtext_flush(&g.t, log_draw, &log);
	KTEST_EXPECT_TRUE(t, log.last_row < ROWS);
	KTEST_EXPECT_MEMEQ(t, g.cells, g.shown, sizeof(g.cells));
}

/* ---- Which cells are drawn ---- */

static void flush_draws_only_changed_cells(struct ktest *t)
{
	struct draw_log log = { .ordered = true };
	struct grid g;

	grid_init(t, &g);
	/* Nothing written, nothing drawn. */
	KTEST_EXPECT_EQ(t, fbtext_flush(&g.t, log_draw, &log), 0);
	put(&g, "abc\n");
	KTEST_EXPECT_EQ(t, fbtext_flush(&g.t, log_draw, &log), 3);
	KTEST_EXPECT_EQ(t, fbtext_flush(&g.t, log_draw, &log), 0);
	/* Overwriting with the same text changes nothing on screen. */
	put(&g, "\x1b[A");	/* not an escape here: "?[A" on row 1 */
	KTEST_EXPECT_EQ(t, fbtext_flush(&g.t, log_draw, &log), 3);
	put(&g, "\r?[A");
	KTEST_EXPECT_EQ(t, fbtext_flush(&g.t, log_draw, &log), 0);
	KTEST_EXPECT_TRUE(t, log.ordered);
	KTEST_EXPECT_MEMEQ(t, g.cells, g.shown, sizeof(g.cells));
}

static void scroll_redraws_only_cells_that_differ(struct ktest *t)
{
	struct draw_log log = { .ordered = true };
	struct grid g;
	size_t drawn;

	grid_init(t, &g);
	/* Rows alike but for their last character: "aaaa0" ... "aaaa7". */
	for (int i = 0; i < ROWS - 1; i++) {
		char line[] = "aaaa0\n";

		line[4] = (char)('0' + i);
		put(&g, line);
	}
	fbtext_flush(&g.t, log_draw, &log);
	log.calls = 0;
	put(&g, "aaaa7\n");		/* scrolls by 2 */
	KTEST_EXPECT_EQ_U(t, g.t.nr_scrolls, 1);
	drawn = fbtext_flush(&g.t, log_draw, &log);
	KTEST_EXPECT_EQ(t, drawn, log.calls);
	/* Rows 0-5 change only their digit; row 6 (once "aaaa6") and 7
	 * become blank: 6 + 5 cells, not the 80 of a full redraw. */
	KTEST_EXPECT_EQ(t, drawn, 6 + 5);
	KTEST_EXPECT_TRUE(t, log.ordered);
	KTEST_EXPECT_MEMEQ(t, g.cells, g.shown, sizeof(g.cells));
}

/* ---- Colours ---- */

static void line_colour_follows_ktap_and_failure_words(struct ktest *t)
{
	static const struct {
		const char *line;
		enum fbtext_colour want;
	} cases[] = {
		{ "ok 1 boot", FBTEXT_GOOD },
		{ "    ok 12 callbacks_run_in_fifo_order", FBTEXT_GOOD },
		{ "ok", FBTEXT_GOOD },
		{ "    not ok 3 x", FBTEXT_BAD },
		{ "xcall: self-tests FAILED", FBTEXT_BAD },
		{ "Kernel panic - not syncing: x", FBTEXT_BAD },
		{ "ok 4 name # but FAIL inside", FBTEXT_BAD },
		{ "okay then", FBTEXT_NORMAL },
		{ "# Totals: pass:5 fail:0", FBTEXT_NORMAL },
		{ "smp: booked", FBTEXT_NORMAL },
		{ "", FBTEXT_NORMAL },
		/* Only up to the newline counts. */
		{ "fine\nnot ok 1", FBTEXT_NORMAL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!KTEST_EXPECT_EQ(t, fbtext_line_colour(cases[i].line,
						    strlen(cases[i].line)),
			      cases[i].want))
			printf("    # line: '%s'\n", cases[i].line);
}

static void each_line_gets_its_own_colour_and_blanks_none(struct ktest *t)
{
	struct grid g;

	grid_init(t, &g);
	put(&g, "ok 1 a\nnot ok 2\nplain\n    ok 3 wraps past the edge\n");
	KTEST_EXPECT_EQ(t, colour_at(&g, 0, 0), FBTEXT_GOOD);
	KTEST_EXPECT_EQ(t, colour_at(&g, 0, 2), FBTEXT_NORMAL);	/* a blank */
	KTEST_EXPECT_EQ(t, colour_at(&g, 1, 0), FBTEXT_BAD);
	KTEST_EXPECT_EQ(t, colour_at(&g, 2, 0), FBTEXT_NORMAL);
	KTEST_EXPECT_EQ(t, colour_at(&g, 3, 4), FBTEXT_GOOD);
	/* The wrapped part keeps its line's colour. */
	KTEST_EXPECT_STREQ(t, row_text(&g, 4), "raps past");
	KTEST_EXPECT_EQ(t, colour_at(&g, 4, 0), FBTEXT_GOOD);
}

/* ---- The framebuffer ---- */

static struct mb2_framebuffer rgb32(void)
{
	return (struct mb2_framebuffer){
		.addr = 0xfd000000, .pitch = 4096, .width = 1024, .height = 768,
		.bpp = 32, .type = MB2_FB_RGB,
		.red_pos = 16, .red_size = 8, .green_pos = 8, .green_size = 8,
		.blue_pos = 0, .blue_size = 8,
	};
}

static void sane_framebuffers_are_accepted(struct ktest *t)
{
	struct mb2_framebuffer fb = rgb32();
	const char *why = NULL;

	KTEST_EXPECT_EQ(t, fbtext_check_rgb(&fb, &why), 0);
	KTEST_EXPECT_EQ_U(t, fbtext_fb_bytes(&fb), 4096ull * 768);
	/* 800x600 24 bpp, as GRUB sets up under QEMU -vga std. */
	fb.bpp = 24;
	fb.width = 800;
	fb.height = 600;
	fb.pitch = 2400;
	KTEST_EXPECT_EQ(t, fbtext_check_rgb(&fb, &why), 0);
	/* 5:6:5. */
	fb = (struct mb2_framebuffer){
		.addr = 0xe0000000, .pitch = 1280, .width = 640, .height = 480,
		.bpp = 16, .type = MB2_FB_RGB, .red_pos = 11, .red_size = 5,
		.green_pos = 5, .green_size = 6, .blue_pos = 0, .blue_size = 5,
	};
	KTEST_EXPECT_EQ(t, fbtext_check_rgb(&fb, &why), 0);
	/* Above 4 GiB. */
	fb = rgb32();
	fb.addr = 0x8000000000ull;
	KTEST_EXPECT_EQ(t, fbtext_check_rgb(&fb, &why), 0);
	/* EGA text as GRUB leaves it. */
	fb = (struct mb2_framebuffer){
		.addr = 0xb8000, .pitch = 160, .width = 80, .height = 25,
		.bpp = 16, .type = MB2_FB_EGA_TEXT,
	};
	KTEST_EXPECT_EQ(t, fbtext_check_ega(&fb, &why), 0);
}

static void bad_framebuffers_are_refused_with_a_reason(struct ktest *t)
{
	static const char *const fields[] = {
		"bpp 8", "bpp 0", "red empty", "blue outside", "overlap",
		"zero width", "zero height", "short pitch", "huge",
		"zero address", "at 52 bits", "runs past 52 bits", "unaligned address",
		"unaligned pitch",
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct mb2_framebuffer fb = rgb32();
		const char *why = NULL;

		switch (i) {
		case 0: fb.bpp = 8; break;
		case 1: fb.bpp = 0; break;
		case 2: fb.red_size = 0; break;
		case 3: fb.blue_pos = 30; break;
		case 4: fb.green_pos = 12; break;
		case 5: fb.width = 0; break;
		case 6: fb.height = 0; break;
		case 7: fb.pitch = 4095; break;
		case 8: fb.height = 0xffffffffu; break;
		case 9: fb.addr = 0; break;
		case 10: fb.addr = 1ull << 52; break;
		case 11: fb.addr = (1ull << 52) - 4096; break;
		case 12: fb.addr = 0xfd000002; break;
		case 13: fb.pitch = 4098; break;
		}
		if (!KTEST_EXPECT_EQ(t, fbtext_check_rgb(&fb, &why), -EINVAL))
			printf("    # accepted: %s\n", fields[i]);
		KTEST_EXPECT_TRUE(t, why != NULL && why[0] != '\0');
	}
}

static void bad_ega_text_is_refused(struct ktest *t)
{
	struct mb2_framebuffer ok = {
		.addr = 0xb8000, .pitch = 160, .width = 80, .height = 25,
		.bpp = 16, .type = MB2_FB_EGA_TEXT,
	};
	struct mb2_framebuffer fb;
	const char *why;

	fb = ok;
	fb.bpp = 8;
	KTEST_EXPECT_EQ(t, fbtext_check_ega(&fb, &why), -EINVAL);
	fb = ok;
	fb.pitch = 158;
	KTEST_EXPECT_EQ(t, fbtext_check_ega(&fb, &why), -EINVAL);
	fb = ok;
	fb.width = 0;
	KTEST_EXPECT_EQ(t, fbtext_check_ega(&fb, &why), -EINVAL);
	fb = ok;
	fb.addr = 0;
	KTEST_EXPECT_EQ(t, fbtext_check_ega(&fb, &why), -EINVAL);
	fb = ok;
	fb.addr = 0xb8001;
	KTEST_EXPECT_EQ(t, fbtext_check_ega(&fb, &why), -EINVAL);
	fb = ok;
	fb.width = 1u << 16;
	fb.height = 1u << 16;
	fb.pitch = 1u << 17;
	KTEST_EXPECT_EQ(t, fbtext_check_ega(&fb, &why), -EINVAL);
}

static void colours_pack_into_each_layout(struct ktest *t)
{
	struct mb2_framebuffer fb = rgb32();

	KTEST_EXPECT_EQ_U(t, fbtext_pack_rgb(&fb, 0x12, 0x34, 0x56), 0x123456);
	KTEST_EXPECT_EQ_U(t, fbtext_pack_rgb(&fb, 0, 0, 0), 0);
	/* BGR order. */
	fb.red_pos = 0;
	fb.blue_pos = 16;
	KTEST_EXPECT_EQ_U(t, fbtext_pack_rgb(&fb, 0x12, 0x34, 0x56), 0x563412);
	/* 5:6:5: the top bits of each component. */
	fb = (struct mb2_framebuffer){
		.bpp = 16, .red_pos = 11, .red_size = 5, .green_pos = 5,
		.green_size = 6, .blue_pos = 0, .blue_size = 5,
	};
	KTEST_EXPECT_EQ_U(t, fbtext_pack_rgb(&fb, 0xff, 0xff, 0xff), 0xffff);
	KTEST_EXPECT_EQ_U(t, fbtext_pack_rgb(&fb, 0xaa, 0xaa, 0xaa), 0xad55);
	/* 10:10:10 */
	fb = (struct mb2_framebuffer){
		.bpp = 32, .red_pos = 20, .red_size = 10, .green_pos = 10,
		.green_size = 10, .blue_pos = 0, .blue_size = 10,
	};
	KTEST_EXPECT_EQ_U(t, fbtext_pack_rgb(&fb, 0xff, 0, 0x80), 0x3fc00200);
}

/* An 8x2 glyph and a 12x2 one (two bytes a row, the last 4 bits unused). */
static const u8 glyph8[] = { 0x81, 0x3c };
static const u8 glyph12[] = { 0xf0, 0x10, 0x00, 0xff };

static bool pixel_on(const u8 *bits, u32 bytes_per_row, u32 x, u32 y)
{
	return bits[y * bytes_per_row + x / 8] & (0x80 >> (x % 8));
}

static void draw_and_compare(struct ktest *t, u32 bpp, const u8 *bits,
			     u32 width, u32 bytes_per_row)
{
	const struct fbtext_glyph glyph = {
		.bits = bits, .width = width, .height = 2,
		.bytes_per_row = bytes_per_row,
	};
	const u32 bytes = bpp / 8, fg = 0xa1b2c3d4 & ((1ull << bpp) - 1);
	const u32 bg = 0x01020304 & ((1ull << bpp) - 1);
	/* A glyph box inside a larger buffer: padding right and below
	 * must stay untouched. */
	const u32 pitch = (width + 3) * bytes;
	u8 *buf = malloc(pitch * 3);
	unsigned int bad = 0;

	memset(buf, 0xee, pitch * 3);
	fbtext_draw_glyph(buf, pitch, bpp, &glyph, fg, bg);
	for (u32 y = 0; y < 3; y++) {
		for (u32 x = 0; x < width + 3; x++) {
			const u8 *p = buf + y * pitch + x * bytes;
			u32 v = 0;

			for (u32 b = 0; b < bytes; b++)
				v |= (u32)p[b] << (8 * b);
			if (y < 2 && x < width)
				bad += v != (pixel_on(bits, bytes_per_row, x, y) ? fg : bg);
			else
				bad += v != (0xeeeeeeeeu & ((1ull << bpp) - 1));
		}
	}
	if (!KTEST_EXPECT_EQ(t, bad, 0))
		printf("    # bpp %u width %u\n", bpp, width);
	free(buf);
}

static void glyphs_draw_at_every_depth(struct ktest *t)
{
	static const u32 depths[] = { 16, 24, 32 };

	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		draw_and_compare(t, depths[i], glyph8, 8, 1);
		draw_and_compare(t, depths[i], glyph12, 12, 2);
	}
}

static void short_ns_fits_its_width(struct ktest *t)
{
	static const struct { uint64_t ns; const char *want; } cases[] = {
		{ 0, "0" }, { 999999, "999999" }, { 1000000, "1000u" },
		{ 99999999, "99999u" }, { 100000000, "100m" },
		{ 150000000, "150m" }, { 999999999, "999m" },
		{ 1000000000, "1000m" }, { 99999999999ull, "99999m" },
		{ 100000000000ull, "100s" }, { 99999000000000ull, "99999s" },
		/* Past 99999 s no width helps: longer, in seconds. */
		{ 100000000000000ull, "100000s" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = format_ns_short(buf, sizeof(buf), cases[i].ns, 6);

		KTEST_EXPECT_STREQ(t, buf, cases[i].want);
		KTEST_EXPECT_EQ_U(t, n, strlen(cases[i].want));
	}
}

static const struct ktest_case cases[] = {
	KTEST_CASE(short_ns_fits_its_width),
	KTEST_CASE(init_refuses_empty_or_huge_grids),
	KTEST_CASE(text_lands_in_cells_and_cursor_follows),
	KTEST_CASE(control_characters_move_or_show_as_question_mark),
	KTEST_CASE(tab_near_the_edge_stops_at_the_edge),
	KTEST_CASE(long_line_wraps_and_full_line_takes_one_row),
	KTEST_CASE(jump_scroll_keeps_the_last_lines),
	KTEST_CASE(one_row_grid_scrolls_in_place),
	KTEST_CASE(set_line_rewrites_one_row_in_place),
	KTEST_CASE(set_line_is_flushed_like_text),
	KTEST_CASE(broken_cursor_is_repaired_not_trusted),
	KTEST_CASE(flush_draws_only_changed_cells),
	KTEST_CASE(scroll_redraws_only_cells_that_differ),
	KTEST_CASE(line_colour_follows_ktap_and_failure_words),
	KTEST_CASE(each_line_gets_its_own_colour_and_blanks_none),
	KTEST_CASE(sane_framebuffers_are_accepted),
	KTEST_CASE(bad_framebuffers_are_refused_with_a_reason),
	KTEST_CASE(bad_ega_text_is_refused),
	KTEST_CASE(colours_pack_into_each_layout),
	KTEST_CASE(glyphs_draw_at_every_depth),
};

int main(void)
{
	return host_main("fbtext", cases, sizeof(cases) / sizeof(cases[0]));
}
