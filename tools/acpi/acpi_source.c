// SPDX-License-Identifier: MIT
/*
 * Loading ACPI tables on the host: a folder of binary tables, an acpidump
 * text dump, or one binary table. See acpi_source.h for the contract.
 *
 * The acpidump text format (ACPICA's acpidump, and what hw-probe uploads):
 *
 *	APIC @ 0x0000000079d9e000
 *	    0000: 41 50 49 43 84 00 00 00 03 95 41 43 52 53 59 53  APIC......ACRSYS
 *	    0010: ...
 *
 * A block starts with "NAME @ 0xADDRESS" (NAME is the signature, with a
 * digit after it for a second SSDT and the like); each line gives the
 * offset, up to 16 bytes as two hex digits and a space each, then their
 * ASCII. The bytes sit in fixed columns, so they are read by column: the
 * ASCII column (which may itself look like hex, "FF") never starts before
 * column 3 * 16 of the data, and is never read as data.
 */
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acpi_source.h"

#define SIG_LEN			4
/* acpixtract's file extension. */
#define DAT_EXT			".dat"
/* One dump line: up to 16 bytes, each "XX " (three columns). */
#define DUMP_BYTES_PER_LINE	16
#define DUMP_COLS_PER_BYTE	3
/* The ACPI table header: signature, then the 32-bit Length. */
#define HDR_LEN			36
#define HDR_LENGTH_OFF		4

static const char *const wanted[SRC_NR] = {
	[SRC_APIC] = "APIC",
	[SRC_FACP] = "FACP",
	[SRC_HPET] = "HPET",
	[SRC_DMAR] = "DMAR",
};

const char *acpi_source_sig(unsigned int which)
{
	return which < SRC_NR ? wanted[which] : "????";
}

static __attribute__((format(printf, 2, 3))) void set_err(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ACPI_SOURCE_ERR_LEN, fmt, ap);
	va_end(ap);
}

/* The slot for a name, or -1: @name is SIG, in any case, exactly
 * @name_len characters long. */
static int slot_of(const char *name, size_t name_len)
{
	if (name_len != SIG_LEN)
		return -1;
	for (int i = 0; i < SRC_NR; i++)
		if (strncasecmp(name, wanted[i], SIG_LEN) == 0)
			return i;
	return -1;
}

