// SPDX-License-Identifier: MIT
/*
 * The framebuffer console: printk on the screen the loader set up, so a
 * PC booted from USB shows the self-tests without a serial cable.
 *
 * This file owns the screen: it checks what the loader says about it,
 * finds and parses the font module, maps the buffer, and draws cells. The
 * bottom row is kept apart as a status line (printk's console_status()
 * and console_verdict()): the run's progress, then PASSED or FAILED in
 * colour with the totals, where scrolling text never reaches it.
 * The text grid (cursor, wrapping, jump scroll, which cells changed) is
 * lib/fbtext.c; the font format is lib/psf.c; printk owns the console
 * lock and calls fbcon_write() with it held and interrupts off.
 *
 * Two kinds of screen:
 *   - a linear RGB framebuffer (16, 24 or 32 bpp), drawn glyph by glyph
 *     from the PSF font GRUB loads as the module named "font", mapped
 *     write-combining;
 *   - EGA text (the loader left the PC in text mode), 16-bit cells of
 *     character and attribute, mapped uncached; no font needed.
 * Indexed-colour framebuffers are refused: their colours come from a
 * palette the console would have to program (VGA DAC ports: arch work),
 * and the one GRUB reports on SeaBIOS when it set no linear mode is VGA's
 * planar 640x480, not a linear buffer at all.
 *
 * The screen is never read: the shadow cells in lib/fbtext.c say what it
 * shows, and only cells that differ from it are drawn. Reads of
 * write-combining or uncached memory cost a bus round trip each.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/compiler.h>
#include <xcall/errno.h>
#include <xcall/fbcon.h>
#include <xcall/fbtext.h>
#include <xcall/mm.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/psf.h>
#include <xcall/smp.h>
#include <xcall/string.h>
#include <xcall/time.h>

/* The module command line iso/grub.cfg gives the font ("module2 ...
 * font"). */
#define FONT_MODULE_CMDLINE	"font"
/* A larger font module is refused unread: the largest font psf_parse()
 * accepts, PSF_MAX_GLYPHS glyphs of PSF_MAX_WIDTH x PSF_MAX_HEIGHT, is
 * 32 MiB of bitmaps; its Unicode table is far smaller. */
#define FONT_MODULE_MAX		(64ull << 20)

/* fbcon.writer when no CPU is inside fbcon_write(). */
#define NO_WRITER		(~0u)
/* The bottom row becomes the status line on a screen of at least this
 * many rows; a smaller one keeps every row for the text. */
#define STATUS_MIN_ROWS		4

#define BITS_PER_BYTE		8

struct rgb {
	u8 r, g, b;
};

/*
 * The colours, from the standard VGA palette (IBM VGA technical
 * reference, the 16 default text colours), so the screen looks like the
 * PC console people know: 7 light grey, 10 light green, 12 light red.
 */
static const struct rgb rgb_colours[FBTEXT_NR_COLOURS] = {
	[FBTEXT_NORMAL]	= { 0xaa, 0xaa, 0xaa },
	[FBTEXT_GOOD]	= { 0x55, 0xff, 0x55 },
	[FBTEXT_BAD]	= { 0xff, 0x55, 0x55 },
};

/*
 * EGA text cells: character in the low byte, attribute in the high byte;
 * the attribute's low nibble is the foreground colour and the next three
 * bits the background (IBM EGA technical reference, "attribute byte"):
 * the same three VGA colours on background 0, black.
 */
#define EGA_ATTR_SHIFT		8
static const u8 ega_attrs[FBTEXT_NR_COLOURS] = {
	[FBTEXT_NORMAL]	= 0x07,
	[FBTEXT_GOOD]	= 0x0a,
	[FBTEXT_BAD]	= 0x0c,
};

