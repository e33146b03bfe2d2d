// SPDX-License-Identifier: MIT
/*
 * The framebuffer console on the running kernel: its grid matches the
 * screen and the font, its buffer is mapped with the right memory type,
 * and what printk writes ends up in the cells, wrapped and scrolled as
 * lib/fbtext.c promises; the bottom row's status line names the running
 * case, stays while the text scrolls, and turns into the verdict. The suite is left out when no framebuffer
 * console is registered (QEMU's -vga none).
 *
 * The cases print through printk, as every other message reaches the
 * screen, and then read the cells back. The lines they print are KTAP
 * diagnostics ("    # ..."), so the report stays whole. They compare
 * first and print their verdict after, since any print moves the text;
 * the other CPUs are idle while suites run, so nothing else prints
 * between a case's line and its reads.
 */
#include <xcall/arch.h>
#include <xcall/compiler.h>
#include <xcall/fbcon.h>
#include <xcall/fbtext.h>
#include <xcall/format.h>
#include <xcall/ktest.h>
#include <xcall/mm.h>
#include <xcall/printk.h>
#include <xcall/string.h>

/* Every line the cases print starts like a KTAP diagnostic of the suite,
 * four spaces in. */
#define DIAG_PREFIX	"    # "
#define BITS_PER_BYTE	8
/* The wrapped line's filler runs through the lower-case letters. */
#define NR_LETTERS	26

/* Does @row show exactly @text, then blanks to the right edge? */
static bool row_shows(unsigned int row, const char *text)
{
	struct fbcon_geometry g;
	size_t len = strlen(text);
	char c;

	if (!fbcon_geometry(&g))
		return false;
	for (unsigned int col = 0; col < g.cols; col++) {
		char want = col < len ? text[col] : ' ';

		if (!fbcon_cell(row, col, &c) || c != want)
			return false;
	}
	return true;
}

static bool fbcon_present(void)
{
	struct fbcon_geometry g;

	return fbcon_geometry(&g);
}

static void grid_is_screen_divided_by_font(struct ktest *t)
{
	struct fbcon_geometry g;
	char c;

	if (!KTEST_EXPECT_TRUE(t, fbcon_geometry(&g)))
		return;
	KTEST_EXPECT_GT(t, g.cell_width, 0);
	KTEST_EXPECT_GT(t, g.cell_height, 0);
	KTEST_EXPECT_EQ(t, g.cols, g.width / g.cell_width);
	/* The bottom row is the status line on any screen of four rows. */
	KTEST_EXPECT_EQ(t, g.status_rows, g.height / g.cell_height >= 4 ? 1 : 0);
	KTEST_EXPECT_EQ(t, g.rows + g.status_rows, g.height / g.cell_height);
	KTEST_EXPECT_GE(t, g.cols, 1);
	KTEST_EXPECT_GE(t, g.rows, 1);
	KTEST_EXPECT_EQ(t, g.scroll_rows, max(g.rows / FBTEXT_SCROLL_DIVISOR, 1u));
	if (g.type == MB2_FB_EGA_TEXT) {
		KTEST_EXPECT_EQ(t, g.cell_width, 1);
		KTEST_EXPECT_EQ(t, g.cell_height, 1);
	}
	/* The grid's edges: the last cell is there, one past it is not. */
	KTEST_EXPECT_TRUE(t, fbcon_cell(g.rows - 1, g.cols - 1, &c));
	KTEST_EXPECT_FALSE(t, fbcon_cell(g.rows, 0, &c));
	KTEST_EXPECT_FALSE(t, fbcon_cell(0, g.cols, &c));
}

static void buffer_is_mapped_with_its_memory_type(struct ktest *t)
{
	enum page_cache want;
	struct fbcon_geometry g;
	struct page_query first, last;

	if (!KTEST_EXPECT_TRUE(t, fbcon_geometry(&g)))
		return;
	want = g.type == MB2_FB_RGB ? PAGE_CACHE_WC : PAGE_CACHE_UC;
	KTEST_EXPECT_GE(t, g.size, (u64)g.width * g.height * g.bpp / BITS_PER_BYTE);
	paging_query(g.addr, &first);
	paging_query(g.addr + g.size - 1, &last);
	KTEST_EXPECT_TRUE(t, first.present && first.writable && !first.executable);
	KTEST_EXPECT_TRUE(t, last.present && last.writable && !last.executable);
	KTEST_EXPECT_EQ(t, first.cache, want);
	KTEST_EXPECT_EQ(t, last.cache, want);
}

