// SPDX-License-Identifier: MIT
/*
 * Host tests for xcall-acpi's loader (tools/acpi/acpi_source.c): folders of
 * binary tables found by name in any case, acpidump text read by column,
 * one binary table, and a clear error for everything else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xcall/compiler.h>

#include "acpi_source.h"
#include "check.h"

/* A table header and a few body bytes; the signature and Length are
 * filled in by make_table(). */
#define TABLE_LEN	50
#define HDR_LEN		36

static void make_table(unsigned char *t, const char *sig, size_t len)
{
	for (size_t i = 0; i < len; i++)
		t[i] = (unsigned char)(i * 7 + 3);
	memcpy(t, sig, 4);
	t[4] = (unsigned char)len;
	t[5] = (unsigned char)(len >> 8);
	t[6] = t[7] = 0;
	/* The last bytes read as "FF" in the ASCII column of the dump. */
	t[len - 2] = 'F';
	t[len - 1] = 'F';
}

/* Append @t as acpidump prints it, with @eol ("\n" or "\r\n"). */
static size_t dump_table(char *out, size_t cap, const char *name,
			 const unsigned char *t, size_t len, const char *eol)
{
	size_t at = (size_t)snprintf(out, cap, "%s @ 0x00000000796d3000%s", name, eol);

	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;

		at += (size_t)snprintf(out + at, cap - at, "    %04zX:", off);
		for (size_t i = 0; i < 16; i++)
			at += (size_t)snprintf(out + at, cap - at, i < n ? " %02X" : "   ",
					       i < n ? t[off + i] : 0);
		at += (size_t)snprintf(out + at, cap - at, "  ");
		for (size_t i = 0; i < n; i++)
			out[at++] = t[off + i] >= ' ' && t[off + i] <= '~' ? (char)t[off + i] : '.';
		at += (size_t)snprintf(out + at, cap - at, "%s", eol);
	}
	at += (size_t)snprintf(out + at, cap - at, "%s", eol);
	return at;
}

static void dump_text_read_by_column(struct ktest *t)
{
	unsigned char apic[TABLE_LEN], facp[TABLE_LEN + 20], dsdt[TABLE_LEN];
	static char text[16384];
	struct acpi_source src;
	char err[ACPI_SOURCE_ERR_LEN] = "";
	size_t len = 0;

	make_table(apic, "APIC", sizeof(apic));
	make_table(facp, "FACP", sizeof(facp));
	make_table(dsdt, "DSDT", sizeof(dsdt));
	len += dump_table(text + len, sizeof(text) - len, "DSDT", dsdt, sizeof(dsdt), "\r\n");
	len += dump_table(text + len, sizeof(text) - len, "APIC", apic, sizeof(apic), "\r\n");
	len += dump_table(text + len, sizeof(text) - len, "facp", facp, sizeof(facp), "\n");
	/* A second APIC block: the first one wins. */
	dsdt[0] = 'A';
	len += dump_table(text + len, sizeof(text) - len, "APIC", dsdt, sizeof(dsdt), "\n");

	memset(&src, 0, sizeof(src));
	if (!KTEST_EXPECT_EQ(t, acpi_source_parse_dump(text, len, "dump.txt", &src, err), 0)) {
		printf("    # %s\n", err);
		return;
	}
	KTEST_EXPECT_STREQ(t, src.kind, "acpidump text");
	if (KTEST_EXPECT_EQ(t, src.t[SRC_APIC].len, sizeof(apic)))
		KTEST_EXPECT_MEMEQ(t, src.t[SRC_APIC].data, apic, sizeof(apic));
	if (KTEST_EXPECT_EQ(t, src.t[SRC_FACP].len, sizeof(facp)))
		KTEST_EXPECT_MEMEQ(t, src.t[SRC_FACP].data, facp, sizeof(facp));
	KTEST_EXPECT_TRUE(t, src.t[SRC_HPET].data == NULL);
	KTEST_EXPECT_TRUE(t, strstr(src.t[SRC_APIC].origin, "APIC at line") != NULL);
	acpi_source_free(&src);

	/* Text without a trailing newline still ends its last table. */
	len = dump_table(text, sizeof(text), "DMAR", apic, sizeof(apic), "\n");
	KTEST_EXPECT_EQ(t, acpi_source_parse_dump(text, len - 2, "dump.txt", &src, err), 0);
	KTEST_EXPECT_EQ(t, src.t[SRC_DMAR].len, sizeof(apic));
	acpi_source_free(&src);
}