static struct {
	bool active;		/* registered */
	unsigned int writer;	/* the CPU inside fbcon_write(), or NO_WRITER */
	struct mb2_framebuffer fb;
	u8 *base;		/* the buffer, identity-mapped */
	u32 cell_width, cell_height;
	struct psf_font font;
	u32 pixels[FBTEXT_NR_COLOURS];	/* rgb_colours, packed for the screen */
	u32 background;
	struct fbtext text;	/* the screen's rows above the status line */
	struct fbtext status;	/* one row, when status_rows is 1 */
	u32 status_rows;	/* 0 or 1 */
	u32 status_row;		/* the screen row the status line is on */
	bool picture;		/* fbcon_picture_begin(): the text grid is
				 * kept but no longer drawn */
} fbcon = { .writer = NO_WRITER };

/* ---- Drawing: one cell at a time, called back by fbtext_flush() ---- */

/* The text grid starts at the screen's row 0; the status grid's row 0 is
 * the screen's status row: fbtext_flush() passes the offset as its ctx. */
static u32 screen_row(const void *ctx, u32 row)
{
	return ctx ? *(const u32 *)ctx + row : row;
}

static unsigned int cell_colour(fbtext_cell cell)
{
	unsigned int colour = FBTEXT_CELL_COLOUR(cell);

	return colour < FBTEXT_NR_COLOURS ? colour : FBTEXT_NORMAL;
}

static void draw_rgb_cell(void *ctx, u32 row, u32 col, fbtext_cell cell)
{
	const struct psf_font *font = &fbcon.font;
	struct fbtext_glyph glyph = {
		.bits = psf_glyph(font, (u8)FBTEXT_CELL_CHAR(cell)),
		.width = font->width,
		.height = font->height,
		.bytes_per_row = font->bytes_per_row,
	};
	/* row < height / font height and col < width / font width, so the
	 * glyph's box lies inside the buffer. */
	u8 *dst = fbcon.base + (size_t)screen_row(ctx, row) * font->height * fbcon.fb.pitch +
		  (size_t)col * font->width * (fbcon.fb.bpp / BITS_PER_BYTE);

	fbtext_draw_glyph(dst, fbcon.fb.pitch, fbcon.fb.bpp, &glyph,
			  fbcon.pixels[cell_colour(cell)], fbcon.background);
}

static void draw_ega_cell(void *ctx, u32 row, u32 col, fbtext_cell cell)
{
	volatile u16 *dst = (volatile u16 *)(fbcon.base +
					     (size_t)screen_row(ctx, row) * fbcon.fb.pitch) + col;

	*dst = (u16)((u8)FBTEXT_CELL_CHAR(cell) |
		     ega_attrs[cell_colour(cell)] << EGA_ATTR_SHIFT);
}

/*
 * Called by printk with its lock held and interrupts off, from any CPU.
 * Waits on nothing: the grid is in RAM and the stores to the screen are
 * posted writes.
 *
 * Re-entry on the same CPU means a fault or an NMI inside this function
 * printed something (printk gives up on its own lock after a bounded
 * wait): the outer call owns the grid half-updated, so the nested line is
 * left to the other consoles. Without this, a fault while drawing would
 * panic, and the panic's printk would fault here again, forever. A
 * different CPU finding another writer is the panic case (printk broke
 * its lock after stopping the CPU that held it): it draws anyway, as
 * printk does, and fbtext keeps every store inside the grid.
 */
static void leave_picture(void);