static void printed_line_lands_in_cells(struct ktest *t)
{
	static const char line[] = DIAG_PREFIX "fbcon probe: The quick brown fox 0123456789";
	unsigned int row, col;
	bool shown;

	printk_always("%s\n", line);
	if (!KTEST_EXPECT_TRUE(t, fbcon_cursor(&row, &col)))
		return;
	/* The newline left the cursor at the start of the row below. */
	shown = row >= 1 && row_shows(row - 1, line);
	KTEST_EXPECT_EQ(t, col, 0);
	KTEST_EXPECT_TRUE(t, shown);
	KTEST_EXPECT_TRUE(t, row_shows(row, ""));
}

/* The text of scroll line @i, as printed and as expected on screen. */
static void scroll_line(char *buf, size_t size, unsigned int i)
{
	snprintf(buf, size, DIAG_PREFIX "fbcon scroll line %u", i);
}

static void scrolling_keeps_the_last_lines(struct ktest *t)
{
	char buf[PRINTK_LINE_MAX];
	struct fbcon_geometry g;
	unsigned int row, col, n, bad = 0;
	u64 scrolls;

	if (!KTEST_EXPECT_TRUE(t, fbcon_geometry(&g)))
		return;
	/* More lines than the screen holds: at least one jump scroll, and
	 * every row above the cursor is one of them. */
	n = g.rows + g.scroll_rows;
	scrolls = fbcon_nr_scrolls();
	for (unsigned int i = 0; i < n; i++) {
		scroll_line(buf, sizeof(buf), i);
		printk_always("%s\n", buf);
	}
	if (!KTEST_EXPECT_TRUE(t, fbcon_cursor(&row, &col)))
		return;
	for (unsigned int r = 0; r < row; r++) {
		/* Row r holds the line printed (row - r) lines before the
		 * end. */
		scroll_line(buf, sizeof(buf), n - (row - r));
		bad += !row_shows(r, buf);
	}
	for (unsigned int r = row; r < g.rows; r++)
		bad += !row_shows(r, "");
	KTEST_EXPECT_GT(t, fbcon_nr_scrolls(), scrolls);
	/* A jump scroll leaves the cursor scroll_rows above the bottom, and
	 * the rows after it fill one by one. */
	KTEST_EXPECT_GE(t, row, g.rows - g.scroll_rows);
	KTEST_EXPECT_LT(t, row, g.rows);
	KTEST_EXPECT_EQ(t, col, 0);
	KTEST_EXPECT_EQ(t, bad, 0);
}

static void long_line_wraps_to_the_next_row(struct ktest *t)
{
	char line[PRINTK_LINE_MAX];
	struct fbcon_geometry g;
	size_t len, prefix = strlen(DIAG_PREFIX);
	unsigned int row, col;
	bool first, second;

	if (!KTEST_EXPECT_TRUE(t, fbcon_geometry(&g)))
		return;
	/* Half a row more than fits, as far as printk's longest line
	 * (PRINTK_LINE_MAX with its '\n' and NUL) allows. */
	len = min((size_t)g.cols + g.cols / 2, (size_t)PRINTK_LINE_MAX - 2);
	if (len <= g.cols) {
		ktest_skip(t, "%u columns: wider than printk's longest line", g.cols);
		return;
	}
	memcpy(line, DIAG_PREFIX, prefix);
	for (size_t i = prefix; i < len; i++)
		line[i] = (char)('a' + i % NR_LETTERS);
	line[len] = '\0';

	printk_always("%s\n", line);
	if (!KTEST_EXPECT_TRUE(t, fbcon_cursor(&row, &col)))
		return;
	if (!KTEST_EXPECT_GE(t, row, 2))
		return;
	/* The rest of the line on the next row, then the first g.cols
	 * characters (cut in place) on the row before. */
	second = row_shows(row - 1, line + g.cols);
	line[g.cols] = '\0';
	first = row_shows(row - 2, line);
	KTEST_EXPECT_TRUE(t, first);
	KTEST_EXPECT_TRUE(t, second);
	KTEST_EXPECT_EQ(t, col, 0);
}

