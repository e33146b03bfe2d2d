/* SPDX-License-Identifier: MIT */
/*
 * Kernel options (kernel/options.c): the Multiboot2 command line, then,
 * under QEMU, the fw_cfg file opt/xcall/cmdline appended after it, so a
 * later word overrides an earlier one.
 *
 * Each subsystem defines its own options next to the variable they set,
 * with DEFINE_OPTION_*; the definitions land in a linker section that the
 * parser walks. An unknown word prints a warning; a malformed value prints
 * an error and leaves the default.
 */
#ifndef XCALL_OPTIONS_H
#define XCALL_OPTIONS_H

#include <xcall/compiler.h>
#include <xcall/types.h>

enum option_type {
	OPTION_FLAG,		/* bool: present means true; takes no value */
	OPTION_UINT,		/* unsigned int within [min, max] */
	OPTION_CHOICE,		/* unsigned int: index of the value in choices */
	OPTION_CUSTOM,		/* parse(value) decides; value NULL when bare */
};

struct kernel_option {
	const char *name;
	enum option_type type;
	void *var;
	u64 min, max;
	const char *const *choices;	/* NULL-terminated */
	int (*parse)(const char *value, size_t len);
	const char *help;
};

#define __OPTION(n, ...) \
	static const struct kernel_option __option_##n __used \
	__section(".kernel_options") __aligned(8) = { .name = #n, __VA_ARGS__ }

#define DEFINE_OPTION_FLAG(n, v, h) \
	__OPTION(n, .type = OPTION_FLAG, .var = &(v), .help = (h))
#define DEFINE_OPTION_UINT(n, v, lo, hi, h) \
	__OPTION(n, .type = OPTION_UINT, .var = &(v), .min = (lo), .max = (hi), .help = (h))
#define DEFINE_OPTION_CHOICE(n, v, c, h) \
	__OPTION(n, .type = OPTION_CHOICE, .var = &(v), .choices = (c), .help = (h))
/* @p returns 0, or -EINVAL for a value it refuses (the parser reports it). */
#define DEFINE_OPTION_CUSTOM(n, p, h) \
	__OPTION(n, .type = OPTION_CUSTOM, .parse = (p), .help = (h))

/**
 * options_parse() - apply every word of a command line
 * @cmdline: the words; NULL is an empty line
 * @source: where they came from, for messages ("cmdline", "fw_cfg")
 *
 * Context: boot CPU, before SMP bring-up.
 * Return: the number of words refused (unknown or malformed).
 */
unsigned int options_parse(const char *cmdline, const char *source);

/**
 * options_note_refused() - count words of the boot's command lines refused
 * @n: how many; options_parse()'s answer, or 1 for a line ignored whole
 *
 * options_parse() only returns its count: a test that feeds it bad words
 * must not make the boot's own command line look refused. The caller that
 * applies the boot's command lines adds them here, for options_refused().
 *
 * Context: boot CPU, before SMP bring-up.
 */
void options_note_refused(unsigned int n);

/**
 * options_refused() - how many words of the boot's command lines were refused
 *
 * The kernel's closing line reports it (kernel_finish()), where no
 * loglevel= can hide it, for a harness to compare with the "options:"
 * messages it saw.
 *
 * Context: any.
 * Return: the sum of every options_note_refused() so far.
 */
unsigned int options_refused(void);

#endif /* XCALL_OPTIONS_H */