static void fbcon_write(const char *s, size_t len)
{
	unsigned int cpu = smp_processor_id();

	if (READ_ONCE(fbcon.writer) == cpu)
		return;
	WRITE_ONCE(fbcon.writer, cpu);
	fbtext_write(&fbcon.text, s, len);
	/* Under a picture the grid keeps the text (the tests' queries read
	 * it) but the screen keeps the picture, until a panic: then the
	 * panic's text matters more. */
	if (READ_ONCE(fbcon.picture)) {
		if (!panic_in_progress()) {
			WRITE_ONCE(fbcon.writer, NO_WRITER);
			return;
		}
		leave_picture();
	}
	fbtext_flush(&fbcon.text, fbcon.fb.type == MB2_FB_RGB ?
		     draw_rgb_cell : draw_ega_cell, NULL);
	/*
	 * Write-combined stores may wait in the CPU's WC buffers until a
	 * fence, a locked or serialising instruction or an interrupt drains
	 * them (SDM vol. 3A, 12.3.1, "Buffering of Write Combining Memory Locations"); printk's unlock is a plain store. The
	 * fence puts the line on the screen now, so a CPU that halts right
	 * after a panic message does not keep its last characters.
	 */
	smp_mb();
	WRITE_ONCE(fbcon.writer, NO_WRITER);
}

/*
 * The status line: the progress of a long run, then the verdict, on the
 * screen's bottom row, where the text never scrolls over it. Called by
 * printk like fbcon_write(), and guarded the same way.
 */
static void fbcon_status(const char *s, size_t len, enum console_status_kind kind)
{
	unsigned int cpu = smp_processor_id();
	enum fbtext_colour colour = kind == CONSOLE_STATUS_PASSED ? FBTEXT_GOOD :
				    kind == CONSOLE_STATUS_FAILED ? FBTEXT_BAD :
				    FBTEXT_NORMAL;

	if (!fbcon.status_rows || READ_ONCE(fbcon.writer) == cpu)
		return;
	WRITE_ONCE(fbcon.writer, cpu);
	fbtext_set_line(&fbcon.status, 0, s, len, colour);
	fbtext_flush(&fbcon.status, fbcon.fb.type == MB2_FB_RGB ?
		     draw_rgb_cell : draw_ega_cell, &fbcon.status_row);
	smp_mb();	/* as in fbcon_write(): out of the WC buffers now */
	WRITE_ONCE(fbcon.writer, NO_WRITER);
}

static struct console fbcon_console = {
	.name = "fbcon",
	.write = fbcon_write,
	.status = fbcon_status,
};

/* ---- Setup ---- */

static const struct mb2_module *find_font(const struct mb2_info *mbi)
{
	for (size_t i = 0; i < mbi->nr_modules; i++) {
		const char *cmdline = mbi->modules[i].cmdline;

		if (cmdline && !strcmp(cmdline, FONT_MODULE_CMDLINE))
			return &mbi->modules[i];
	}
	return NULL;
}

/*
 * The loader's word for where the module is, checked before the font is
 * read: it must lie in RAM the memory map lists as usable (mm_init()
 * keeps it out of the free pages; reading a device range by mistake could
 * have side effects), and every page of it must be mapped.
 */
static bool module_is_readable(const struct mb2_info *mbi,
			       const struct mb2_module *mod)
{
	bool in_ram = false;

	for (size_t i = 0; i < mbi->nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &mbi->mmap[i];

		if (e->type == MB2_MEM_AVAILABLE && mod->start >= e->base &&
		    mod->end - e->base <= e->len)
			in_ram = true;
	}
	if (!in_ram || mod->start == 0)
		return false;
	for (u64 a = ALIGN_DOWN(mod->start, PAGE_SIZE); a < mod->end; a += PAGE_SIZE)
		if (!paging_is_mapped(a))
			return false;
	return true;
}

