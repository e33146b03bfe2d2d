// SPDX-License-Identifier: MIT
/*
 * The Multiboot2 information block parser (see include/xcall/multiboot2.h).
 *
 * It owns checking the block GRUB left in memory and copying out what the
 * kernel needs: command line, loader name, memory map, modules, framebuffer
 * and the RSDP copy. It reads only the block and writes only *out; deciding
 * what to do with the result (panic, hand the map to the frame allocator,
 * parse ACPI) is the caller's business.
 *
 * Every read is preceded by the check that makes it safe: the tag header
 * only once 8 bytes remain below total_size, a tag's body only once its
 * size is known to fit, each memory map entry only inside its tag. A rule
 * broken anywhere refuses the whole block, so the kernel never runs on half
 * a memory map.
 */
#include <xcall/compiler.h>
#include <xcall/errno.h>
#include <xcall/multiboot2.h>
#include <xcall/string.h>

/* The fixed part of a tag that carries only a string (cmdline, loader). */
#define MB2_STRING_TAG_HDR	sizeof(struct mb2_tag)
/* The part of the framebuffer tag every type has, then the RGB fields
 * (spec 3.6.12). */
#define MB2_FB_COMMON_SIZE	offsetof(struct mb2_tag_framebuffer, red_pos)
#define MB2_FB_RGB_SIZE		sizeof(struct mb2_tag_framebuffer)
/* Memory map entries: at least the 24 bytes of version 0 (spec 3.6.8),
 * in steps that keep the next entry 8-byte aligned. */
#define MB2_MMAP_MIN_ENTRY	sizeof(struct mb2_mmap_raw_entry)
#define MB2_MMAP_ENTRY_ALIGN	8
/* An ACPI 1.0 RSDP is 20 bytes (ACPI 6.5, 5.2.5.3). */
#define MB2_MIN_RSDP_SIZE	20

BUILD_BUG_ON(sizeof(struct mb2_tag_module) != 16);
BUILD_BUG_ON(sizeof(struct mb2_tag_mmap) != 16);
BUILD_BUG_ON(MB2_MMAP_MIN_ENTRY != 24);
BUILD_BUG_ON(MB2_FB_COMMON_SIZE != 32);
BUILD_BUG_ON(MB2_FB_RGB_SIZE != MB2_FB_COMMON_SIZE + 6);

/* Fail with @reason; a helper so every refusal has the same shape. */
static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

/* True when @s holds a NUL within its first @n bytes. */
static bool terminated(const char *s, size_t n)
{
	return strnlen(s, n) < n;
}

static int parse_string(const u8 *tag, u32 size, const char **dst,
			const char **why, const char *reason)
{
	const char *s = (const char *)tag + MB2_STRING_TAG_HDR;

	if (!terminated(s, size - MB2_STRING_TAG_HDR))
		return refuse(why, reason);
	*dst = s;
	return 0;
}

static int parse_module(const u8 *tag, u32 size, struct mb2_info *out,
			const char **why)
{
	const struct mb2_tag_module *mod = (const void *)tag;
	struct mb2_module *m;

	/* The fixed part and at least the NUL of an empty command line. */
	if (size < sizeof(*mod) + 1)
		return refuse(why, "module tag too short");
	if (mod->mod_start > mod->mod_end)
		return refuse(why, "module starts after it ends");
	if (!terminated(mod->cmdline, size - sizeof(*mod)))
		return refuse(why, "module command line not terminated");

	if (out->nr_modules == MB2_MAX_MODULES) {
		out->nr_modules_dropped++;
		return 0;
	}
	m = &out->modules[out->nr_modules++];
	m->start = mod->mod_start;
	m->end = mod->mod_end;
	m->cmdline = mod->cmdline;
	return 0;
}

static int parse_mmap(const u8 *tag, u32 size, struct mb2_info *out,
		      const char **why)
{
	const struct mb2_tag_mmap *mmap = (const void *)tag;
	u32 entry_size, body, off;

	if (size < sizeof(*mmap))
		return refuse(why, "memory map tag too short");
	entry_size = mmap->entry_size;
	if (entry_size < MB2_MMAP_MIN_ENTRY)
		return refuse(why, "memory map entry_size below 24");
	if (entry_size % MB2_MMAP_ENTRY_ALIGN)
		return refuse(why, "memory map entry_size not a multiple of 8");
	/* GRUB sizes the tag to whole entries; a partial one is corrupt. */
	body = size - (u32)sizeof(*mmap);
	if (body % entry_size)
		return refuse(why, "memory map entries do not fit the tag");

	for (off = 0; off < body; off += entry_size) {
		const struct mb2_mmap_raw_entry *raw =
			(const void *)(tag + sizeof(*mmap) + off);
		struct mb2_mmap_entry *e;

		if (out->nr_mmap == MB2_MAX_MMAP) {
			out->nr_mmap_dropped++;
			continue;
		}
		e = &out->mmap[out->nr_mmap++];
		e->base = raw->base_addr;
		e->len = raw->length;
		e->type = raw->type;
	}
	return 0;
}