static void dump_text_errors_are_clear(struct ktest *t)
{
	static const char gap[] =
		"APIC @ 0x0\n"
		"    0000: 41 50 49 43 30 00 00 00 01 02 03 04 05 06 07 08  APIC0...........\n"
		"    0020: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n";
	static const char no_bytes[] = "HPET @ 0x0\n    0000: zz\n";
	static const char none[] = "DSDT @ 0x0\n    0000: 44 53 44 54\n\nhello\n";
	struct acpi_source src;
	char err[ACPI_SOURCE_ERR_LEN] = "";

	memset(&src, 0, sizeof(src));
	KTEST_EXPECT_EQ(t, acpi_source_parse_dump(gap, sizeof(gap) - 1, "d", &src, err), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "d line 3: offset 0x20 where 0x10 was expected") != NULL);
	acpi_source_free(&src);
	KTEST_EXPECT_EQ(t, acpi_source_parse_dump(no_bytes, sizeof(no_bytes) - 1, "d", &src, err),
		 -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(err, "an offset but no hex bytes") != NULL);
	acpi_source_free(&src);
	KTEST_EXPECT_EQ(t, acpi_source_parse_dump(none, sizeof(none) - 1, "d", &src, err), -ENOENT);
	KTEST_EXPECT_TRUE(t, strstr(err, "not an acpidump text?") != NULL);
	acpi_source_free(&src);
	KTEST_EXPECT_EQ(t, acpi_source_parse_dump("", 0, "d", &src, err), -ENOENT);
	acpi_source_free(&src);
}

/* A fresh folder under /tmp; the caller removes it with rm_dir(). */
static char *make_dir(void)
{
	static char tmpl[64];

	snprintf(tmpl, sizeof(tmpl), "/tmp/xcall-acpi-test.XXXXXX");
	return mkdtemp(tmpl);
}

static void put_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, len, f);
	fclose(f);
}