static int load_font(const struct mb2_info *mbi)
{
	const struct mb2_framebuffer *fb = &mbi->fb;
	const struct mb2_module *mod = find_font(mbi);
	const char *why;

	if (!mod) {
		pr_warn("fbcon: no font module (module2 ... %s) for the %ux%u framebuffer; serial console only\n",
			FONT_MODULE_CMDLINE, fb->width, fb->height);
		return -ENOENT;
	}
	if (mod->end - mod->start > FONT_MODULE_MAX) {
		pr_warn("fbcon: font module of %llu bytes is too large for a font; serial console only\n",
			(unsigned long long)(mod->end - mod->start));
		return -EINVAL;
	}
	if (!module_is_readable(mbi, mod)) {
		pr_warn("fbcon: font module at 0x%llx-0x%llx is not in mapped RAM; serial console only\n",
			(unsigned long long)mod->start, (unsigned long long)mod->end);
		return -EINVAL;
	}
	if (psf_parse((const void *)mod->start, mod->end - mod->start,
		      &fbcon.font, &why)) {
		pr_warn("fbcon: font module refused: %s; serial console only\n", why);
		return -EINVAL;
	}
	return 0;
}

/*
 * Map the buffer, allocate the two shadow arrays (what the grid holds and
 * what is on the screen) in one block, and set up the grids: the text on
 * every row but the last, the status line on the last, when the screen
 * has STATUS_MIN_ROWS or more.
 */
static int setup_grid(u32 cols, u32 rows, enum page_cache cache)
{
	const struct mb2_framebuffer *fb = &fbcon.fb;
	size_t nr_cells, pages;
	fbtext_cell *cells;
	u32 text_rows;

	if (cols == 0 || rows == 0 || cols > FBTEXT_MAX_CELLS / rows) {
		pr_warn("fbcon: a %ux%u grid is not usable; serial console only\n",
			cols, rows);
		return -EINVAL;
	}
	fbcon.status_rows = rows >= STATUS_MIN_ROWS ? 1 : 0;
	text_rows = rows - fbcon.status_rows;
	fbcon.status_row = text_rows;
	nr_cells = (size_t)cols * rows;
	pages = DIV_ROUND_UP(2 * nr_cells * sizeof(fbtext_cell), PAGE_SIZE);
	cells = alloc_pages(pages);
	if (!cells) {
		pr_warn("fbcon: no memory for %zu pages of shadow cells; serial console only\n",
			pages);
		return -ENOMEM;
	}
	if (paging_map_range(fb->addr, fbtext_fb_bytes(fb), cache)) {
		pr_warn("fbcon: no memory to map the framebuffer; serial console only\n");
		free_pages(cells, pages);
		return -ENOMEM;
	}
	fbcon.base = (u8 *)fb->addr;
	/* Cannot fail: the sizes were checked above. The status grid's
	 * cells follow the text grid's in each half of the block. */
	if (fbcon.status_rows)
		fbtext_init(&fbcon.status, cells + (size_t)cols * text_rows,
			    cells + nr_cells + (size_t)cols * text_rows, cols, 1);
	return fbtext_init(&fbcon.text, cells, cells + nr_cells, cols, text_rows);
}

static int setup_rgb(const struct mb2_info *mbi)
{
	const struct mb2_framebuffer *fb = &mbi->fb;
	int err;

	err = load_font(mbi);
	if (err)
		return err;
	fbcon.cell_width = fbcon.font.width;
	fbcon.cell_height = fbcon.font.height;
	err = setup_grid(fb->width / fbcon.cell_width,
			 fb->height / fbcon.cell_height, PAGE_CACHE_WC);
	if (err)
		return err;
	for (unsigned int i = 0; i < FBTEXT_NR_COLOURS; i++)
		fbcon.pixels[i] = fbtext_pack_rgb(fb, rgb_colours[i].r,
						  rgb_colours[i].g,
						  rgb_colours[i].b);
	fbcon.background = fbtext_pack_rgb(fb, 0, 0, 0);
	/* Whatever the loader drew goes; the shadow says "all blank". Black
	 * is 0 in every RGB layout, so a byte fill will do; it only writes. */
	memset(fbcon.base, 0, fbtext_fb_bytes(fb));
	return 0;
}