static int parse_framebuffer(const u8 *tag, u32 size, struct mb2_info *out,
			     const char **why)
{
	const struct mb2_tag_framebuffer *fb = (const void *)tag;

	if (size < MB2_FB_COMMON_SIZE)
		return refuse(why, "framebuffer tag too short");

	out->has_fb = true;
	out->fb = (struct mb2_framebuffer){
		.addr = fb->addr,
		.pitch = fb->pitch,
		.width = fb->width,
		.height = fb->height,
		.bpp = fb->bpp,
		.type = fb->fb_type,
	};
	if (fb->fb_type != MB2_FB_RGB)
		return 0;
	if (size < MB2_FB_RGB_SIZE)
		return refuse(why, "framebuffer tag too short for RGB fields");
	out->fb.red_pos = fb->red_pos;
	out->fb.red_size = fb->red_size;
	out->fb.green_pos = fb->green_pos;
	out->fb.green_size = fb->green_size;
	out->fb.blue_pos = fb->blue_pos;
	out->fb.blue_size = fb->blue_size;
	return 0;
}

static int parse_rsdp(const u8 *tag, u32 size, bool is_v2,
		      struct mb2_info *out, const char **why)
{
	size_t len = size - sizeof(struct mb2_tag);

	if (len < MB2_MIN_RSDP_SIZE)
		return refuse(why, "RSDP copy shorter than 20 bytes");
	if (len > MB2_MAX_RSDP_SIZE)
		return refuse(why, "RSDP copy too long");
	/* The ACPI 2.0 copy carries the XSDT; keep it whatever the order. */
	if (out->rsdp_is_v2 && !is_v2)
		return 0;
	out->rsdp = tag + sizeof(struct mb2_tag);
	out->rsdp_len = len;
	out->rsdp_is_v2 = is_v2;
	return 0;
}

/* Check one tag's contents and copy what it carries. */
static int parse_tag(const u8 *tag, u32 type, u32 size, struct mb2_info *out,
		     const char **why)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		return parse_string(tag, size, &out->cmdline, why,
				    "command line not terminated");
	case MB2_TAG_LOADER_NAME:
		return parse_string(tag, size, &out->loader_name, why,
				    "loader name not terminated");
	case MB2_TAG_MODULE:
		return parse_module(tag, size, out, why);
	case MB2_TAG_MMAP:
		return parse_mmap(tag, size, out, why);
	case MB2_TAG_FRAMEBUFFER:
		return parse_framebuffer(tag, size, out, why);
	case MB2_TAG_ACPI_OLD:
		return parse_rsdp(tag, size, false, out, why);
	case MB2_TAG_ACPI_NEW:
		return parse_rsdp(tag, size, true, out, why);
	default:
		/* Spec 3.6: a tag the reader does not know is skipped. */
		return 0;
	}
}

/**
 * mb2_parse() - validate a Multiboot2 information block and extract it
 * @info: the block, 8-byte aligned
 * @avail: how many bytes at @info may be read; the parser never reads past
 *         min(@avail, total_size)
 * @out: filled on success; left in an unspecified state on failure
 * @why: on failure, set to a static string naming the broken rule (may be
 *       NULL when the caller does not want it)
 *
 * The rules are listed in include/xcall/multiboot2.h. Strings and the RSDP
 * pointer in @out point into @info, which must outlive them.
 *
 * Context: any; reads only @info, writes only @out and @why.
 * Return: 0 on success, -EINVAL with @why set when a rule is broken or an
 * argument is NULL.
 */
int mb2_parse(const void *info, size_t avail, struct mb2_info *out,
	      const char **why)
{
	const u8 *base = info;
	const struct mb2_info_header *hdr = info;
	const char *unused_why;
	size_t total, off;

	if (!why)
		why = &unused_why;
	if (!info || !out)
		return refuse(why, "NULL argument");
	if (!IS_ALIGNED((uintptr_t)info, MB2_TAG_ALIGN))
		return refuse(why, "info block not 8-byte aligned");
	if (avail < sizeof(*hdr))
		return refuse(why, "info header not readable");

	total = hdr->total_size;
	if (total < sizeof(*hdr))
		return refuse(why, "total_size below 8");
	if (total > MB2_MAX_INFO_SIZE)
		return refuse(why, "total_size above MB2_MAX_INFO_SIZE");
	if (total > avail)
		return refuse(why, "total_size past the readable bytes");

	memset(out, 0, sizeof(*out));
	out->total_size = total;

	/* off stays 8-aligned: it starts at 8 and grows by aligned sizes. */
	for (off = sizeof(*hdr);; ) {
		const struct mb2_tag *tag;
		u32 type, size;
		int err;

		if (total - off < sizeof(*tag))
			return refuse(why, "no end tag");
		tag = (const void *)(base + off);
		type = tag->type;
		size = tag->size;
		if (size < sizeof(*tag))
			return refuse(why, "tag size below 8");
		if (size > total - off)
			return refuse(why, "tag runs past total_size");
		if (type == MB2_TAG_END) {
			if (size != sizeof(*tag))
				return refuse(why, "end tag size is not 8");
			return 0;
		}
		err = parse_tag(base + off, type, size, out, why);
		if (err)
			return err;
		/*
		 * size <= total - off <= MB2_MAX_INFO_SIZE, so neither the
		 * rounding nor the sum can wrap. A next offset past total
		 * fails the length check at the top of the loop.
		 */
		off += ALIGN_UP((size_t)size, MB2_TAG_ALIGN);
		if (off > total)
			return refuse(why, "no end tag");
	}
}
