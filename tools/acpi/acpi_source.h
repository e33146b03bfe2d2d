/* SPDX-License-Identifier: MIT */
/*
 * Loading ACPI tables on the host for xcall-acpi (tools/acpi/acpi_source.c):
 * from a folder of binary tables (acpixtract's APIC.dat, FACP.dat, ... in
 * either case, or /sys/firmware/acpi/tables' APIC, FACP, ...), from an
 * acpidump text dump, or from one binary table file.
 *
 * It only reads bytes: whether a table is any good is for the parsers in
 * lib/acpi_tables.c to say. Each table gets its own exact-size allocation,
 * so under AddressSanitizer a parser that reads one byte too far crashes.
 */
#ifndef XCALL_TOOLS_ACPI_SOURCE_H
#define XCALL_TOOLS_ACPI_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

/* The tables xcall reads, in this order. */
enum acpi_source_table {
	SRC_APIC,
	SRC_FACP,
	SRC_HPET,
	SRC_DMAR,
	SRC_NR
};

/* The largest file read: a dump of every table of a big server is a few
 * MiB; anything far beyond is not an ACPI dump. */
#define ACPI_SOURCE_MAX_FILE	(64u << 20)

/* The room for a message naming a file and what went wrong. */
#define ACPI_SOURCE_ERR_LEN	512

struct acpi_source_table_data {
	unsigned char *data;	/* NULL: not found */
	size_t len;		/* bytes read (may differ from the header's Length) */
	char origin[4096];	/* "DIR/APIC.dat", "FILE: APIC at line 12" */
};

struct acpi_source {
	const char *kind;	/* "directory", "acpidump text", "binary table" */
	struct acpi_source_table_data t[SRC_NR];
};

/**
 * acpi_source_sig() - the signature of a table slot ("APIC", ...)
 * @which: an enum acpi_source_table
 *
 * Return: the 4-character signature.
 */
const char *acpi_source_sig(unsigned int which);

/**
 * acpi_source_load() - read the tables xcall uses from @path
 * @path: a directory, an acpidump text file or a binary table file
 * @src: filled in (free with acpi_source_free(), also after an error)
 * @err: on failure, one line saying what and why (ACPI_SOURCE_ERR_LEN)
 *
 * A directory's files are matched by name, case-insensitively: SIG or
 * SIG.dat for each wanted signature. An acpidump text's tables are its
 * "SIG @ 0xADDRESS" blocks of "OFFSET: hex bytes" lines; the first block
 * of each wanted signature is taken.
 *
 * Return: 0 when at least one wanted table was read; -ENOENT when @path
 * does not exist or holds none of them; -EACCES when a file cannot be
 * read for lack of permission; -EINVAL for a malformed dump; -EIO or
 * -EFBIG for other read failures.
 */
int acpi_source_load(const char *path, struct acpi_source *src, char *err);

/**
 * acpi_source_parse_dump() - read an acpidump text held in memory
 * @text: the text (need not be NUL-terminated)
 * @len: its length
 * @name: names it in messages
 * @src: filled in, tables as in acpi_source_load()
 * @err: on failure, one line
 *
 * Return: 0 when at least one wanted table was found; -ENOENT when none
 * was; -EINVAL when a block is malformed (offsets out of sequence, no hex
 * bytes after an offset, a table larger than ACPI_SOURCE_MAX_FILE).
 */
int acpi_source_parse_dump(const char *text, size_t len, const char *name,
			   struct acpi_source *src, char *err);

/** acpi_source_free() - free the tables of @src and clear it. */
void acpi_source_free(struct acpi_source *src);

#endif /* XCALL_TOOLS_ACPI_SOURCE_H */