static int setup_ega(void)
{
	const struct mb2_framebuffer *fb = &fbcon.fb;
	int err;

	fbcon.cell_width = 1;
	fbcon.cell_height = 1;
	err = setup_grid(fb->width, fb->height, PAGE_CACHE_UC);
	if (err)
		return err;
	for (u32 row = 0; row < fb->height; row++)
		for (u32 col = 0; col < fb->width; col++)
			draw_ega_cell(NULL, row, col, FBTEXT_BLANK);
	return 0;
}

/*
 * A framebuffer inside RAM the frame allocator hands out would be drawn
 * over by whoever gets those pages, and would draw over them. Real
 * framebuffers sit in a PCI BAR or in memory the map reserves; the
 * loader's word that this one does is checked, not assumed.
 */
static bool overlaps_usable_ram(const struct mb2_info *mbi, u64 start, u64 size)
{
	for (size_t i = 0; i < mbi->nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &mbi->mmap[i];
		/* The map is firmware input too: base + len may wrap. */
		u64 end = e->base + e->len < e->base ? ~0ull : e->base + e->len;

		if (e->type == MB2_MEM_AVAILABLE && start < end &&
		    e->base < start + size)
			return true;
	}
	return false;
}

/* Why the loader's framebuffer cannot be used, or NULL when it can. */
static const char *check_screen(const struct mb2_info *mbi)
{
	const struct mb2_framebuffer *fb = &mbi->fb;
	const char *why;
	int err;

	err = fb->type == MB2_FB_RGB ? fbtext_check_rgb(fb, &why) :
				       fbtext_check_ega(fb, &why);
	if (err)
		return why;
	if (overlaps_usable_ram(mbi, fb->addr, fbtext_fb_bytes(fb)))
		return "it overlaps usable RAM";
	return NULL;
}

void fbcon_init(const struct mb2_info *mbi)
{
	const struct mb2_framebuffer *fb = &mbi->fb;
	const char *why;
	int err;

	if (!mbi->has_fb) {
		pr_info("fbcon: no framebuffer from the loader; serial console only\n");
		return;
	}
	if (fb->type == MB2_FB_INDEXED) {
		/* GRUB on SeaBIOS reports VGA's planar 640x480 (1 bpp at
		 * 0xa0000) when it set no linear mode, even with no VGA at
		 * all: usual under QEMU, nothing to warn about. */
		pr_info("fbcon: %ux%u %u bpp indexed-colour framebuffer is not supported; serial console only\n",
			fb->width, fb->height, fb->bpp);
		return;
	}
	if (fb->type != MB2_FB_RGB && fb->type != MB2_FB_EGA_TEXT) {
		pr_warn("fbcon: framebuffer of unknown type %u; serial console only\n",
			fb->type);
		return;
	}
	why = check_screen(mbi);
	if (why) {
		pr_warn("fbcon: framebuffer refused: %s (type %u, %ux%u, %u bpp, pitch %u, at 0x%llx); serial console only\n",
			why, fb->type, fb->width, fb->height, fb->bpp,
			fb->pitch, (unsigned long long)fb->addr);
		return;
	}

	fbcon.fb = *fb;
	err = fb->type == MB2_FB_RGB ? setup_rgb(mbi) : setup_ega();
	if (err)
		return;
	WRITE_ONCE(fbcon.active, true);
	register_console(&fbcon_console);
	if (fb->type == MB2_FB_RGB)
		pr_info("fbcon: %ux%u %u bpp at 0x%llx, font %ux%u: %u columns x %u rows%s\n",
			fb->width, fb->height, fb->bpp,
			(unsigned long long)fb->addr, fbcon.font.width,
			fbcon.font.height, fbcon.text.cols, fbcon.text.rows,
			fbcon.status_rows ? " and a status line" : "");
	else
		pr_info("fbcon: EGA text %ux%u at 0x%llx%s\n", fb->width,
			fb->height, (unsigned long long)fb->addr,
			fbcon.status_rows ? ", the bottom row a status line" : "");
}

/* ---- Queries, for the tests ---- */

