/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer console (kernel/fbcon.c): printk on the screen GRUB
 * left us, so a PC booted from USB shows the self-tests.
 */
#ifndef XCALL_FBCON_H
#define XCALL_FBCON_H

#include <xcall/multiboot2.h>

/**
 * fbcon_init() - register a screen console if GRUB gave a framebuffer
 * @mbi: the boot information: its framebuffer tag, and the module whose
 *       command line is "font" (a PSF font)
 *
 * Prints why when there is no usable screen or font, and registers
 * nothing then. Context: boot CPU, after paging_init().
 */
void fbcon_init(const struct mb2_info *mbi);

#endif /* XCALL_FBCON_H */