static void control_characters_are_drawn_safely(struct ktest *t)
{
	/* '\t' to column 8, '\x01' as '?', '\b' back over 'B' so 'C'
	 * replaces it. */
	static const char line[] = "    #\tA\x01" "B\bC";
	static const char shown[] = "    #   A?C";
	unsigned int row, col;
	bool ok;

	printk_always("%s\n", line);
	if (!KTEST_EXPECT_TRUE(t, fbcon_cursor(&row, &col)))
		return;
	ok = row >= 1 && row_shows(row - 1, shown);
	KTEST_EXPECT_TRUE(t, ok);
}

/* ---- The status line ---- */

static bool contains(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++)
		if (!strncmp(s, word, n))
			return true;
	return false;
}

static bool status_line(struct ktest *t, char *buf, size_t size, unsigned int *colour)
{
	if (fbcon_status_line(buf, size, colour))
		return true;
	ktest_skip(t, "the screen has no status line (fewer than 4 rows)");
	return false;
}

/* While a case runs, the status line names it: the progress a screen
 * without a serial port shows. */
static void status_line_names_the_running_case(struct ktest *t)
{
	char line[CONSOLE_STATUS_MAX];
	unsigned int colour;

	if (!status_line(t, line, sizeof(line), &colour))
		return;
	KTEST_EXPECT_TRUE(t, !strncmp(line, "self-tests: suite ", 18));
	/* The names come last and may be cut: their start is there. */
	KTEST_EXPECT_TRUE(t, contains(line, ": fbcon.status_line_na"));
	KTEST_EXPECT_EQ(t, colour, FBTEXT_NORMAL);
	ktest_diag(t, "status line: '%s'", line);
}

/* Text scrolls above the status line and never over it. */
static void status_line_stays_while_text_scrolls(struct ktest *t)
{
	char before[CONSOLE_STATUS_MAX], after[CONSOLE_STATUS_MAX], buf[PRINTK_LINE_MAX];
	struct fbcon_geometry g;
	unsigned int colour;
	u64 scrolls = fbcon_nr_scrolls();

	if (!status_line(t, before, sizeof(before), &colour) ||
	    !KTEST_EXPECT_TRUE(t, fbcon_geometry(&g)))
		return;
	for (unsigned int i = 0; i < g.rows + g.scroll_rows; i++) {
		scroll_line(buf, sizeof(buf), i);
		printk_always("%s\n", buf);
	}
	KTEST_EXPECT_GT(t, fbcon_nr_scrolls(), scrolls);
	KTEST_EXPECT_TRUE(t, fbcon_status_line(after, sizeof(after), &colour));
	KTEST_EXPECT_EQ(t, strcmp(before, after), 0);
}

/* The verdict: PASSED in green with what the line said, giving way to
 * the next progress (FAILED would stay for good, so it is left to the
 * host test of the colours and to the boots that fail). */
static void verdict_is_coloured_and_keeps_the_totals(struct ktest *t)
{
	char line[CONSOLE_STATUS_MAX];
	unsigned int colour;

	if (!status_line(t, line, sizeof(line), &colour))
		return;
	console_status("fbcon verdict probe: 3 of 3");
	console_verdict(false);
	KTEST_EXPECT_TRUE(t, fbcon_status_line(line, sizeof(line), &colour));
	KTEST_EXPECT_EQ(t, strcmp(line, "PASSED  fbcon verdict probe: 3 of 3"), 0);
	KTEST_EXPECT_EQ(t, colour, FBTEXT_GOOD);
	console_status("fbcon verdict probe: later");
	KTEST_EXPECT_TRUE(t, fbcon_status_line(line, sizeof(line), &colour));
	KTEST_EXPECT_EQ(t, strcmp(line, "fbcon verdict probe: later"), 0);
	KTEST_EXPECT_EQ(t, colour, FBTEXT_NORMAL);
}

static const struct ktest_case fbcon_cases[] = {
	KTEST_CASE(grid_is_screen_divided_by_font),
	KTEST_CASE(buffer_is_mapped_with_its_memory_type),
	KTEST_CASE(printed_line_lands_in_cells),
	KTEST_CASE(scrolling_keeps_the_last_lines),
	KTEST_CASE(long_line_wraps_to_the_next_row),
	KTEST_CASE(control_characters_are_drawn_safely),
	KTEST_CASE(status_line_names_the_running_case),
	KTEST_CASE(status_line_stays_while_text_scrolls),
	KTEST_CASE(verdict_is_coloured_and_keeps_the_totals),
};
KTEST_SUITE(fbcon, fbcon_cases, .enabled = fbcon_present);