bool fbcon_geometry(struct fbcon_geometry *g)
{
	if (!READ_ONCE(fbcon.active))
		return false;
	*g = (struct fbcon_geometry){
		.type = fbcon.fb.type,
		.bpp = fbcon.fb.bpp,
		.width = fbcon.fb.width,
		.height = fbcon.fb.height,
		.cell_width = fbcon.cell_width,
		.cell_height = fbcon.cell_height,
		.cols = fbcon.text.cols,
		.rows = fbcon.text.rows,
		.scroll_rows = fbcon.text.scroll_rows,
		.status_rows = fbcon.status_rows,
		.addr = fbcon.fb.addr,
		.size = fbtext_fb_bytes(&fbcon.fb),
	};
	return true;
}

bool fbcon_cell(unsigned int row, unsigned int col, char *c)
{
	const struct fbtext *t = &fbcon.text;

	if (!READ_ONCE(fbcon.active) || row >= t->rows || col >= t->cols)
		return false;
	*c = FBTEXT_CELL_CHAR(t->cells[(size_t)row * t->cols + col]);
	return true;
}

bool fbcon_cursor(unsigned int *row, unsigned int *col)
{
	if (!READ_ONCE(fbcon.active))
		return false;
	*row = READ_ONCE(fbcon.text.row);
	*col = READ_ONCE(fbcon.text.col);
	return true;
}

bool fbcon_status_line(char *buf, size_t size, unsigned int *colour)
{
	const struct fbtext *t = &fbcon.status;
	size_t end = 0;

	if (!READ_ONCE(fbcon.active) || !fbcon.status_rows || size == 0)
		return false;
	*colour = FBTEXT_NORMAL;
	for (u32 col = 0; col < t->cols && col + 1 < size; col++) {
		buf[col] = FBTEXT_CELL_CHAR(t->cells[col]);
		if (buf[col] == ' ')
			continue;
		/* Blanks carry no colour: the line's is its first
		 * character's. */
		if (end == 0)
			*colour = FBTEXT_CELL_COLOUR(t->cells[col]);
		end = col + 1;
	}
	buf[end] = '\0';
	return true;
}

u64 fbcon_nr_scrolls(void)
{
	return READ_ONCE(fbcon.active) ? READ_ONCE(fbcon.text.nr_scrolls) : 0;
}

/* ---- Pictures: pixels drawn by another subsystem (the bench matrix) ---- */

/* fbcon_picture_begin()'s wait for the console lock: a console line
 * takes far less; a CPU that holds it this long has stopped. */
#define PICTURE_LOCK_WAIT_US	(1000u * 1000)

int fbcon_picture_begin(struct fbcon_picture_area *area)
{
	unsigned int waited = 0;

	if (!READ_ONCE(fbcon.active))
		return -ENODEV;
	if (fbcon.fb.type != MB2_FB_RGB)
		return -ENODEV;
	/* printk draws under the console lock: once this CPU holds it and
	 * the flag is up, no fbcon_write() on another CPU is half way
	 * through drawing text over the cleared screen. */
	while (!console_trylock()) {
		if (waited++ >= PICTURE_LOCK_WAIT_US)
			return -EBUSY;
		udelay(1);
	}
	*area = (struct fbcon_picture_area){
		.width = fbcon.fb.width,
		.height = fbcon.status_row * fbcon.cell_height,
		.font_width = fbcon.cell_width,
		.font_height = fbcon.cell_height,
		.bpp = fbcon.fb.bpp,
	};
	WRITE_ONCE(fbcon.picture, true);
	console_unlock();
	fbcon_fill_rect(0, 0, area->width, area->height, 0, 0, 0);
	return 0;
}

/*
 * A panic while a picture is up: the panic's text must reach the screen.
 * Clear the picture, mark every cell of the grid as blank on the screen
 * (which it now is) and dirty, so the next flush draws the whole text.
 * Called from fbcon_write() as the writer.
 */