static void rm_dir(const char *dir, const char *const *names, size_t n)
{
	char path[256];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void folder_tables_found_by_name_in_any_case(struct ktest *t)
{
	static const char *const names[] = { "apic.dat", "FACP", "Hpet.DAT",
					     "DMAR.bin", "SSDT1.dat", "APIC" };
	unsigned char apic[TABLE_LEN], facp[TABLE_LEN], hpet[TABLE_LEN];
	struct acpi_source src;
	char err[ACPI_SOURCE_ERR_LEN] = "";
	char *dir = make_dir();

	if (!KTEST_EXPECT_TRUE(t, dir != NULL))
		return;
	make_table(apic, "APIC", sizeof(apic));
	make_table(facp, "FACP", sizeof(facp));
	make_table(hpet, "HPET", sizeof(hpet));
	put_file(dir, names[0], apic, sizeof(apic));
	put_file(dir, names[1], facp, sizeof(facp));
	put_file(dir, names[2], hpet, sizeof(hpet));
	put_file(dir, names[3], "not a name xcall looks for", 26);
	put_file(dir, names[4], "x", 1);
	/* Sorted, "APIC" comes before "apic.dat": it wins. */
	put_file(dir, names[5], facp, 40);

	if (KTEST_EXPECT_EQ(t, acpi_source_load(dir, &src, err), 0)) {
		KTEST_EXPECT_STREQ(t, src.kind, "directory");
		KTEST_EXPECT_EQ(t, src.t[SRC_APIC].len, 40);
		KTEST_EXPECT_EQ(t, src.t[SRC_FACP].len, sizeof(facp));
		KTEST_EXPECT_MEMEQ(t, src.t[SRC_HPET].data, hpet, sizeof(hpet));
		KTEST_EXPECT_TRUE(t, src.t[SRC_DMAR].data == NULL);
		KTEST_EXPECT_TRUE(t, strstr(src.t[SRC_HPET].origin, "/Hpet.DAT") != NULL);
	} else {
		printf("    # %s\n", err);
	}
	acpi_source_free(&src);
	rm_dir(dir, names, ARRAY_SIZE(names));
}

static void folder_without_tables_or_path_missing_is_an_error(struct ktest *t)
{
	static const char *const names[] = { "DSDT.dat" };
	struct acpi_source src;
	char err[ACPI_SOURCE_ERR_LEN] = "";
	char *dir = make_dir();

	if (!KTEST_EXPECT_TRUE(t, dir != NULL))
		return;
	put_file(dir, names[0], "DSDT", 4);
	KTEST_EXPECT_EQ(t, acpi_source_load(dir, &src, err), -ENOENT);
	KTEST_EXPECT_TRUE(t, strstr(err, "holds none of the tables xcall reads") != NULL);
	acpi_source_free(&src);
	rm_dir(dir, names, ARRAY_SIZE(names));

	KTEST_EXPECT_EQ(t, acpi_source_load("/nonexistent/xcall-acpi", &src, err), -ENOENT);
	KTEST_EXPECT_TRUE(t, strstr(err, "/nonexistent/xcall-acpi: No such file or directory") != NULL);
	acpi_source_free(&src);
}

static void unreadable_table_is_eacces(struct ktest *t)
{
	static const char *const names[] = { "APIC.dat" };
	struct acpi_source src;
	char err[ACPI_SOURCE_ERR_LEN] = "";
	char path[256];
	char *dir;

	/* Root reads anything: the case cannot be staged. */
	if (geteuid() == 0) {
		ktest_skip(t, "running as root, which may read a mode-000 file");
		return;
	}
	dir = make_dir();
	if (!KTEST_EXPECT_TRUE(t, dir != NULL))
		return;
	put_file(dir, names[0], "APIC", 4);
	snprintf(path, sizeof(path), "%s/%s", dir, names[0]);
	chmod(path, 0);
	KTEST_EXPECT_EQ(t, acpi_source_load(dir, &src, err), -EACCES);
	KTEST_EXPECT_TRUE(t, strstr(err, "Permission denied") != NULL);
	acpi_source_free(&src);
	rm_dir(dir, names, ARRAY_SIZE(names));
}

static void one_binary_table_file(struct ktest *t)
{
	static const char *const names[] = { "table.bin", "short.bin" };
	unsigned char dmar[TABLE_LEN];
	struct acpi_source src;
	char err[ACPI_SOURCE_ERR_LEN] = "";
	char path[256];
	char *dir = make_dir();

	if (!KTEST_EXPECT_TRUE(t, dir != NULL))
		return;
	make_table(dmar, "DMAR", sizeof(dmar));
	put_file(dir, names[0], dmar, sizeof(dmar));
	snprintf(path, sizeof(path), "%s/%s", dir, names[0]);
	if (KTEST_EXPECT_EQ(t, acpi_source_load(path, &src, err), 0)) {
		KTEST_EXPECT_STREQ(t, src.kind, "binary table");
		KTEST_EXPECT_MEMEQ(t, src.t[SRC_DMAR].data, dmar, sizeof(dmar));
	}
	acpi_source_free(&src);

	/* Length and size disagree: read as text, which it is not. */
	put_file(dir, names[1], dmar, sizeof(dmar) - 1);
	snprintf(path, sizeof(path), "%s/%s", dir, names[1]);
	KTEST_EXPECT_EQ(t, acpi_source_load(path, &src, err), -ENOENT);
	KTEST_EXPECT_TRUE(t, strstr(err, "not an acpidump text?") != NULL);
	acpi_source_free(&src);
	rm_dir(dir, names, ARRAY_SIZE(names));
}

static const struct ktest_case cases[] = {
	KTEST_CASE(dump_text_read_by_column),
	KTEST_CASE(dump_text_errors_are_clear),
	KTEST_CASE(folder_tables_found_by_name_in_any_case),
	KTEST_CASE(folder_without_tables_or_path_missing_is_an_error),
	KTEST_CASE(unreadable_table_is_eacces),
	KTEST_CASE(one_binary_table_file),
};

int main(void)
{
	return host_main("acpi_source", cases, ARRAY_SIZE(cases));
}