/* Read a whole file into memory of exactly its size. */
static int read_file(const char *path, unsigned char **out, size_t *len, char *err)
{
	unsigned char *buf = NULL, *grown;
	size_t cap = 0, used = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		ret = -errno;
		set_err(err, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	/* sysfs files may report any size: read until end of file. */
	for (;;) {
		ssize_t n;

		if (used == cap) {
			if (cap >= ACPI_SOURCE_MAX_FILE) {
				set_err(err, "%s is larger than %u MiB: not an ACPI table or dump",
					path, ACPI_SOURCE_MAX_FILE >> 20);
				ret = -EFBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			grown = realloc(buf, cap);
			if (!grown) {
				set_err(err, "out of memory reading %s", path);
				ret = -ENOMEM;
				goto out;
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			set_err(err, "cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	/* Exact size, so a parser's over-read is an ASan error. */
	grown = malloc(used ? used : 1);
	if (!grown) {
		set_err(err, "out of memory reading %s", path);
		ret = -ENOMEM;
		goto out;
	}
	memcpy(grown, buf, used);
	*out = grown;
	*len = used;
out:
	free(buf);
	close(fd);
	return ret;
}

static int load_dir(const char *path, struct acpi_source *src, char *err)
{
	struct dirent **names;
	int n, found = 0, ret = 0;

	/* Sorted, so which of "apic.dat" and "APIC" wins is stable. */
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		ret = -errno;
		set_err(err, "cannot list %s: %s", path, strerror(errno));
		return ret;
	}
	src->kind = "directory";
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		char file[4096];
		int slot;

		if (len > strlen(DAT_EXT) &&
		    strcasecmp(name + len - strlen(DAT_EXT), DAT_EXT) == 0)
			len -= strlen(DAT_EXT);
		slot = slot_of(name, len);
		if (slot < 0 || src->t[slot].data || ret)
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, name);
		ret = read_file(file, &src->t[slot].data, &src->t[slot].len, err);
		if (ret)
			continue;
		snprintf(src->t[slot].origin, sizeof(src->t[slot].origin), "%s", file);
		found++;
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (ret)
		return ret;
	if (!found) {
		set_err(err, "%s holds none of the tables xcall reads (APIC, FACP, HPET, DMAR, as NAME or NAME.dat)",
			path);
		return -ENOENT;
	}
	return 0;
}

/* ---- acpidump text ------------------------------------------------- */

struct dump_table {
	unsigned char *data;
	size_t len, cap;
};

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* "NAME @ 0xADDRESS": the block's name into @name (its length returned),
 * or 0 when the line is no block header. */
static size_t block_header(const char *line, size_t len, char *name, size_t name_cap)
{
	size_t i = 0, n = 0;

	while (i < len && line[i] == ' ')
		i++;
	while (i < len && isalnum((unsigned char)line[i]) && n + 1 < name_cap)
		name[n++] = line[i++];
	name[n] = '\0';
	if (n == 0)
		return 0;
	while (i < len && line[i] == ' ')
		i++;
	if (i >= len || line[i] != '@')
		return 0;
	i++;
	while (i < len && line[i] == ' ')
		i++;
	if (i + 2 > len || line[i] != '0' || tolower((unsigned char)line[i + 1]) != 'x')
		return 0;
	return n;
}

/*
 * "    OFFSET: XX XX ...  ascii": append the bytes to @t. Returns the
 * number of bytes, 0 when the line is not a data line, or -1 with @err
 * set when it is one but breaks the format.
 */
static int data_line(const char *line, size_t len, struct dump_table *t,
		     const char *name, unsigned int lineno, char *err)
{
	size_t i = 0, offset = 0, start;
	int nbytes = 0;

	while (i < len && line[i] == ' ')
		i++;
	start = i;
	while (i < len && hexval((unsigned char)line[i]) >= 0) {
		if (offset > ACPI_SOURCE_MAX_FILE)
			break;
		offset = offset * 16 + (size_t)hexval((unsigned char)line[i++]);
	}
	if (i == start || i + 1 >= len || line[i] != ':' || line[i + 1] != ' ')
		return 0;
	i += 2;
	if (offset != t->len) {
		set_err(err, "%s line %u: offset 0x%zx where 0x%zx was expected",
			name, lineno, offset, t->len);
		return -1;
	}
	for (int b = 0; b < DUMP_BYTES_PER_LINE; b++) {
		size_t at = i + (size_t)b * DUMP_COLS_PER_BYTE;
		int hi, lo;

		if (at + 1 >= len)
			break;
		hi = hexval((unsigned char)line[at]);
		lo = hexval((unsigned char)line[at + 1]);
		if (hi < 0 || lo < 0 || (at + 2 < len && line[at + 2] != ' '))
			break;
		if (t->len == t->cap) {
			unsigned char *grown;

			if (t->cap >= ACPI_SOURCE_MAX_FILE) {
				set_err(err, "%s line %u: table larger than %u MiB",
					name, lineno, ACPI_SOURCE_MAX_FILE >> 20);
				return -1;
			}
			t->cap = t->cap ? t->cap * 2 : 256;
			grown = realloc(t->data, t->cap);
			if (!grown) {
				set_err(err, "out of memory reading %s", name);
				return -1;
			}
			t->data = grown;
		}
		t->data[t->len++] = (unsigned char)(hi * 16 + lo);
		nbytes++;
	}
	if (!nbytes) {
		set_err(err, "%s line %u: an offset but no hex bytes", name, lineno);
		return -1;
	}
	return nbytes;
}

/* Keep @t in slot @slot, trimmed to exactly its bytes. */
static int keep_table(struct acpi_source *src, int slot, struct dump_table *t,
		      const char *name, unsigned int lineno, char *err)
{
	unsigned char *exact = malloc(t->len ? t->len : 1);

	if (!exact) {
		set_err(err, "out of memory reading %s", name);
		return -ENOMEM;
	}
	if (t->len)
		memcpy(exact, t->data, t->len);
	src->t[slot].data = exact;
	src->t[slot].len = t->len;
	snprintf(src->t[slot].origin, sizeof(src->t[slot].origin),
		 "%s: %s at line %u", name, wanted[slot], lineno);
	return 0;
}

int acpi_source_parse_dump(const char *text, size_t len, const char *name,
			   struct acpi_source *src, char *err)
{
	struct dump_table cur = { 0 };
	int slot = -1, found = 0, ret = 0;
	unsigned int lineno = 0, block_line = 0;
	size_t pos = 0;

	src->kind = "acpidump text";
	while (pos < len && !ret) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - line) : len - pos;
		char block[16];

		pos += line_len + (nl ? 1 : 0);
		lineno++;
		if (line_len && line[line_len - 1] == '\r')
			line_len--;
		if (block_header(line, line_len, block, sizeof(block))) {
			if (slot >= 0)
				ret = keep_table(src, slot, &cur, name, block_line, err);
			found += slot >= 0;
			cur.len = 0;
			slot = slot_of(block, strlen(block));
			/* The first block of a signature wins. */
			if (slot >= 0 && src->t[slot].data)
				slot = -1;
			block_line = lineno;
			continue;
		}
		if (slot < 0)
			continue;
		if (data_line(line, line_len, &cur, name, lineno, err) < 0)
			ret = -EINVAL;
	}
	if (!ret && slot >= 0) {
		ret = keep_table(src, slot, &cur, name, block_line, err);
		found++;
	}
	free(cur.data);
	if (ret)
		return ret;
	if (!found) {
		set_err(err, "%s has no APIC, FACP, HPET or DMAR block (\"NAME @ 0x...\" followed by hex lines): not an acpidump text?",
			name);
		return -ENOENT;
	}
	return 0;
}

/* ---- One file ------------------------------------------------------ */

/* Does @buf look like one binary table whose Length is its size? */
static int binary_table_slot(const unsigned char *buf, size_t len)
{
	unsigned int length;

	if (len < HDR_LEN)
		return -1;
	length = (unsigned int)buf[HDR_LENGTH_OFF] |
		 (unsigned int)buf[HDR_LENGTH_OFF + 1] << 8 |
		 (unsigned int)buf[HDR_LENGTH_OFF + 2] << 16 |
		 (unsigned int)buf[HDR_LENGTH_OFF + 3] << 24;
	if (length != len)
		return -1;
	return slot_of((const char *)buf, SIG_LEN);
}

static int load_file(const char *path, struct acpi_source *src, char *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int slot, ret;

	ret = read_file(path, &buf, &len, err);
	if (ret)
		return ret;
	slot = binary_table_slot(buf, len);
	if (slot >= 0) {
		src->kind = "binary table";
		src->t[slot].data = buf;
		src->t[slot].len = len;
		snprintf(src->t[slot].origin, sizeof(src->t[slot].origin), "%s", path);
		return 0;
	}
	ret = acpi_source_parse_dump((const char *)buf, len, path, src, err);
	free(buf);
	return ret;
}

int acpi_source_load(const char *path, struct acpi_source *src, char *err)
{
	struct stat st;

	memset(src, 0, sizeof(*src));
	if (stat(path, &st) != 0) {
		int ret = -errno;

		set_err(err, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(path, src, err);
	return load_file(path, src, err);
}

void acpi_source_free(struct acpi_source *src)
{
	for (int i = 0; i < SRC_NR; i++)
		free(src->t[i].data);
	memset(src, 0, sizeof(*src));
}