static void leave_picture(void)
{
	u32 cells = fbcon.text.rows * fbcon.text.cols;

	fbcon_fill_rect(0, 0, fbcon.fb.width, fbcon.status_row * fbcon.cell_height, 0, 0, 0);
	WRITE_ONCE(fbcon.picture, false);
	for (u32 i = 0; i < cells; i++)
		fbcon.text.shown[i] = FBTEXT_BLANK;
	fbcon.text.dirty_first = 0;
	fbcon.text.dirty_end = fbcon.text.rows;
}

/* Store one packed pixel; the caller has checked (x, y) is on the screen. */
static void put_pixel(u32 x, u32 y, u32 pixel)
{
	u32 bytes = fbcon.fb.bpp / BITS_PER_BYTE;
	u8 *p = fbcon.base + (size_t)y * fbcon.fb.pitch + (size_t)x * bytes;

	switch (fbcon.fb.bpp) {
	case 32:
		*(volatile u32 *)p = pixel;
		break;
	case 16:
		*(volatile u16 *)p = (u16)pixel;
		break;
	default:	/* 24: fbtext_check_rgb() admits only 16, 24 and 32 */
		for (u32 i = 0; i < bytes; i++)
			((volatile u8 *)p)[i] = (u8)(pixel >> (i * BITS_PER_BYTE));
		break;
	}
}

/* The picture's bottom: the status line below it stays the console's. */
static u32 picture_bottom(void)
{
	return fbcon.status_row * fbcon.cell_height;
}

void fbcon_fill_rect(u32 x, u32 y, u32 w, u32 h, u8 r, u8 g, u8 b)
{
	u32 pixel, x_end, y_end;

	if (!READ_ONCE(fbcon.picture) || x >= fbcon.fb.width || y >= picture_bottom())
		return;
	pixel = fbtext_pack_rgb(&fbcon.fb, r, g, b);
	x_end = w > fbcon.fb.width - x ? fbcon.fb.width : x + w;
	y_end = h > picture_bottom() - y ? picture_bottom() : y + h;
	for (u32 row = y; row < y_end; row++)
		for (u32 col = x; col < x_end; col++)
			put_pixel(col, row, pixel);
	smp_mb();	/* as in fbcon_write(): out of the WC buffers now */
}

size_t fbcon_draw_text(u32 x, u32 y, const char *s, const struct fbcon_rgb *fg,
		       const struct fbcon_rgb *bg)
{
	const struct psf_font *font = &fbcon.font;
	u32 fg_pixel, bg_pixel, bytes;
	size_t n = 0;

	if (!READ_ONCE(fbcon.picture) || y >= picture_bottom() ||
	    font->height > picture_bottom() - y)
		return 0;
	fg_pixel = fbtext_pack_rgb(&fbcon.fb, fg->r, fg->g, fg->b);
	bg_pixel = fbtext_pack_rgb(&fbcon.fb, bg->r, bg->g, bg->b);
	bytes = fbcon.fb.bpp / BITS_PER_BYTE;
	for (; s[n]; n++) {
		struct fbtext_glyph glyph = {
			.bits = psf_glyph(font, (u8)s[n]),
			.width = font->width,
			.height = font->height,
			.bytes_per_row = font->bytes_per_row,
		};
		/* In u64: a string long enough, or an x near U32_MAX, must
		 * not wrap back onto the screen. */
		u64 gx = (u64)x + (u64)n * font->width;

		if (gx >= fbcon.fb.width || font->width > fbcon.fb.width - gx)
			break;
		fbtext_draw_glyph(fbcon.base + (size_t)y * fbcon.fb.pitch + (size_t)gx * bytes,
				  fbcon.fb.pitch, fbcon.fb.bpp, &glyph, fg_pixel, bg_pixel);
	}
	smp_mb();	/* as in fbcon_write(): out of the WC buffers now */
	return n;
}
