/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot2 boot information block: its wire format, and a parser
 * (lib/multiboot2.c) that checks every tag before reading it and copies what
 * the kernel needs into struct mb2_info.
 *
 * The parser trusts nothing in the block: total_size, every tag size, the
 * memory map's entry size, every string's terminator. A block that breaks
 * a rule is refused as a whole, with a reason; the caller panics with it.
 * Reference: the Multiboot2 specification, version 2.0, section 3.6.
 */
#ifndef XCALL_MULTIBOOT2_H
#define XCALL_MULTIBOOT2_H

#include <xcall/const.h>

/* What the loader leaves in EAX (Multiboot2 spec 3.3). */
#define MB2_BOOTLOADER_MAGIC	_AC(0x36d76289, u)

/* The kernel's header, which the loader looks for (spec 3.1). */
#define MB2_HEADER_MAGIC	_AC(0xe85250d6, u)
#define MB2_ARCH_I386		0	/* 32-bit protected mode entry */
#define MB2_HEADER_TAG_END	0
#define MB2_HEADER_TAG_FB	5	/* framebuffer request */
#define MB2_HEADER_TAG_MODALIGN	6	/* modules page-aligned */
#define MB2_HEADER_TAG_OPTIONAL	1	/* the loader may ignore the tag */

/* Tags are 8-byte aligned (spec 3.6.1). */
#define MB2_TAG_ALIGN		8

/* Tag types (spec 3.6). */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_BOOTDEV		5
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_TAG_LOAD_BASE	21

/* Memory map entry types (spec 3.6.8). */
#define MB2_MEM_AVAILABLE	1
#define MB2_MEM_RESERVED	2
#define MB2_MEM_ACPI_RECLAIM	3
#define MB2_MEM_NVS		4
#define MB2_MEM_BADRAM		5

/* Framebuffer types (spec 3.6.12). */
#define MB2_FB_INDEXED		0
#define MB2_FB_RGB		1
#define MB2_FB_EGA_TEXT		2

#ifndef __ASSEMBLY__
#include <xcall/compiler.h>
#include <xcall/types.h>

/* Wire format. */
struct mb2_info_header {
	u32 total_size;
	u32 reserved;
} __packed;

struct mb2_tag {
	u32 type;
	u32 size;
} __packed;

struct mb2_tag_module {
	u32 type;
	u32 size;
	u32 mod_start;
	u32 mod_end;
	char cmdline[];
} __packed;

struct mb2_tag_mmap {
	u32 type;
	u32 size;
	u32 entry_size;
	u32 entry_version;
	/* entries of entry_size bytes follow */
} __packed;

struct mb2_mmap_raw_entry {
	u64 base_addr;
	u64 length;
	u32 type;
	u32 reserved;
} __packed;

struct mb2_tag_framebuffer {
	u32 type;
	u32 size;
	u64 addr;
	u32 pitch;
	u32 width;
	u32 height;
	u8 bpp;
	u8 fb_type;
	u16 reserved;
	/* for MB2_FB_RGB: the colour field positions and sizes */
	u8 red_pos;
	u8 red_size;
	u8 green_pos;
	u8 green_size;
	u8 blue_pos;
	u8 blue_size;
} __packed;

/* Limits of what the parser keeps. More entries than this are counted in
 * the *_dropped fields, never written past the arrays. */
#define MB2_MAX_MMAP		128
#define MB2_MAX_MODULES		8
/* A block larger than this is taken for garbage. */
#define MB2_MAX_INFO_SIZE	(1u << 20)
/* ACPI 2.0+ RSDP is 36 bytes; a copy larger than this is refused. */
#define MB2_MAX_RSDP_SIZE	64

struct mb2_mmap_entry {
	u64 base;
	u64 len;
	u32 type;
};

struct mb2_module {
	u64 start;		/* physical, first byte */
	u64 end;		/* physical, one past the last byte */
	const char *cmdline;	/* NUL-terminated, inside the block */
};

struct mb2_framebuffer {
	u64 addr;
	u32 pitch;		/* bytes per line */
	u32 width;		/* pixels, or characters for EGA text */
	u32 height;
	u8 bpp;
	u8 type;		/* MB2_FB_* */
	u8 red_pos, red_size;
	u8 green_pos, green_size;
	u8 blue_pos, blue_size;
};

struct mb2_info {
	const char *cmdline;		/* NULL when absent */
	const char *loader_name;	/* NULL when absent */

	size_t nr_mmap;
	size_t nr_mmap_dropped;
	struct mb2_mmap_entry mmap[MB2_MAX_MMAP];

	size_t nr_modules;
	size_t nr_modules_dropped;
	struct mb2_module modules[MB2_MAX_MODULES];

	bool has_fb;
	struct mb2_framebuffer fb;

	/* The RSDP copy GRUB made; the new (ACPI 2.0) tag wins over the old. */
	const void *rsdp;		/* inside the block, NULL when absent */
	size_t rsdp_len;
	bool rsdp_is_v2;

	size_t total_size;		/* of the whole block, as validated */
};

/**
 * mb2_parse() - validate a Multiboot2 information block and extract it
 * @info: the block, 8-byte aligned
 * @avail: how many bytes at @info may be read; the parser never reads past
 *         min(@avail, total_size)
 * @out: filled on success; left in an unspecified state on failure
 * @why: on failure, set to a static string naming the broken rule; may be
 *       NULL
 *
 * Rules: @info is 8-byte aligned; 8 <= total_size <= min(@avail,
 * MB2_MAX_INFO_SIZE); each tag is 8-byte aligned, has size >= 8 and lies
 * inside total_size; an end tag (type 0, size 8) is present; the command
 * line and loader name are NUL-terminated inside their tag; a module has
 * mod_start <= mod_end and a terminated string; the memory map's
 * entry_size is at least 24 and a multiple of 8, and the tag holds a whole
 * number of entries; an RSDP copy is at least 20 bytes and at most
 * MB2_MAX_RSDP_SIZE; a framebuffer tag holds its common fields, and the
 * colour fields too when its type is MB2_FB_RGB. Unknown tag types are
 * skipped. Memory map entries and framebuffer geometry are copied as
 * given: base + len may wrap and pitch * height may be nonsense, so their
 * users check them. Strings and rsdp point into @info.
 *
 * Context: any; reads only @info.
 * Return: 0 on success, -EINVAL with @why set when a rule is broken.
 */
int mb2_parse(const void *info, size_t avail, struct mb2_info *out,
	      const char **why);

#endif /* __ASSEMBLY__ */

#endif /* XCALL_MULTIBOOT2_H */
