# SPDX-License-Identifier: MIT
objs-y += lib/string.o lib/vsprintf.o lib/cmdline.o lib/bitmap.o lib/llist.o \
	  lib/multiboot2.o lib/frame_alloc.o lib/acpi_tables.o lib/psf.o lib/stats.o \
	  lib/fbtext.o
