// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/acpi_tables.c: RSDP checks and scan, root table walk,
 * MADT, FADT, HPET and DMAR parsing, on synthetic tables. Real tables
 * are test_acpi_hostile.c's (mutated, under ASan) and
 * test_acpi_corpus.py's (against iasl).
 *
 * A small builder writes tables with correct checksums; a fake physical
 * memory (struct acpi_mem_ops over malloc'd regions) serves them. Every
 * table or region is its own exact-size allocation, so under ASan a read
 * one byte past what the parser validated is a crash, not a silent pass.
 * The fake map() also logs each call, so a case can check that a table's
 * header was mapped before its body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xcall/acpi.h>
#include <xcall/errno.h>

#include "check.h"

#define HDR_LEN		sizeof(struct acpi_table_header)
#define MADT_HDR_LEN	sizeof(struct acpi_madt)

/* Physical addresses of the fake machine's tables. XSDT_ONLY_PHYS is above
 * 4 GiB, where only a 64-bit XSDT entry can point. */
#define RSDT_PHYS	0x7fe0000ull
#define XSDT_PHYS	0x7fe1000ull
#define MADT_PHYS	0x7fe2000ull
#define FADT_PHYS	0x7fe3000ull
#define HPET_PHYS	0x7fe4000ull
#define MADT2_PHYS	0x7fe5000ull
#define UNMAPPED_PHYS	0xdead0000ull
#define XSDT_ONLY_PHYS	0x100002000ull

#define LAPIC_DEFAULT	0xfee00000u
#define LAPIC_HIGH	0x1fee00000ull
#define HPET_MMIO	0xfed00000ull
#define PM_TMR_PORT	0x608
#define X_PM_TMR_PORT	0xb008

/* FADT lengths: ACPI 1.0 (revision 1) ends after Flags; ACPI 6.x is 276
 * bytes (ACPI 6.5 Table 5.9). */
#define FADT_V1_LEN	116
#define FADT_V6_LEN	276
/* HPET description table: header, Event Timer Block ID, Base Address
 * GAS, HPET Number, Minimum Tick, Page Protection (IA-PC HPET 1.0a). */
#define HPET_TABLE_LEN	56
#define HPET_ID_OFF	36

/* ---- Table builder ------------------------------------------------- */

struct tb {
	unsigned char *buf;
	size_t len, cap;
};

/* Append @n bytes; return the offset they start at. */
static size_t tb_put(struct tb *t, const void *p, size_t n)
{
	size_t off = t->len;

	if (t->len + n > t->cap) {
		t->cap = (t->len + n) * 2;
		t->buf = realloc(t->buf, t->cap);
		if (!t->buf)
			abort();
	}
	if (n)
		memcpy(t->buf + t->len, p, n);
	t->len += n;
	return off;
}

static void tb_zero(struct tb *t, size_t n)
{
	static const unsigned char zeros[FADT_V6_LEN];

	while (n) {
		size_t k = n < sizeof(zeros) ? n : sizeof(zeros);

		tb_put(t, zeros, k);
		n -= k;
	}
}

static void tb_begin(struct tb *t, const char *sig, u8 revision)
{
	struct acpi_table_header h = { .revision = revision };

	memcpy(h.signature, sig, sizeof(h.signature));
	memcpy(h.oem_id, "XCALLT", sizeof(h.oem_id));
	memcpy(h.oem_table_id, "HOSTTEST", sizeof(h.oem_table_id));
	t->buf = NULL;
	t->len = t->cap = 0;
	tb_put(t, &h, sizeof(h));
}

static u8 sum_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	u8 s = 0;

	while (n--)
		s = (u8)(s + *b++);
	return s;
}

/* Make a table's checksum right for its current Length field. */
static void fix_checksum(void *table)
{
	struct acpi_table_header *h = table;

	h->checksum = 0;
	h->checksum = (u8)-sum_bytes(table, h->length);
}

/* Set Length to what was written, fix the checksum, and hand back an
 * exact-size copy (the caller frees it). */
static void *tb_end(struct tb *t, size_t *len)
{
	struct acpi_table_header *h = (void *)t->buf;
	void *out;

	h->length = (u32)t->len;
	fix_checksum(t->buf);
	out = malloc(t->len);
	if (!out)
		abort();
	memcpy(out, t->buf, t->len);
	free(t->buf);
	if (len)
		*len = t->len;
	return out;
}

static void *exact_copy(const void *p, size_t n)
{
	void *out = malloc(n ? n : 1);

	if (!out)
		abort();
	memcpy(out, p, n);
	return out;
}

/* MADT entries; each returns the entry's offset in the table. */
static size_t madt_begin_rev(struct tb *t, u32 lapic, u32 flags, u8 revision)
{
	u32 fixed[2] = { lapic, flags };

	tb_begin(t, ACPI_SIG_MADT, revision);
	tb_put(t, fixed, sizeof(fixed));
	return t->len;
}

/* Revision 5, ACPI 6.3's. */
#define MADT_REV_ACPI_6_3	5

static size_t madt_begin(struct tb *t, u32 lapic, u32 flags)
{
	return madt_begin_rev(t, lapic, flags, MADT_REV_ACPI_6_3);
}

/* The parsed FADT of ACPI 6.3 tables, which define Online Capable. */
static const struct fadt_info acpi_6_3 = {
	.revision = ACPI_FADT_MAJOR_ONLINE_CAPABLE,
	.minor_revision = ACPI_FADT_MINOR_ONLINE_CAPABLE,
};

static size_t madt_lapic(struct tb *t, u8 uid, u8 id, u32 flags)
{
	struct acpi_madt_lapic e = {
		.h = { ACPI_MADT_LAPIC, sizeof(e) },
		.processor_uid = uid, .apic_id = id, .flags = flags,
	};
	return tb_put(t, &e, sizeof(e));
}

static size_t madt_x2apic(struct tb *t, u32 uid, u32 id, u32 flags)
{
	struct acpi_madt_x2apic e = {
		.h = { ACPI_MADT_X2APIC, sizeof(e) },
		.x2apic_id = id, .flags = flags, .processor_uid = uid,
	};
	return tb_put(t, &e, sizeof(e));
}

static size_t madt_ioapic(struct tb *t, u8 id, u32 addr, u32 gsi_base)
{
	struct acpi_madt_ioapic e = {
		.h = { ACPI_MADT_IOAPIC, sizeof(e) },
		.ioapic_id = id, .address = addr, .gsi_base = gsi_base,
	};
	return tb_put(t, &e, sizeof(e));
}

static size_t madt_iso(struct tb *t, u8 source, u32 gsi, u16 flags)
{
	struct acpi_madt_iso e = {
		.h = { ACPI_MADT_ISO, sizeof(e) },
		.bus = 0, .source = source, .gsi = gsi, .flags = flags,
	};
	return tb_put(t, &e, sizeof(e));
}

static size_t madt_lapic_nmi(struct tb *t, u8 uid, u16 flags, u8 lint)
{
	struct acpi_madt_lapic_nmi e = {
		.h = { ACPI_MADT_LAPIC_NMI, sizeof(e) },
		.processor_uid = uid, .flags = flags, .lint = lint,
	};
	return tb_put(t, &e, sizeof(e));
}

static size_t madt_x2apic_nmi(struct tb *t, u32 uid, u16 flags, u8 lint)
{
	struct acpi_madt_x2apic_nmi e = {
		.h = { ACPI_MADT_X2APIC_NMI, sizeof(e) },
		.flags = flags, .processor_uid = uid, .lint = lint,
	};
	return tb_put(t, &e, sizeof(e));
}

static size_t madt_addr_override(struct tb *t, u64 addr)
{
	struct acpi_madt_lapic_addr e = {
		.h = { ACPI_MADT_LAPIC_ADDR_OVERRIDE, sizeof(e) },
		.address = addr,
	};
	return tb_put(t, &e, sizeof(e));
}

/* Any entry, raw: for types the parser skips and for broken lengths. */
static size_t madt_raw(struct tb *t, u8 type, u8 length, size_t body)
{
	struct acpi_madt_entry h = { type, length };
	size_t off = t->len;

	tb_put(t, &h, sizeof(h));
	tb_zero(t, body);
	return off;
}

/* A FADT of @len bytes (at most FADT_V6_LEN). */
static void *make_fadt(size_t len, u32 pm_tmr_blk, u8 pm_tmr_len, u32 flags,
		       u8 x_space, u64 x_addr)
{
	struct tb t;
	struct acpi_gas gas = {
		.space_id = x_space, .bit_width = 32, .address = x_addr,
	};

	tb_begin(&t, ACPI_SIG_FADT, len >= FADT_V6_LEN ? 6 : 1);
	tb_zero(&t, FADT_V6_LEN - HDR_LEN);
	memcpy(t.buf + ACPI_FADT_PM_TMR_BLK_OFF, &pm_tmr_blk, sizeof(pm_tmr_blk));
	t.buf[ACPI_FADT_PM_TMR_LEN_OFF] = pm_tmr_len;
	memcpy(t.buf + ACPI_FADT_FLAGS_OFF, &flags, sizeof(flags));
	memcpy(t.buf + ACPI_FADT_X_PM_TMR_BLK_OFF, &gas, sizeof(gas));
	t.len = len;
	return tb_end(&t, NULL);
}

/* A FADT of @len bytes and @revision with the given flag words. */
static void *make_fadt_flags(size_t len, u8 revision, u16 boot_arch, u32 flags)
{
	void *f = make_fadt(len, PM_TMR_PORT, 4, flags, ACPI_GAS_SYSTEM_IO, 0);
	struct acpi_table_header *h = f;

	h->revision = revision;
	if (len >= ACPI_FADT_IAPC_BOOT_ARCH_OFF + sizeof(boot_arch))
		memcpy((u8 *)f + ACPI_FADT_IAPC_BOOT_ARCH_OFF, &boot_arch,
		       sizeof(boot_arch));
	fix_checksum(f);
	return f;
}

/* A DMAR with @flags and the remapping structures in @body. */
static void *make_dmar(u8 flags, const void *body, size_t body_len, size_t *len)
{
	struct tb t;
	u8 fixed[ACPI_DMAR_STRUCTS_OFF - HDR_LEN] = { 0 };

	fixed[ACPI_DMAR_HAW_OFF - HDR_LEN] = 38;	/* 39-bit addresses */
	fixed[ACPI_DMAR_FLAGS_OFF - HDR_LEN] = flags;
	tb_begin(&t, ACPI_SIG_DMAR, 1);
	tb_put(&t, fixed, sizeof(fixed));
	if (body_len)
		tb_put(&t, body, body_len);
	return tb_end(&t, len);
}

static void *make_hpet(size_t len, u8 space, u64 addr)
{
	struct tb t;
	struct acpi_gas gas = { .space_id = space, .address = addr };
	u32 id = 0x8086a201;	/* Event Timer Block ID of an Intel HPET */

	tb_begin(&t, ACPI_SIG_HPET, 1);
	tb_zero(&t, HPET_TABLE_LEN - HDR_LEN);
	memcpy(t.buf + HPET_ID_OFF, &id, sizeof(id));
	memcpy(t.buf + ACPI_HPET_ADDRESS_OFF, &gas, sizeof(gas));
	t.len = len;
	return tb_end(&t, NULL);
}

/* A root table with @n entries of @entry_len bytes (4: RSDT, 8: XSDT). */
static void *make_root(bool xsdt, const u64 *phys, size_t n, size_t *len)
{
	struct tb t;

	tb_begin(&t, xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT, 1);
	for (size_t i = 0; i < n; i++) {
		if (xsdt) {
			tb_put(&t, &phys[i], sizeof(u64));
		} else {
			u32 p32 = (u32)phys[i];

			tb_put(&t, &p32, sizeof(p32));
		}
	}
	return tb_end(&t, len);
}

static void make_rsdp(struct acpi_rsdp *r, u8 revision, u32 rsdt, u64 xsdt)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->signature, ACPI_RSDP_SIG, sizeof(r->signature));
	memcpy(r->oem_id, "XCALLT", sizeof(r->oem_id));
	r->revision = revision;
	r->rsdt_address = rsdt;
	r->length = ACPI_RSDP_V2_LEN;
	r->xsdt_address = xsdt;
	r->checksum = (u8)-sum_bytes(r, ACPI_RSDP_V1_LEN);
	r->extended_checksum = (u8)-sum_bytes(r, ACPI_RSDP_V2_LEN);
}

/* ---- Fake physical memory ----------------------------------------- */

#define FAKE_REGIONS	16
#define FAKE_LOG	64

struct fake_region {
	u64 phys;
	size_t len;
	unsigned char *buf;
};

struct fake_mem {
	struct fake_region r[FAKE_REGIONS];
	unsigned int n;
	struct { u64 phys; size_t len; } log[FAKE_LOG];
	unsigned int nr_log;
};

static const void *fake_map(void *ctx, u64 phys, size_t len)
{
	struct fake_mem *m = ctx;

	if (m->nr_log < FAKE_LOG) {
		m->log[m->nr_log].phys = phys;
		m->log[m->nr_log].len = len;
		m->nr_log++;
	}
	for (unsigned int i = 0; i < m->n; i++) {
		struct fake_region *r = &m->r[i];

		if (phys >= r->phys && phys - r->phys <= r->len &&
		    len <= r->len - (phys - r->phys))
			return r->buf + (phys - r->phys);
	}
	return NULL;
}

/* Place the first @avail bytes of @data at @phys, in an allocation of
 * exactly @avail bytes. */
static void fake_put(struct fake_mem *m, u64 phys, const void *data,
		     size_t avail)
{
	if (m->n >= FAKE_REGIONS)
		abort();
	m->r[m->n].phys = phys;
	m->r[m->n].len = avail;
	m->r[m->n].buf = exact_copy(data, avail);
	m->n++;
}

/* Place a table, taking its length from its header, and free @table. */
static void fake_put_table(struct fake_mem *m, u64 phys, void *table)
{
	fake_put(m, phys, table, ((struct acpi_table_header *)table)->length);
	free(table);
}

static void fake_free(struct fake_mem *m)
{
	for (unsigned int i = 0; i < m->n; i++)
		free(m->r[i].buf);
	m->n = 0;
}

static struct acpi_mem_ops fake_ops(struct fake_mem *m)
{
	return (struct acpi_mem_ops){ .map = fake_map, .ctx = m };
}

/* Is there a diag line containing @needle? */
static bool diag_has(const struct acpi_diag *d, const char *needle)
{
	for (unsigned int i = 0; i < d->nr && i < ACPI_DIAG_MAX; i++)
		if (strstr(d->msg[i], needle))
			return true;
	return false;
}

static void print_diag(const struct acpi_diag *d)
{
	for (unsigned int i = 0; i < d->nr && i < ACPI_DIAG_MAX; i++)
		printf("    # diag: %s\n", d->msg[i]);
}

/* ---- The standard machine ------------------------------------------ */

/* Offsets of a few entries of the standard MADT, for diag checks. */
struct std_madt {
	void *table;
	size_t len;
};

/*
 * Two xAPIC CPUs, one x2APIC CPU, a disabled online-capable one, an I/O
 * APIC, two overrides, an NMI source (skipped), both NMI types and an
 * entry of an unknown type (skipped).
 */
static struct std_madt make_std_madt(void)
{
	struct std_madt s;
	struct tb t;

	madt_begin(&t, LAPIC_DEFAULT, ACPI_MADT_PCAT_COMPAT);
	madt_lapic(&t, 0, 0, ACPI_MADT_ENABLED);
	madt_lapic(&t, 1, 2, ACPI_MADT_ENABLED);
	madt_x2apic(&t, 300, 0x100, ACPI_MADT_ENABLED);
	madt_lapic(&t, 3, 6, ACPI_MADT_ONLINE_CAPABLE);
	madt_ioapic(&t, 8, 0xfec00000u, 0);
	madt_iso(&t, 0, 2, 0);
	madt_iso(&t, 9, 9, 0xd);
	madt_raw(&t, ACPI_MADT_NMI_SOURCE, 8, 6);
	madt_lapic_nmi(&t, ACPI_NMI_ALL_UID, 5, 1);
	madt_x2apic_nmi(&t, 300, 0, 0);
	madt_raw(&t, 0x7f, 7, 5);
	s.table = tb_end(&t, &s.len);
	return s;
}

/* RSDT -> MADT, FADT; XSDT -> MADT, FADT, HPET. */
static void make_std_machine(struct fake_mem *m)
{
	u64 rsdt_e[] = { MADT_PHYS, FADT_PHYS };
	u64 xsdt_e[] = { MADT_PHYS, FADT_PHYS, HPET_PHYS };
	struct std_madt s = make_std_madt();

	memset(m, 0, sizeof(*m));
	fake_put_table(m, RSDT_PHYS, make_root(false, rsdt_e, 2, NULL));
	fake_put_table(m, XSDT_PHYS, make_root(true, xsdt_e, 3, NULL));
	fake_put_table(m, MADT_PHYS, s.table);
	fake_put_table(m, FADT_PHYS,
		       make_fadt(FADT_V6_LEN, PM_TMR_PORT, 4, ACPI_FADT_TMR_VAL_EXT,
				 ACPI_GAS_SYSTEM_IO, X_PM_TMR_PORT));
	fake_put_table(m, HPET_PHYS,
		       make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO));
}

static struct acpi_root xsdt_root(void)
{
	return (struct acpi_root){ .address = XSDT_PHYS, .xsdt = true, .revision = 2 };
}

static struct acpi_root rsdt_root(void)
{
	return (struct acpi_root){ .address = RSDT_PHYS, .xsdt = false };
}

/* The MADT parser's output is big; keep it off the stack. */
static struct madt_info *new_info(void)
{
	struct madt_info *info = malloc(sizeof(*info));

	if (!info)
		abort();
	return info;
}

/* ---- RSDP ----------------------------------------------------------- */

static void rsdp_v1_selects_rsdt(struct ktest *t)
{
	struct acpi_rsdp r;
	struct acpi_root root;
	const char *why = NULL;
	void *copy;

	make_rsdp(&r, 0, RSDT_PHYS, 0);
	/* A 1.0 structure is 20 bytes: any read beyond is an ASan error. */
	copy = exact_copy(&r, ACPI_RSDP_V1_LEN);
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(copy, ACPI_RSDP_V1_LEN, &root, &why), 0);
	KTEST_EXPECT_EQ_U(t, root.address, RSDT_PHYS);
	KTEST_EXPECT_TRUE(t, !root.xsdt);
	KTEST_EXPECT_EQ(t, root.revision, 0);
	KTEST_EXPECT_STREQ(t, root.oem_id, "XCALLT");
	free(copy);
}

static void rsdp_v2_prefers_xsdt(struct ktest *t)
{
	struct acpi_rsdp r;
	struct acpi_root root;
	const char *why = NULL;
	void *copy;

	make_rsdp(&r, 2, RSDT_PHYS, XSDT_ONLY_PHYS);
	copy = exact_copy(&r, sizeof(r));
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(copy, sizeof(r), &root, &why), 0);
	KTEST_EXPECT_EQ_U(t, root.address, XSDT_ONLY_PHYS);
	KTEST_EXPECT_TRUE(t, root.xsdt);
	KTEST_EXPECT_EQ(t, root.revision, 2);
	free(copy);
}

static void rsdp_v2_bad_extended_checksum_falls_back_to_rsdt(struct ktest *t)
{
	struct acpi_rsdp r;
	struct acpi_root root;
	const char *why = NULL;

	make_rsdp(&r, 2, RSDT_PHYS, XSDT_PHYS);
	r.extended_checksum++;
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, &why), 0);
	KTEST_EXPECT_EQ_U(t, root.address, RSDT_PHYS);
	KTEST_EXPECT_TRUE(t, !root.xsdt);
}

static void rsdp_v2_unusable_extension_falls_back_to_rsdt(struct ktest *t)
{
	struct acpi_rsdp r;
	struct acpi_root root;
	void *copy;

	/* Only 20 bytes readable: the 2.0 fields must not be touched. */
	make_rsdp(&r, 2, RSDT_PHYS, XSDT_PHYS);
	copy = exact_copy(&r, ACPI_RSDP_V1_LEN);
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(copy, ACPI_RSDP_V1_LEN, &root, NULL), 0);
	KTEST_EXPECT_TRUE(t, !root.xsdt);
	free(copy);

	/* Length larger than what the caller can read. */
	r.length = ACPI_RSDP_V2_LEN + 16;
	r.extended_checksum = 0;
	r.extended_checksum = (u8)-sum_bytes(&r, ACPI_RSDP_V2_LEN);
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, NULL), 0);
	KTEST_EXPECT_TRUE(t, !root.xsdt);

	/* Length below the 2.0 structure. */
	make_rsdp(&r, 2, RSDT_PHYS, XSDT_PHYS);
	r.length = ACPI_RSDP_V1_LEN;
	r.extended_checksum = 0;
	r.extended_checksum = (u8)-sum_bytes(&r, ACPI_RSDP_V2_LEN);
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, NULL), 0);
	KTEST_EXPECT_TRUE(t, !root.xsdt);

	/* A zero XSDT address. */
	make_rsdp(&r, 2, RSDT_PHYS, 0);
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, NULL), 0);
	KTEST_EXPECT_TRUE(t, !root.xsdt);
	KTEST_EXPECT_EQ_U(t, root.address, RSDT_PHYS);
}

static void rsdp_broken_structures_refused(struct ktest *t)
{
	struct acpi_rsdp r;
	struct acpi_root root;
	const char *why;

	make_rsdp(&r, 0, RSDT_PHYS, 0);
	why = NULL;
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, ACPI_RSDP_V1_LEN - 1, &root, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why != NULL);

	r.checksum++;
	why = NULL;
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "checksum"));

	make_rsdp(&r, 0, RSDT_PHYS, 0);
	r.signature[0] = 'X';
	r.checksum--;		/* keep the sum right: only the signature is bad */
	why = NULL;
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "signature"));

	/* Neither root address usable. */
	make_rsdp(&r, 2, 0, 0);
	why = NULL;
	KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why != NULL);
}

/* The EBDA's first KiB, say. */
#define SCAN_AREA_LEN	1024

static void rsdp_scan_finds_aligned_rsdp_only(struct ktest *t)
{
	struct acpi_rsdp good, bad;
	unsigned char *area = aligned_alloc(ACPI_RSDP_ALIGN, SCAN_AREA_LEN);

	KTEST_EXPECT_TRUE(t, area != NULL);
	if (!area)
		return;
	memset(area, 0, SCAN_AREA_LEN);
	make_rsdp(&good, 0, RSDT_PHYS, 0);
	make_rsdp(&bad, 0, RSDT_PHYS, 0);
	bad.checksum++;

	/* Valid but unaligned, then aligned with a bad checksum. */
	memcpy(area + 0x48, &good, ACPI_RSDP_V1_LEN);
	memcpy(area + 0x100, &bad, ACPI_RSDP_V1_LEN);
	KTEST_EXPECT_TRUE(t, acpi_rsdp_scan(area, SCAN_AREA_LEN) == NULL);

	/* Then a good aligned one, after both. */
	memcpy(area + 0x200, &good, ACPI_RSDP_V1_LEN);
	KTEST_EXPECT_TRUE(t, acpi_rsdp_scan(area, SCAN_AREA_LEN) == area + 0x200);

	/* A scan starting at an unaligned pointer still only looks at
	 * aligned addresses. */
	KTEST_EXPECT_TRUE(t, acpi_rsdp_scan(area + 4, SCAN_AREA_LEN - 4) == area + 0x200);
	KTEST_EXPECT_TRUE(t, acpi_rsdp_scan(area, 0x200) == NULL);
	free(area);
}

static void rsdp_scan_never_reads_past_area(struct ktest *t)
{
	/* The signature in the last 16-byte slot: 16 bytes of it fit, the
	 * 20-byte checksum range does not. ASan catches a read past it. */
	unsigned char *area = aligned_alloc(ACPI_RSDP_ALIGN, SCAN_AREA_LEN);
	struct acpi_rsdp good;

	KTEST_EXPECT_TRUE(t, area != NULL);
	if (!area)
		return;
	memset(area, 0, SCAN_AREA_LEN);
	make_rsdp(&good, 0, RSDT_PHYS, 0);
	memcpy(area + SCAN_AREA_LEN - ACPI_RSDP_ALIGN, &good, ACPI_RSDP_ALIGN);
	KTEST_EXPECT_TRUE(t, acpi_rsdp_scan(area, SCAN_AREA_LEN) == NULL);
	KTEST_EXPECT_TRUE(t, acpi_rsdp_scan(area, 0) == NULL);
	free(area);
}

/* ---- acpi_table_check ---------------------------------------------- */

static void table_check_accepts_good_table(struct ktest *t)
{
	size_t len;
	struct tb b;
	void *tab;
	const char *why = NULL;

	tb_begin(&b, ACPI_SIG_HPET, 1);
	tb_zero(&b, 20);
	tab = tb_end(&b, &len);
	KTEST_EXPECT_EQ(t, acpi_table_check(tab, len, ACPI_SIG_HPET, &why), 0);
	KTEST_EXPECT_EQ(t, acpi_table_check(tab, len, NULL, &why), 0);
	/* A header-only table is legal. */
	free(tab);
	tb_begin(&b, "SSDT", 1);
	tab = tb_end(&b, &len);
	KTEST_EXPECT_EQ(t, acpi_table_check(tab, len, "SSDT", &why), 0);
	free(tab);
}

static void table_check_refuses_length_beyond_avail(struct ktest *t)
{
	struct tb b;
	size_t len;
	void *full, *cut;
	const char *why = NULL;

	tb_begin(&b, ACPI_SIG_HPET, 1);
	tb_zero(&b, 20);
	full = tb_end(&b, &len);
	/* Only len - 1 bytes exist: the checksum must not be computed. */
	cut = exact_copy(full, len - 1);
	KTEST_EXPECT_EQ(t, acpi_table_check(cut, len - 1, ACPI_SIG_HPET, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "readable"));
	free(cut);
	free(full);
}

static void table_check_refuses_length_below_header(struct ktest *t)
{
	struct acpi_table_header h = { .length = HDR_LEN - 1 };
	const char *why = NULL;

	memcpy(h.signature, ACPI_SIG_HPET, sizeof(h.signature));
	h.checksum = (u8)-sum_bytes(&h, sizeof(h));
	KTEST_EXPECT_EQ(t, acpi_table_check(&h, sizeof(h), ACPI_SIG_HPET, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "header"));

	h.length = 0;
	KTEST_EXPECT_EQ(t, acpi_table_check(&h, sizeof(h), NULL, &why), -EINVAL);
}

static void table_check_refuses_fewer_bytes_than_header(struct ktest *t)
{
	struct tb b;
	size_t len;
	void *full, *cut;
	const char *why = NULL;

	tb_begin(&b, ACPI_SIG_HPET, 1);
	full = tb_end(&b, &len);
	cut = exact_copy(full, HDR_LEN - 1);
	KTEST_EXPECT_EQ(t, acpi_table_check(cut, HDR_LEN - 1, NULL, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why != NULL);
	free(cut);
	free(full);
}

static void table_check_refuses_signature_checksum_judged_apart(struct ktest *t)
{
	struct tb b;
	size_t len;
	unsigned char *tab;
	const char *why = NULL;

	tb_begin(&b, ACPI_SIG_HPET, 1);
	tb_zero(&b, 20);
	tab = tb_end(&b, &len);
	KTEST_EXPECT_EQ(t, acpi_table_check(tab, len, ACPI_SIG_MADT, &why), -EINVAL);
	KTEST_EXPECT_TRUE(t, why && strstr(why, "signature"));
	KTEST_EXPECT_TRUE(t, acpi_table_checksum_ok(tab));
	/* A wrong checksum leaves the structure acceptable: the caller
	 * warns and uses the table (include/xcall/acpi.h says why). */
	tab[len - 1] ^= 0x40;
	KTEST_EXPECT_EQ(t, acpi_table_check(tab, len, ACPI_SIG_HPET, &why), 0);
	KTEST_EXPECT_TRUE(t, !acpi_table_checksum_ok(tab));
	/* Off by one in the checksum byte itself. */
	tab[len - 1] ^= 0x40;
	((struct acpi_table_header *)tab)->checksum++;
	KTEST_EXPECT_TRUE(t, !acpi_table_checksum_ok(tab));
	free(tab);
}

/* ---- acpi_find_table ------------------------------------------------ */

static void find_table_through_xsdt_finds_every_table(struct ktest *t)
{
	struct fake_mem m;
	struct acpi_mem_ops ops;
	struct acpi_root root = xsdt_root();
	struct acpi_diag d = { 0 };
	const void *tab;
	size_t len;

	make_std_machine(&m);
	ops = fake_ops(&m);
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), 0);
	KTEST_EXPECT_TRUE(t, tab == fake_map(&m, MADT_PHYS, HDR_LEN));
	KTEST_EXPECT_EQ(t, len, m.r[2].len);
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_FADT, &tab, &len, &d), 0);
	KTEST_EXPECT_EQ(t, len, FADT_V6_LEN);
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_HPET, &tab, &len, &d), 0);
	KTEST_EXPECT_EQ(t, len, HPET_TABLE_LEN);
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, "SRAT", &tab, &len, &d), -ENOENT);
	KTEST_EXPECT_EQ(t, d.nr, 0);
	print_diag(&d);
	fake_free(&m);
}

static void find_table_through_rsdt_reads_32bit_entries(struct ktest *t)
{
	struct fake_mem m;
	struct acpi_mem_ops ops;
	struct acpi_root root = rsdt_root();
	struct acpi_diag d = { 0 };
	const void *tab;
	size_t len;

	make_std_machine(&m);
	ops = fake_ops(&m);
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_FADT, &tab, &len, &d), 0);
	KTEST_EXPECT_TRUE(t, tab == fake_map(&m, FADT_PHYS, HDR_LEN));
	/* The standard RSDT has no HPET entry. */
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_HPET, &tab, &len, &d), -ENOENT);
	KTEST_EXPECT_EQ(t, d.nr, 0);
	fake_free(&m);
}

static void find_table_from_rsdp_prefers_xsdt_over_rsdt(struct ktest *t)
{
	struct fake_mem m;
	struct acpi_mem_ops ops;
	struct acpi_root root;
	struct acpi_diag d = { 0 };
	struct acpi_rsdp r;
	struct madt_info *info = new_info();
	struct std_madt s = make_std_madt();
	const void *tab;
	size_t len;
	u64 entry[1];
	struct tb b;

	/* The RSDT's MADT has CPU 0 only; the XSDT's, above 4 GiB, has
	 * APIC ID 0x42. Parsing what is found tells which root was used. */
	memset(&m, 0, sizeof(m));
	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0x42, ACPI_MADT_ENABLED);
	fake_put_table(&m, XSDT_ONLY_PHYS, tb_end(&b, NULL));
	entry[0] = XSDT_ONLY_PHYS;
	fake_put_table(&m, XSDT_PHYS, make_root(true, entry, 1, NULL));
	entry[0] = MADT_PHYS;
	fake_put_table(&m, RSDT_PHYS, make_root(false, entry, 1, NULL));
	fake_put_table(&m, MADT_PHYS, s.table);
	ops = fake_ops(&m);

	make_rsdp(&r, 2, RSDT_PHYS, XSDT_PHYS);
	if (!KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, NULL), 0))
		goto out;
	KTEST_EXPECT_TRUE(t, root.xsdt);
	if (!KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), 0))
		goto out;
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 1);
	KTEST_EXPECT_EQ(t, info->cpus[0].apic_id, 0x42);

	/* The same RSDP with a broken extended checksum: the RSDT's MADT. */
	r.extended_checksum ^= 1;
	if (!KTEST_EXPECT_EQ(t, acpi_rsdp_check(&r, sizeof(r), &root, NULL), 0))
		goto out;
	KTEST_EXPECT_TRUE(t, !root.xsdt);
	if (!KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), 0))
		goto out;
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 4);
	KTEST_EXPECT_EQ(t, info->cpus[0].apic_id, 0);
out:
	free(info);
	fake_free(&m);
}

static void find_table_maps_header_before_body(struct ktest *t)
{
	struct fake_mem m;
	struct acpi_mem_ops ops;
	struct acpi_root root = xsdt_root();
	const void *tab;
	size_t len;

	make_std_machine(&m);
	ops = fake_ops(&m);
	m.nr_log = 0;
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_HPET, &tab, &len, NULL), 0);
	/* For each address, the first map() is the 36-byte header. */
	for (unsigned int i = 0; i < m.nr_log; i++) {
		bool first = true;

		for (unsigned int j = 0; j < i; j++)
			if (m.log[j].phys == m.log[i].phys)
				first = false;
		if (first)
			KTEST_EXPECT_EQ(t, m.log[i].len, HDR_LEN);
	}
	KTEST_EXPECT_TRUE(t, m.nr_log >= 2);
	fake_free(&m);
}

static void find_table_uses_bad_checksum_table_with_warning(struct ktest *t)
{
	struct fake_mem m = { 0 };
	struct acpi_mem_ops ops = fake_ops(&m);
	struct acpi_root root = xsdt_root();
	struct acpi_diag d = { 0 };
	u64 xsdt_e[] = { MADT_PHYS, MADT2_PHYS };
	struct std_madt bad = make_std_madt(), good = make_std_madt();
	const void *tab;
	size_t len;
	char expect[ACPI_DIAG_LEN];

	((unsigned char *)bad.table)[MADT_HDR_LEN] ^= 0x10;
	fake_put_table(&m, XSDT_PHYS, make_root(true, xsdt_e, 2, NULL));
	fake_put_table(&m, MADT_PHYS, bad.table);
	fake_put_table(&m, MADT2_PHYS, good.table);
	/* The first MADT wins although its checksum is wrong (ACPICA's
	 * default too), with one warning of its kind. */
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), 0);
	KTEST_EXPECT_TRUE(t, tab == fake_map(&m, MADT_PHYS, HDR_LEN));
	KTEST_EXPECT_EQ(t, d.nr, 1);
	KTEST_EXPECT_EQ(t, d.kind[0], ACPI_WARN_CHECKSUM);
	KTEST_EXPECT_EQ(t, d.count[ACPI_WARN_CHECKSUM], 1);
	snprintf(expect, sizeof(expect),
		 "APIC (XSDT entry 0) at 0x%llx: bad checksum, used anyway",
		 (unsigned long long)MADT_PHYS);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	print_diag(&d);
	fake_free(&m);
}

static void find_table_skips_unmappable_entry(struct ktest *t)
{
	struct fake_mem m = { 0 };
	struct acpi_mem_ops ops = fake_ops(&m);
	struct acpi_root root = rsdt_root();
	struct acpi_diag d = { 0 };
	u64 rsdt_e[] = { UNMAPPED_PHYS, 0, HPET_PHYS };
	const void *tab;
	size_t len;

	fake_put_table(&m, RSDT_PHYS, make_root(false, rsdt_e, 3, NULL));
	fake_put_table(&m, HPET_PHYS,
		       make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO));
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_HPET, &tab, &len, &d), 0);
	KTEST_EXPECT_TRUE(t, tab == fake_map(&m, HPET_PHYS, HDR_LEN));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "RSDT entry 0 (0xdead0000) cannot be mapped"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "RSDT entry 1 is a null address"));
	KTEST_EXPECT_EQ(t, d.nr, 2);
	print_diag(&d);
	fake_free(&m);
}

static void find_table_refuses_truncated_and_oversized_tables(struct ktest *t)
{
	struct fake_mem m = { 0 };
	struct acpi_mem_ops ops = fake_ops(&m);
	struct acpi_root root = xsdt_root();
	struct acpi_diag d = { 0 };
	u64 xsdt_e[] = { MADT_PHYS, MADT2_PHYS, HPET_PHYS };
	struct std_madt cut = make_std_madt(), huge = make_std_madt();
	struct acpi_table_header *h;
	const void *tab;
	size_t len;

	fake_put_table(&m, XSDT_PHYS, make_root(true, xsdt_e, 3, NULL));
	/* Only part of the first MADT is reachable. */
	fake_put(&m, MADT_PHYS, cut.table, cut.len - 3);
	free(cut.table);
	/* The second claims 4 GiB. */
	h = huge.table;
	h->length = 0xffffffffu;
	fake_put(&m, MADT2_PHYS, huge.table, huge.len);
	free(huge.table);
	fake_put_table(&m, HPET_PHYS,
		       make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO));

	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), -ENOENT);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "bytes not mappable"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "refused: length 0xffffffff too large"));
	KTEST_EXPECT_EQ(t, d.nr, 2);
	print_diag(&d);
	fake_free(&m);
}

static void find_table_refuses_entry_length_below_header(struct ktest *t)
{
	struct fake_mem m = { 0 };
	struct acpi_mem_ops ops = fake_ops(&m);
	struct acpi_root root = xsdt_root();
	struct acpi_diag d = { 0 };
	u64 xsdt_e[] = { MADT_PHYS };
	struct std_madt s = make_std_madt();
	struct acpi_table_header *h = s.table;
	const void *tab;
	size_t len;

	h->length = HDR_LEN - 1;
	fake_put(&m, MADT_PHYS, s.table, s.len);
	free(s.table);
	fake_put_table(&m, XSDT_PHYS, make_root(true, xsdt_e, 1, NULL));
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), -ENOENT);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "refused: length 0x23 too small"));
	fake_free(&m);
}

static void find_table_broken_root_is_einval(struct ktest *t)
{
	struct fake_mem m = { 0 };
	struct acpi_mem_ops ops = fake_ops(&m);
	struct acpi_root root = xsdt_root();
	struct acpi_diag d = { 0 };
	u64 xsdt_e[] = { MADT_PHYS };
	unsigned char *x;
	const void *tab;
	size_t len;

	/* No root at all. */
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), -EINVAL);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "XSDT at 0x7fe1000 refused: cannot be mapped"));

	/* Root with a bad checksum: used with a warning, so the walk gets
	 * as far as its (unmapped) MADT entry. */
	x = make_root(true, xsdt_e, 1, &len);
	((struct acpi_table_header *)x)->checksum ^= 1;
	fake_put(&m, XSDT_PHYS, x, len);
	free(x);
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), -ENOENT);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "XSDT at 0x7fe1000: bad checksum, used anyway"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "XSDT entry 0 (0x7fe2000) cannot be mapped"));

	/* An RSDT where the root says XSDT. */
	root.address = RSDT_PHYS;
	fake_put_table(&m, RSDT_PHYS, make_root(false, xsdt_e, 1, NULL));
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), -EINVAL);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "XSDT at 0x7fe0000 refused: signature \"RSDT\", not \"XSDT\""));
	print_diag(&d);
	fake_free(&m);
}

static void find_table_ignores_stray_root_bytes(struct ktest *t)
{
	struct fake_mem m;
	struct acpi_mem_ops ops;
	struct acpi_root root = xsdt_root();
	struct acpi_diag d = { 0 };
	u64 xsdt_e[] = { HPET_PHYS, MADT_PHYS };
	const void *tab;
	size_t len;
	struct tb b;

	/* An XSDT of 36 + 8 + 4 bytes: the half entry is not read. */
	memset(&m, 0, sizeof(m));
	ops = fake_ops(&m);
	tb_begin(&b, ACPI_SIG_XSDT, 1);
	tb_put(&b, xsdt_e, sizeof(u64) + sizeof(u32));
	fake_put_table(&m, XSDT_PHYS, tb_end(&b, NULL));
	fake_put_table(&m, HPET_PHYS,
		       make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO));
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_HPET, &tab, &len, &d), 0);
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), -ENOENT);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "XSDT length 0x30: 4 stray bytes after the last whole entry"));
	fake_free(&m);
}

static void diag_buffer_counts_lines_beyond_max(struct ktest *t)
{
	struct fake_mem m = { 0 };
	struct acpi_mem_ops ops = fake_ops(&m);
	struct acpi_root root = xsdt_root();
	struct acpi_diag d = { 0 };
	u64 xsdt_e[ACPI_DIAG_MAX + 5];
	const void *tab;
	size_t len;

	for (size_t i = 0; i < ARRAY_SIZE(xsdt_e); i++)
		xsdt_e[i] = UNMAPPED_PHYS + i * 0x1000;
	fake_put_table(&m, XSDT_PHYS, make_root(true, xsdt_e, ARRAY_SIZE(xsdt_e), NULL));
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d), -ENOENT);
	KTEST_EXPECT_EQ(t, d.nr, ACPI_DIAG_MAX);
	KTEST_EXPECT_EQ(t, d.dropped, 5);
	/* The count by kind includes the lines that did not fit. */
	KTEST_EXPECT_EQ(t, d.count[ACPI_WARN_TABLE], ACPI_DIAG_MAX + 5);
	KTEST_EXPECT_EQ(t, d.kind[ACPI_DIAG_MAX - 1], ACPI_WARN_TABLE);
	KTEST_EXPECT_STREQ(t, acpi_warn_kind_name(ACPI_WARN_CHECKSUM), "checksum");
	KTEST_EXPECT_STREQ(t, acpi_warn_kind_name(ACPI_WARN_NR), "unknown");
	/* Every stored line is terminated and within its slot. */
	for (unsigned int i = 0; i < ACPI_DIAG_MAX; i++)
		KTEST_EXPECT_TRUE(t, memchr(d.msg[i], '\0', ACPI_DIAG_LEN) != NULL);
	/* A NULL diag is allowed. */
	KTEST_EXPECT_EQ(t, acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, NULL), -ENOENT);
	fake_free(&m);
}

/* A line that cannot fit says so at its end, and is counted. */
static void diag_line_too_long_ends_in_cut_mark(struct ktest *t)
{
	struct acpi_diag d = { 0 };
	char longest[ACPI_DIAG_LEN];
	size_t mark = strlen(ACPI_DIAG_CUT_MARK);

	/* Exactly as long as a slot holds: kept whole. */
	memset(longest, 'x', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	acpi_diag_add(&d, ACPI_WARN_TABLE, "%s", longest);
	KTEST_EXPECT_EQ(t, d.cut, 0);
	KTEST_EXPECT_STREQ(t, d.msg[0], longest);
	/* One character more: cut, and the cut shows. */
	acpi_diag_add(&d, ACPI_WARN_TABLE, "%s!", longest);
	KTEST_EXPECT_EQ(t, d.cut, 1);
	KTEST_EXPECT_EQ(t, strlen(d.msg[1]), ACPI_DIAG_LEN - 1);
	KTEST_EXPECT_STREQ(t, d.msg[1] + ACPI_DIAG_LEN - 1 - mark, ACPI_DIAG_CUT_MARK);
	KTEST_EXPECT_EQ(t, d.nr, 2);
}

/* A table address with all 16 hex digits, and the last entry an XSDT of
 * the longest mappable length can have, make the widest table lines. */
#define WIDE_PHYS	0xfffffffffffff000ull
#define WIDE_XSDT_ENTRIES ((ACPI_TABLE_MAX_LEN - HDR_LEN) / XSDT_ENTRY_BYTES)
#define XSDT_ENTRY_BYTES 8
#define OTHER_PHYS	0x7fe6000ull

/* Put an XSDT whose last entry points at WIDE_PHYS and every other one at
 * a table of another signature (skipped without a word). */
static void wide_machine(struct fake_mem *m, const void *wide, size_t wide_len)
{
	u64 *e = malloc(WIDE_XSDT_ENTRIES * sizeof(*e));
	struct tb other;

	if (!e)
		abort();
	for (size_t i = 0; i < WIDE_XSDT_ENTRIES; i++)
		e[i] = i + 1 < WIDE_XSDT_ENTRIES ? OTHER_PHYS : WIDE_PHYS;
	memset(m, 0, sizeof(*m));
	fake_put_table(m, XSDT_PHYS, make_root(true, e, WIDE_XSDT_ENTRIES, NULL));
	tb_begin(&other, "SSDT", 1);
	fake_put_table(m, OTHER_PHYS, tb_end(&other, NULL));
	fake_put(m, WIDE_PHYS, wide, wide_len);
	free(e);
}

static void diag_lines_fit_at_their_widest_values(struct ktest *t)
{
	static const struct {
		u32 length;		/* the table's Length field */
		size_t avail;		/* bytes mapped at WIDE_PHYS */
		const char *tail;	/* the line after the address */
	} cases[] = {
		{ 0xffffffffu, HDR_LEN, " refused: length 0xffffffff too large" },
		{ 0x23, HDR_LEN, " refused: length 0x23 too small" },
		{ ACPI_TABLE_MAX_LEN, HDR_LEN, " refused: 0x100000 bytes not mappable" },
		{ ACPI_TABLE_MAX_LEN, ACPI_TABLE_MAX_LEN, ": bad checksum, used anyway" },
	};
	struct acpi_root root = xsdt_root();
	char expect[2 * ACPI_DIAG_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct acpi_table_header *h = calloc(1, cases[i].avail);
		struct fake_mem m;
		struct acpi_mem_ops ops = fake_ops(&m);
		struct acpi_diag d = { 0 };
		const void *tab;
		size_t len;

		if (!h)
			abort();
		memcpy(h->signature, ACPI_SIG_MADT, 4);
		h->length = cases[i].length;
		h->checksum = 1;
		wide_machine(&m, h, cases[i].avail);
		free(h);
		acpi_find_table(&ops, &root, ACPI_SIG_MADT, &tab, &len, &d);
		snprintf(expect, sizeof(expect), "ACPI: APIC (XSDT entry %zu) at 0x%llx%s",
			 (size_t)WIDE_XSDT_ENTRIES - 1, WIDE_PHYS, cases[i].tail);
		KTEST_EXPECT_EQ(t, d.cut, 0);
		if (!KTEST_EXPECT_TRUE(t, d.nr > 0 && strcmp(d.msg[d.nr - 1], expect) == 0))
			printf("    # got '%s', want '%s'\n", d.nr ? d.msg[d.nr - 1] : "", expect);
		fake_free(&m);
	}
}

/* The DMAR's and the MADT's walk lines, at offsets a 1 MiB table reaches. */
#define WIDE_TABLE_LEN	ACPI_TABLE_MAX_LEN
#define DMAR_UNIT_LEN	16
#define DMAR_TYPE_MAX	0xffffu
#define MADT_ENTRY_MAX	0xffu

static void walk_lines_fit_at_their_widest_values(struct ktest *t)
{
	struct madt_info *info = new_info();
	size_t body_len = WIDE_TABLE_LEN - ACPI_DMAR_STRUCTS_OFF;
	u8 *body = calloc(1, body_len);
	size_t first_unknown = WIDE_TABLE_LEN / 2, off, len;
	struct acpi_diag d = { 0 };
	struct dmar_info di;
	char expect[2 * ACPI_DIAG_LEN];
	struct tb b;
	void *tab;

	if (!body)
		abort();
	/* Units up to the middle, then structures of an unknown type up to
	 * the end, the last with a length past it. */
	for (off = 0; off + DMAR_UNIT_LEN <= body_len; off += DMAR_UNIT_LEN) {
		struct acpi_dmar_entry e = {
			.type = off + ACPI_DMAR_STRUCTS_OFF < first_unknown ?
				ACPI_DMAR_DRHD : DMAR_TYPE_MAX,
			.length = off + 2 * DMAR_UNIT_LEN <= body_len ? DMAR_UNIT_LEN :
				  DMAR_TYPE_MAX,
		};
		memcpy(body + off, &e, sizeof(e));
	}
	tab = make_dmar(0, body, body_len, &len);
	KTEST_EXPECT_EQ(t, dmar_parse(tab, &di, &d), 0);
	KTEST_EXPECT_EQ(t, d.cut, 0);
	snprintf(expect, sizeof(expect),
		 "DMAR: type %u structure at 0x%zx has length %u (table 0x%zx): walk stopped",
		 DMAR_TYPE_MAX, len - DMAR_UNIT_LEN, DMAR_TYPE_MAX, len);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	snprintf(expect, sizeof(expect),
		 "DMAR: %u unknown structure(s) skipped by length; first: type %u at 0x%zx",
		 di.nr_unknown, DMAR_TYPE_MAX, first_unknown);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	print_diag(&d);
	free(tab);
	free(body);

	/* An MADT entry of the widest type and length runs past the end of
	 * a 1 MiB table; entries the parser skips quietly lead up to it. */
	memset(&d, 0, sizeof(d));
	madt_begin(&b, LAPIC_DEFAULT, 0);
	for (size_t left; (left = WIDE_TABLE_LEN - 2 - b.len) > 0;) {
		/* Never leave 1 byte, which no entry fits. */
		size_t n = left <= MADT_ENTRY_MAX ? left :
			   left - MADT_ENTRY_MAX >= 2 ? MADT_ENTRY_MAX : left - 2;

		madt_raw(&b, ACPI_MADT_NMI_SOURCE, (u8)n, n - 2);
	}
	off = madt_raw(&b, MADT_ENTRY_MAX, MADT_ENTRY_MAX, 0);
	tab = tb_end(&b, &len);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, d.cut, 0);
	snprintf(expect, sizeof(expect),
		 "MADT: type %u entry at 0x%zx (length %u) ends past 0x%zx: walk stopped",
		 MADT_ENTRY_MAX, off, MADT_ENTRY_MAX, len);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	print_diag(&d);
	free(tab);
	free(info);
}

/* ---- MADT ----------------------------------------------------------- */

static void madt_good_table_parses_exact_values(struct ktest *t)
{
	struct std_madt s = make_std_madt();
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };

	KTEST_EXPECT_EQ(t, acpi_table_check(s.table, s.len, ACPI_SIG_MADT, NULL), 0);
	if (!KTEST_EXPECT_EQ(t, madt_parse(s.table, &acpi_6_3, info, &d), 0))
		goto out;
	KTEST_EXPECT_EQ_U(t, info->lapic_address, LAPIC_DEFAULT);
	KTEST_EXPECT_TRUE(t, info->pcat_compat);
	KTEST_EXPECT_TRUE(t, !info->truncated);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus_dropped, 0);
	KTEST_EXPECT_EQ(t, info->revision, MADT_REV_ACPI_6_3);
	KTEST_EXPECT_TRUE(t, info->online_capable_defined);
	KTEST_EXPECT_TRUE(t, info->has_lapic_entries);
	KTEST_EXPECT_EQ(t, info->nr_skipped, 0);
	/* The one line: the type 0x7f entry, skipped by its length. */
	KTEST_EXPECT_EQ(t, info->nr_unknown_entries, 1);
	KTEST_EXPECT_EQ(t, d.nr, 1);
	KTEST_EXPECT_EQ(t, d.kind[0], ACPI_WARN_UNKNOWN_TYPE);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "1 entry of unknown type 127 skipped by length"));

	if (KTEST_EXPECT_EQ(t, info->nr_cpus, 4)) {
		KTEST_EXPECT_EQ(t, info->cpus[0].apic_id, 0);
		KTEST_EXPECT_EQ(t, info->cpus[0].processor_uid, 0);
		KTEST_EXPECT_TRUE(t, info->cpus[0].enabled);
		KTEST_EXPECT_TRUE(t, !info->cpus[0].from_x2apic_entry);
		KTEST_EXPECT_EQ(t, info->cpus[1].apic_id, 2);
		KTEST_EXPECT_EQ(t, info->cpus[1].processor_uid, 1);
		KTEST_EXPECT_EQ(t, info->cpus[2].apic_id, 0x100);
		KTEST_EXPECT_EQ(t, info->cpus[2].processor_uid, 300);
		KTEST_EXPECT_TRUE(t, info->cpus[2].enabled);
		KTEST_EXPECT_TRUE(t, info->cpus[2].from_x2apic_entry);
		KTEST_EXPECT_EQ(t, info->cpus[3].apic_id, 6);
		KTEST_EXPECT_TRUE(t, !info->cpus[3].enabled);
		KTEST_EXPECT_TRUE(t, info->cpus[3].online_capable);
	}
	if (KTEST_EXPECT_EQ(t, info->nr_ioapics, 1)) {
		KTEST_EXPECT_EQ(t, info->ioapics[0].id, 8);
		KTEST_EXPECT_EQ_U(t, info->ioapics[0].address, 0xfec00000u);
		KTEST_EXPECT_EQ(t, info->ioapics[0].gsi_base, 0);
	}
	if (KTEST_EXPECT_EQ(t, info->nr_isos, 2)) {
		KTEST_EXPECT_EQ(t, info->isos[0].source, 0);
		KTEST_EXPECT_EQ(t, info->isos[0].gsi, 2);
		KTEST_EXPECT_EQ(t, info->isos[1].source, 9);
		KTEST_EXPECT_EQ(t, info->isos[1].gsi, 9);
		KTEST_EXPECT_EQ(t, info->isos[1].flags, 0xd);
	}
	if (KTEST_EXPECT_EQ(t, info->nr_nmis, 2)) {
		KTEST_EXPECT_EQ_U(t, info->nmis[0].processor_uid, ACPI_X2APIC_NMI_ALL_UID);
		KTEST_EXPECT_EQ(t, info->nmis[0].lint, 1);
		KTEST_EXPECT_EQ(t, info->nmis[0].flags, 5);
		KTEST_EXPECT_EQ(t, info->nmis[1].processor_uid, 300);
		KTEST_EXPECT_EQ(t, info->nmis[1].lint, 0);
	}
out:
	free(info);
	free(s.table);
}

static void madt_shorter_than_fixed_part_refused(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };

	tb_begin(&b, ACPI_SIG_MADT, 5);
	tb_zero(&b, MADT_HDR_LEN - HDR_LEN - 1);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), -EINVAL);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "shorter than its fixed part"));
	free(tab);

	/* Exactly the fixed part: no entries, no complaint. */
	madt_begin(&b, LAPIC_DEFAULT, 0);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, NULL), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 0);
	KTEST_EXPECT_TRUE(t, !info->truncated);
	free(tab);
	free(info);
}

static void madt_zero_length_entry_stops_walk_keeping_earlier_cpus(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };
	char expect[ACPI_DIAG_LEN];
	size_t off;

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	madt_lapic(&b, 1, 1, ACPI_MADT_ENABLED);
	off = madt_raw(&b, ACPI_MADT_LAPIC, 0, 6);
	madt_lapic(&b, 2, 2, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_TRUE(t, info->truncated);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 2);
	snprintf(expect, sizeof(expect),
		 "MADT: entry at offset 0x%zx has length 0, table walk stopped", off);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	print_diag(&d);
	free(tab);

	/* Length 1 is as fatal as 0: the walk could not advance past the
	 * entry header. */
	memset(&d, 0, sizeof(d));
	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	madt_raw(&b, ACPI_MADT_IOAPIC, 1, 10);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_TRUE(t, info->truncated);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 1);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "has length 1, table walk stopped"));
	free(tab);
	free(info);
}

static void madt_entry_past_table_end_stops_walk(struct ktest *t)
{
	struct tb b;
	unsigned char *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };
	char expect[ACPI_DIAG_LEN];
	size_t off, len;

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	off = madt_x2apic(&b, 1, 1, ACPI_MADT_ENABLED);
	/* Cut the table in the middle of the x2APIC entry. */
	b.len -= 4;
	tab = tb_end(&b, &len);
	KTEST_EXPECT_EQ(t, madt_parse((void *)tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_TRUE(t, info->truncated);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 1);
	snprintf(expect, sizeof(expect),
		 "type 9 entry at 0x%zx (length 16) ends past 0x%zx: walk stopped",
		 off, len);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	print_diag(&d);
	free(tab);

	/* A single stray byte after the last entry. */
	memset(&d, 0, sizeof(d));
	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	off = b.len;
	tb_zero(&b, 1);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse((void *)tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_TRUE(t, info->truncated);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 1);
	snprintf(expect, sizeof(expect), "stray byte at offset 0x%zx", off);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	free(tab);
	free(info);
}

static void madt_entry_too_short_for_type_skipped(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };
	char expect[ACPI_DIAG_LEN];
	size_t off;

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	/* An x2APIC entry of 8 bytes, then the walk goes on by its length. */
	off = madt_raw(&b, ACPI_MADT_X2APIC, 8, 6);
	madt_raw(&b, ACPI_MADT_IOAPIC, 6, 4);
	madt_raw(&b, ACPI_MADT_LAPIC_ADDR_OVERRIDE, 4, 2);
	madt_lapic(&b, 1, 1, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_TRUE(t, !info->truncated);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 3);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 2);
	KTEST_EXPECT_EQ(t, info->nr_ioapics, 0);
	KTEST_EXPECT_EQ_U(t, info->lapic_address, LAPIC_DEFAULT);
	snprintf(expect, sizeof(expect),
		 "x2APIC entry at offset 0x%zx has length 8, needs 16", off);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	print_diag(&d);
	free(tab);
	free(info);
}

static void madt_longer_entries_accepted_by_length(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_lapic_ext { struct acpi_madt_lapic e; u8 extra[4]; } __packed x = {
		.e = { .h = { ACPI_MADT_LAPIC, sizeof(x) }, .apic_id = 5,
		       .flags = ACPI_MADT_ENABLED },
	};

	madt_begin(&b, LAPIC_DEFAULT, 0);
	tb_put(&b, &x, sizeof(x));
	madt_lapic(&b, 1, 7, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, NULL), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 2);
	KTEST_EXPECT_EQ(t, info->cpus[0].apic_id, 5);
	KTEST_EXPECT_EQ(t, info->cpus[1].apic_id, 7);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 0);
	free(tab);
	free(info);
}

static void madt_duplicate_apic_ids_dropped(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };
	char expect[ACPI_DIAG_LEN];
	size_t off, off2;

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	madt_lapic(&b, 1, 1, ACPI_MADT_ENABLED);
	off = madt_lapic(&b, 2, 1, ACPI_MADT_ENABLED);
	/* Disabled entries repeating an ID are no duplicates: many boards
	 * write absent cores as APIC ID 0, Enabled clear. Kept, disabled. */
	madt_lapic(&b, 5, 0, 0);
	madt_lapic(&b, 6, 0, 0);
	/* The same CPU listed again as x2APIC below ID 255 is a shadow
	 * (its own reason, test below), not a duplicate. */
	madt_x2apic(&b, 0, 0, ACPI_MADT_ENABLED);
	madt_x2apic(&b, 3, 0x103, ACPI_MADT_ENABLED);
	off2 = madt_x2apic(&b, 4, 0x103, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 5);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 2);
	/* The first entry for APIC ID 1 won, with its UID and flags. */
	KTEST_EXPECT_EQ(t, info->cpus[1].processor_uid, 1);
	KTEST_EXPECT_TRUE(t, info->cpus[1].enabled);
	KTEST_EXPECT_TRUE(t, !info->cpus[0].from_x2apic_entry);
	KTEST_EXPECT_EQ(t, info->cpus[2].apic_id, 0);
	KTEST_EXPECT_EQ(t, info->cpus[2].processor_uid, 5);
	KTEST_EXPECT_TRUE(t, !info->cpus[2].enabled);
	KTEST_EXPECT_EQ(t, info->cpus[3].processor_uid, 6);
	KTEST_EXPECT_EQ(t, info->cpus[4].apic_id, 0x103);
	KTEST_EXPECT_EQ(t, info->cpus[4].processor_uid, 3);
	snprintf(expect, sizeof(expect),
		 "Local APIC entry at offset 0x%zx repeats APIC ID 0x1", off);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	snprintf(expect, sizeof(expect),
		 "x2APIC entry at offset 0x%zx repeats APIC ID 0x103", off2);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	/* Every entry left out is on record, in table order. */
	if (KTEST_EXPECT_EQ(t, info->nr_skipped, 3)) {
		KTEST_EXPECT_EQ(t, info->skipped[0].reason, MADT_SKIP_DUPLICATE);
		KTEST_EXPECT_EQ(t, info->skipped[0].offset, off);
		KTEST_EXPECT_EQ(t, info->skipped[0].processor_uid, 2);
		KTEST_EXPECT_TRUE(t, info->skipped[0].enabled);
		KTEST_EXPECT_EQ(t, info->skipped[1].reason, MADT_SKIP_X2APIC_SHADOW);
		KTEST_EXPECT_EQ(t, info->skipped[2].reason, MADT_SKIP_DUPLICATE);
		KTEST_EXPECT_TRUE(t, info->skipped[2].from_x2apic_entry);
		KTEST_EXPECT_EQ(t, info->skipped[2].offset, off2);
	}
	print_diag(&d);
	free(tab);
	free(info);
}

static void madt_broadcast_apic_ids_skipped_as_placeholders(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, ACPI_APIC_ID_BROADCAST, ACPI_MADT_ENABLED);
	madt_x2apic(&b, 1, ACPI_X2APIC_ID_BROADCAST, ACPI_MADT_ENABLED);
	/* 0xff is a fine x2APIC ID. */
	madt_x2apic(&b, 2, 0xff, ACPI_MADT_ENABLED);
	madt_lapic(&b, 3, ACPI_APIC_ID_BROADCAST, 0);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	if (KTEST_EXPECT_EQ(t, info->nr_cpus, 1))
		KTEST_EXPECT_EQ(t, info->cpus[0].apic_id, 0xff);
	/* Firmware writes such entries for absent sockets all the time:
	 * each is on record with its reason, none is a fault or a line. */
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 0);
	KTEST_EXPECT_EQ(t, d.nr, 0);
	KTEST_EXPECT_TRUE(t, !info->has_lapic_entries);
	if (KTEST_EXPECT_EQ(t, info->nr_skipped, 3)) {
		KTEST_EXPECT_EQ(t, info->skipped[0].reason, MADT_SKIP_PLACEHOLDER);
		KTEST_EXPECT_EQ(t, info->skipped[0].offset, 0x2c);
		KTEST_EXPECT_TRUE(t, info->skipped[0].enabled);
		KTEST_EXPECT_EQ_U(t, info->skipped[1].apic_id, ACPI_X2APIC_ID_BROADCAST);
		KTEST_EXPECT_EQ(t, info->skipped[1].reason, MADT_SKIP_PLACEHOLDER);
		KTEST_EXPECT_TRUE(t, info->skipped[1].from_x2apic_entry);
		KTEST_EXPECT_EQ(t, info->skipped[2].processor_uid, 3);
		KTEST_EXPECT_TRUE(t, !info->skipped[2].enabled);
	}
	KTEST_EXPECT_STREQ(t, madt_skip_reason_name(MADT_SKIP_PLACEHOLDER), "placeholder");
	KTEST_EXPECT_STREQ(t, madt_skip_reason_name(99), "unknown");
	free(tab);
	free(info);
}

static void madt_x2apic_low_ids_ignored_beside_lapic_entries(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();

	/* Shadows before and after the Local APIC entries: the rule is a
	 * property of the whole table, not of the order. */
	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_x2apic(&b, 10, 0, ACPI_MADT_ENABLED);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	madt_lapic(&b, 1, 2, ACPI_MADT_ENABLED);
	madt_x2apic(&b, 11, 2, ACPI_MADT_ENABLED);
	madt_x2apic(&b, 12, 0xfe, ACPI_MADT_ENABLED);
	/* 255 and up is what x2APIC entries are for: kept. */
	madt_x2apic(&b, 13, 0xff, ACPI_MADT_ENABLED);
	madt_x2apic(&b, 14, 0x200, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, NULL), 0);
	KTEST_EXPECT_TRUE(t, info->has_lapic_entries);
	if (KTEST_EXPECT_EQ(t, info->nr_cpus, 4)) {
		KTEST_EXPECT_EQ(t, info->cpus[0].apic_id, 0);
		KTEST_EXPECT_TRUE(t, !info->cpus[0].from_x2apic_entry);
		KTEST_EXPECT_EQ(t, info->cpus[2].apic_id, 0xff);
		KTEST_EXPECT_EQ(t, info->cpus[3].apic_id, 0x200);
	}
	/* IDs 0 and 2 repeat enabled Local APIC entries: shadows. Nothing
	 * else names 0xfe: a lone entry, ignored all the same (as Linux
	 * ignores it), under its own reason. */
	if (KTEST_EXPECT_EQ(t, info->nr_skipped, 3)) {
		KTEST_EXPECT_EQ(t, info->skipped[0].processor_uid, 10);
		KTEST_EXPECT_EQ(t, info->skipped[0].reason, MADT_SKIP_X2APIC_SHADOW);
		KTEST_EXPECT_EQ(t, info->skipped[1].processor_uid, 11);
		KTEST_EXPECT_EQ(t, info->skipped[1].reason, MADT_SKIP_X2APIC_SHADOW);
		KTEST_EXPECT_EQ(t, info->skipped[2].apic_id, 0xfe);
		KTEST_EXPECT_EQ(t, info->skipped[2].reason, MADT_SKIP_X2APIC_LOW_ID);
		KTEST_EXPECT_TRUE(t, info->skipped[2].enabled);
	}
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 0);
	free(tab);

	/* Local APIC entries that are only placeholders, or (in ACPI 6.3
	 * tables) neither enabled nor online capable, do not count: the
	 * x2APIC entries are then the real list. */
	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, ACPI_APIC_ID_BROADCAST, 0);
	madt_lapic(&b, 1, 7, 0);
	madt_x2apic(&b, 2, 0, ACPI_MADT_ENABLED);
	madt_x2apic(&b, 3, 1, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, NULL), 0);
	KTEST_EXPECT_TRUE(t, !info->has_lapic_entries);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 3);
	KTEST_EXPECT_EQ(t, info->cpus[1].apic_id, 0);
	KTEST_EXPECT_TRUE(t, info->cpus[1].from_x2apic_entry);
	free(tab);

	/* Before ACPI 6.3 (by the FADT's version, whatever the MADT's
	 * revision) a disabled entry still counts as usable (it may be
	 * hot-added), so the same table's x2APIC entries are ignored. */
	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 1, 7, 0);
	madt_x2apic(&b, 2, 0, ACPI_MADT_ENABLED);
	madt_x2apic(&b, 3, 7, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, NULL, info, NULL), 0);
	KTEST_EXPECT_TRUE(t, info->has_lapic_entries);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 1);
	/* A disabled Local APIC entry makes no shadow of its ID. */
	if (KTEST_EXPECT_EQ(t, info->nr_skipped, 2)) {
		KTEST_EXPECT_EQ(t, info->skipped[0].reason, MADT_SKIP_X2APIC_LOW_ID);
		KTEST_EXPECT_EQ(t, info->skipped[1].reason, MADT_SKIP_X2APIC_LOW_ID);
	}
	free(tab);
	free(info);
}

/*
 * The Online Capable flag is dated by the FADT's version, not the MADT's
 * revision (ACPI 6.2 Errata B firmware writes MADT revision 45): defined
 * from FADT 6.3 on, whatever the MADT says, and ignored before or without
 * a FADT, whatever the MADT says.
 */
static void madt_online_capable_follows_the_fadt_version(struct ktest *t)
{
	static const struct {
		u8 madt_rev, fadt_major, fadt_minor;
		bool have_fadt, defined;
	} cases[] = {
		{ 5, 6, 3, true, true },	/* ACPI 6.3 */
		{ 4, 6, 3, true, true },	/* an old MADT in 6.3 tables */
		{ 45, 6, 4, true, true },	/* ACPI 6.2b's typo, read on */
		{ 6, 7, 0, true, true },	/* a later major version */
		{ 5, 6, 2, true, false },	/* the MADT claims 6.3, the FADT 6.2 */
		{ 45, 6, 2, true, false },	/* ACPI 6.2b itself */
		{ 4, 5, 1, true, false },
		{ 5, 0, 0, false, false },	/* no FADT */
	};
	struct madt_info *info = new_info();

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fadt_info fadt = {
			.revision = cases[i].fadt_major,
			.minor_revision = cases[i].fadt_minor,
		};
		bool defined = cases[i].defined;
		struct tb b;
		void *tab;

		madt_begin_rev(&b, LAPIC_DEFAULT, 0, cases[i].madt_rev);
		madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
		madt_lapic(&b, 1, 1, ACPI_MADT_ONLINE_CAPABLE);
		madt_x2apic(&b, 2, 0x100, ACPI_MADT_ONLINE_CAPABLE);
		/* Neither flag: an ID only this flag could make unusable. */
		madt_x2apic(&b, 3, 0x101, 0);
		tab = tb_end(&b, NULL);
		KTEST_EXPECT_EQ(t, madt_parse(tab, cases[i].have_fadt ? &fadt : NULL,
					      info, NULL), 0);
		KTEST_EXPECT_EQ(t, acpi_fadt_online_capable(cases[i].have_fadt ? &fadt : NULL),
				defined);
		KTEST_EXPECT_EQ(t, info->revision, cases[i].madt_rev);
		KTEST_EXPECT_EQ(t, info->online_capable_defined, defined);
		if (KTEST_EXPECT_EQ(t, info->nr_cpus, 4)) {
			KTEST_EXPECT_TRUE(t, !info->cpus[1].enabled);
			KTEST_EXPECT_EQ(t, info->cpus[1].online_capable, defined);
			KTEST_EXPECT_EQ(t, info->cpus[2].online_capable, defined);
			KTEST_EXPECT_FALSE(t, info->cpus[3].online_capable);
		}
		free(tab);
	}
	free(info);
}

/* The FADT's minor version is read where the table holds it. */
static void fadt_minor_version_read_where_present(struct ktest *t)
{
	struct fadt_info fi;
	void *f = make_fadt_flags(FADT_V6_LEN, 6, 0, 0);

	((u8 *)f)[ACPI_FADT_MINOR_VERSION_OFF] = 5;
	fix_checksum(f);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.revision, 6);
	KTEST_EXPECT_EQ(t, fi.minor_revision, 5);
	KTEST_EXPECT_TRUE(t, acpi_fadt_online_capable(&fi));
	free(f);
	/* An ACPI 1.0 FADT ends long before it. */
	f = make_fadt_flags(FADT_V1_LEN, 1, 0, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.minor_revision, 0);
	KTEST_EXPECT_FALSE(t, acpi_fadt_online_capable(&fi));
	free(f);
	/* Before revision 5 the byte is reserved, whatever it holds. */
	f = make_fadt_flags(FADT_V6_LEN, ACPI_FADT_REV_MINOR_VERSION - 1, 0, 0);
	((u8 *)f)[ACPI_FADT_MINOR_VERSION_OFF] = 5;
	fix_checksum(f);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.minor_revision, 0);
	free(f);
}

/* A revision this parser does not know is said, and changes nothing. */
static void madt_unknown_revision_warned_and_read(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };

	madt_begin_rev(&b, LAPIC_DEFAULT, 0, ACPI_MADT_REV_LAST + 1);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	madt_lapic(&b, 1, 1, ACPI_MADT_ONLINE_CAPABLE);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 2);
	KTEST_EXPECT_TRUE(t, info->cpus[1].online_capable);
	KTEST_EXPECT_EQ(t, d.count[ACPI_WARN_REVISION], 1);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "MADT: revision 7 is outside 1..6; the FADT's version dates the table"));
	free(tab);

	memset(&d, 0, sizeof(d));
	madt_begin_rev(&b, LAPIC_DEFAULT, 0, 0);
	madt_lapic(&b, 1, 1, ACPI_MADT_ONLINE_CAPABLE);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_TRUE(t, info->cpus[0].online_capable);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "revision 0 is outside 1..6"));
	free(tab);

	/* Known revisions are not mentioned. */
	for (u8 rev = ACPI_MADT_REV_FIRST; rev <= ACPI_MADT_REV_LAST; rev++) {
		memset(&d, 0, sizeof(d));
		madt_begin_rev(&b, LAPIC_DEFAULT, 0, rev);
		tab = tb_end(&b, NULL);
		KTEST_EXPECT_EQ(t, madt_parse(tab, NULL, info, &d), 0);
		KTEST_EXPECT_EQ(t, d.nr, 0);
		free(tab);
	}
	free(info);
}

static void madt_unknown_types_skipped_by_length_one_line_each(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	/* As one Gigabyte X299 board writes them: 12-byte type 0x7f
	 * entries between the processors. */
	for (int i = 0; i < 3; i++) {
		madt_raw(&b, 0x7f, 12, 10);
		madt_lapic(&b, (u8)(i + 1), (u8)(i + 1), ACPI_MADT_ENABLED);
	}
	madt_raw(&b, 0xff, 2, 0);
	madt_raw(&b, 0x11, 40, 38);	/* newer than ACPI 6.4 */
	/* Known types without use here: quiet (NMI source, GIC CPU). */
	madt_raw(&b, ACPI_MADT_NMI_SOURCE, 8, 6);
	madt_raw(&b, 0x0b, 80, 78);
	madt_lapic(&b, 9, 9, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 5);
	KTEST_EXPECT_EQ(t, info->cpus[4].apic_id, 9);
	KTEST_EXPECT_TRUE(t, !info->truncated);
	KTEST_EXPECT_EQ(t, info->nr_unknown_entries, 5);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 0);
	KTEST_EXPECT_EQ(t, d.nr, 3);
	KTEST_EXPECT_EQ(t, d.count[ACPI_WARN_UNKNOWN_TYPE], 3);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "3 entries of unknown type 127 skipped by length"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "1 entry of unknown type 17 skipped by length"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "1 entry of OEM type 255 skipped by length"));
	print_diag(&d);
	free(tab);
	free(info);
}

static void madt_per_cpu_nmi_entries_beyond_16_kept(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };
	/* 76 of 650 real machines list more than 16, one per CPU. */
	enum { PER_CPU_NMIS = 64 };
	bool uids_ok = true;

	madt_begin(&b, LAPIC_DEFAULT, 0);
	for (u8 i = 0; i < PER_CPU_NMIS; i++) {
		madt_lapic(&b, i, i, ACPI_MADT_ENABLED);
		madt_lapic_nmi(&b, i, 5, 1);
	}
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, info->nr_nmis, PER_CPU_NMIS);
	KTEST_EXPECT_EQ(t, info->nr_nmis_dropped, 0);
	for (size_t i = 0; i < info->nr_nmis; i++)
		uids_ok &= info->nmis[i].processor_uid == i && info->nmis[i].lint == 1;
	KTEST_EXPECT_TRUE(t, uids_ok);
	KTEST_EXPECT_EQ(t, d.nr, 0);
	free(tab);
	free(info);
}

static void madt_x2apic_entries_keep_32bit_ids(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_x2apic(&b, 0x10000, 0x12345678, ACPI_MADT_ENABLED);
	madt_x2apic(&b, 7, 0x100, ACPI_MADT_ENABLED);
	madt_x2apic_nmi(&b, ACPI_X2APIC_NMI_ALL_UID, 0xa, 1);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, NULL), 0);
	if (KTEST_EXPECT_EQ(t, info->nr_cpus, 2)) {
		KTEST_EXPECT_EQ_U(t, info->cpus[0].apic_id, 0x12345678);
		KTEST_EXPECT_EQ_U(t, info->cpus[0].processor_uid, 0x10000);
		KTEST_EXPECT_TRUE(t, info->cpus[0].from_x2apic_entry);
		KTEST_EXPECT_EQ_U(t, info->cpus[1].apic_id, 0x100);
	}
	if (KTEST_EXPECT_EQ(t, info->nr_nmis, 1)) {
		KTEST_EXPECT_EQ_U(t, info->nmis[0].processor_uid, ACPI_X2APIC_NMI_ALL_UID);
		KTEST_EXPECT_EQ(t, info->nmis[0].lint, 1);
		KTEST_EXPECT_EQ(t, info->nmis[0].flags, 0xa);
	}
	free(tab);
	free(info);
}

static void madt_enabled_online_capable_and_neither_kept_apart(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	madt_lapic(&b, 1, 1, ACPI_MADT_ONLINE_CAPABLE);
	madt_lapic(&b, 2, 2, 0);
	/* Both set: Online Capable is reserved when Enabled is set. (IDs of
	 * 255 and up: below that, x2APIC entries beside Local APIC ones are
	 * shadows, see madt_x2apic_low_ids_ignored_beside_lapic_entries.) */
	madt_x2apic(&b, 3, 0x103, ACPI_MADT_ENABLED | ACPI_MADT_ONLINE_CAPABLE);
	madt_x2apic(&b, 4, 0x104, ACPI_MADT_ONLINE_CAPABLE);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, NULL), 0);
	if (!KTEST_EXPECT_EQ(t, info->nr_cpus, 5))
		goto out;
	KTEST_EXPECT_TRUE(t, info->cpus[0].enabled && !info->cpus[0].online_capable);
	KTEST_EXPECT_TRUE(t, !info->cpus[1].enabled && info->cpus[1].online_capable);
	KTEST_EXPECT_TRUE(t, !info->cpus[2].enabled && !info->cpus[2].online_capable);
	KTEST_EXPECT_TRUE(t, info->cpus[3].enabled && !info->cpus[3].online_capable);
	KTEST_EXPECT_TRUE(t, !info->cpus[4].enabled && info->cpus[4].online_capable);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 0);
out:
	free(tab);
	free(info);
}

#define EXTRA_CPUS	5

static void madt_processors_beyond_max_counted_as_dropped(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };
	char expect[ACPI_DIAG_LEN];
	bool ids_ok = true;

	madt_begin(&b, LAPIC_DEFAULT, 0);
	for (u32 i = 0; i < MADT_MAX_CPUS + EXTRA_CPUS; i++)
		madt_x2apic(&b, i, i, ACPI_MADT_ENABLED);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, acpi_table_check(tab, ((struct acpi_table_header *)tab)->length,
				     ACPI_SIG_MADT, NULL), 0);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, MADT_MAX_CPUS);
	KTEST_EXPECT_EQ(t, info->nr_cpus_dropped, EXTRA_CPUS);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 0);
	for (u32 i = 0; i < MADT_MAX_CPUS; i++)
		ids_ok &= info->cpus[i].apic_id == i;
	KTEST_EXPECT_TRUE(t, ids_ok);
	snprintf(expect, sizeof(expect), "%d processor entries beyond the first %d",
		 EXTRA_CPUS, MADT_MAX_CPUS);
	KTEST_EXPECT_TRUE(t, diag_has(&d, expect));
	KTEST_EXPECT_EQ(t, d.nr, 1);
	print_diag(&d);
	free(tab);
	free(info);
}

static void madt_lapic_address_override_replaces_32bit_address(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };

	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	madt_addr_override(&b, LAPIC_HIGH);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ_U(t, info->lapic_address, LAPIC_HIGH);
	KTEST_EXPECT_TRUE(t, !info->pcat_compat);
	free(tab);

	/* An override to address 0 is refused; the 32-bit address stays. */
	madt_begin(&b, LAPIC_DEFAULT, 0);
	madt_addr_override(&b, 0);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ_U(t, info->lapic_address, LAPIC_DEFAULT);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 1);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "Local APIC Address Override entry at offset 0x2c has address 0"));
	free(tab);
	free(info);
}

static void madt_excess_ioapics_isos_nmis_counted_as_bad(struct ktest *t)
{
	struct tb b;
	void *tab;
	struct madt_info *info = new_info();
	struct acpi_diag d = { 0 };

	madt_begin(&b, LAPIC_DEFAULT, 0);
	for (unsigned int i = 0; i < MADT_MAX_IOAPICS + 1; i++)
		madt_ioapic(&b, (u8)i, 0xfec00000u + i * 0x1000, i * 24);
	for (unsigned int i = 0; i < MADT_MAX_ISOS + 2; i++)
		madt_iso(&b, (u8)i, i, 0);
	for (unsigned int i = 0; i < MADT_MAX_NMIS + 3; i++)
		madt_lapic_nmi(&b, (u8)i, 0, 1);
	/* A LINT pin the local APIC does not have. */
	madt_x2apic_nmi(&b, 0, 0, 2);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, madt_parse(tab, &acpi_6_3, info, &d), 0);
	KTEST_EXPECT_EQ(t, info->nr_ioapics, MADT_MAX_IOAPICS);
	KTEST_EXPECT_EQ(t, info->ioapics[MADT_MAX_IOAPICS - 1].id, MADT_MAX_IOAPICS - 1);
	KTEST_EXPECT_EQ(t, info->nr_isos, MADT_MAX_ISOS);
	KTEST_EXPECT_EQ(t, info->nr_nmis, MADT_MAX_NMIS);
	/* NMI entries beyond the limit are counted and summed up in one
	 * line (one per entry could flood the diag buffer on a machine
	 * with thousands of CPUs); the other excess entries are refused
	 * one by one. */
	KTEST_EXPECT_EQ(t, info->nr_nmis_dropped, 3);
	KTEST_EXPECT_EQ(t, info->nr_bad_entries, 1 + 2 + 1);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "is one I/O APIC too many"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "is one override too many"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "3 NMI entries beyond the first 2048 not read"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "names a LINT pin other than 0 or 1"));
	KTEST_EXPECT_EQ(t, d.count[ACPI_WARN_LIMIT], 1);
	KTEST_EXPECT_EQ(t, d.nr + d.dropped, info->nr_bad_entries + 1);
	free(tab);
	free(info);
}

/* xorshift64*: a fixed, portable sequence, so a failure reproduces. */
static u64 rng_state;

static u64 rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

#define FUZZ_SEED	0x5eed0acb1ull
#define FUZZ_ROUNDS	4000u

/* Does the result obey every bound and rule madt_parse() promises? */
static bool madt_info_sane(const struct madt_info *info)
{
	if (info->nr_cpus > MADT_MAX_CPUS || info->nr_ioapics > MADT_MAX_IOAPICS ||
	    info->nr_isos > MADT_MAX_ISOS || info->nr_nmis > MADT_MAX_NMIS)
		return false;
	for (size_t i = 0; i < info->nr_cpus; i++) {
		const struct madt_cpu *c = &info->cpus[i];

		if (c->apic_id == ACPI_X2APIC_ID_BROADCAST ||
		    (!c->from_x2apic_entry && c->apic_id >= ACPI_APIC_ID_BROADCAST))
			return false;
		if (c->enabled && c->online_capable)
			return false;
		for (size_t j = 0; c->enabled && j < i; j++)
			if (info->cpus[j].enabled && info->cpus[j].apic_id == c->apic_id)
				return false;
	}
	for (size_t i = 0; i < info->nr_nmis; i++)
		if (info->nmis[i].lint > 1)
			return false;
	return true;
}

static void madt_fuzz_never_overruns_or_breaks_bounds(struct ktest *t)
{
	struct std_madt s = make_std_madt();
	struct madt_info *info = new_info();
	struct acpi_diag d;
	/* insane: a round where a promise broke (a bound, a rule, or the
	 * re-checksummed table failing its check). */
	unsigned int insane = 0, rejected = 0, truncated = 0;
	unsigned char *work = malloc(s.len);

	rng_state = FUZZ_SEED;
	for (unsigned int round = 0; round < FUZZ_ROUNDS && work; round++) {
		struct acpi_table_header *h = (void *)work;
		unsigned int flips = 1 + (unsigned int)(rng_next() % 8);
		size_t len;
		unsigned char *tab;

		memcpy(work, s.table, s.len);
		for (unsigned int i = 0; i < flips; i++) {
			size_t at = HDR_LEN + rng_next() % (s.len - HDR_LEN);

			/* Half the time a small length-like value, so entry
			 * lengths around their limits are hit often. */
			work[at] = (rng_next() & 1) ? (u8)rng_next() : (u8)(rng_next() % 20);
		}
		/* Sometimes cut the table short, even inside the fixed
		 * part (which madt_parse() must refuse). */
		len = s.len;
		if (rng_next() % 4 == 0)
			len = HDR_LEN + rng_next() % (s.len - HDR_LEN + 1);
		h->length = (u32)len;
		fix_checksum(work);

		/* The parser's precondition: the table passed the check.
		 * An exact-size copy makes any over-read an ASan error. */
		tab = exact_copy(work, len);
		if (acpi_table_check(tab, len, ACPI_SIG_MADT, NULL) != 0) {
			insane++;
			free(tab);
			continue;
		}
		memset(&d, 0, sizeof(d));
		if (madt_parse((void *)tab, &acpi_6_3, info, &d) != 0) {
			rejected++;
		} else {
			if (!madt_info_sane(info))
				insane++;
			if (info->truncated)
				truncated++;
		}
		if (d.nr > ACPI_DIAG_MAX)
			insane++;
		free(tab);
	}
	KTEST_EXPECT_TRUE(t, work != NULL);
	KTEST_EXPECT_EQ(t, insane, 0);
	/* The mutations really reached both early exits. */
	KTEST_EXPECT_TRUE(t, rejected > 0);
	KTEST_EXPECT_TRUE(t, truncated > 0);
	printf("    # fuzz: %u rounds, %u refused as too short, %u walks stopped early\n",
	       FUZZ_ROUNDS, rejected, truncated);
	free(work);
	free(info);
	free(s.table);
}

/* ---- FADT ----------------------------------------------------------- */

static void fadt_x_pm_tmr_blk_preferred(struct ktest *t)
{
	struct fadt_info fi;
	void *f = make_fadt(FADT_V6_LEN, PM_TMR_PORT, 4, ACPI_FADT_TMR_VAL_EXT,
			    ACPI_GAS_SYSTEM_IO, X_PM_TMR_PORT);

	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, X_PM_TMR_PORT);
	KTEST_EXPECT_TRUE(t, fi.pm_timer_32bit);
	free(f);
}

static void fadt_pm_tmr_blk_used_without_x_block(struct ktest *t)
{
	struct fadt_info fi;
	void *f;

	/* An ACPI 1.0 FADT ends before X_PM_TMR_BLK. */
	f = make_fadt(FADT_V1_LEN, PM_TMR_PORT, 4, 0, ACPI_GAS_SYSTEM_IO, X_PM_TMR_PORT);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, PM_TMR_PORT);
	KTEST_EXPECT_TRUE(t, !fi.pm_timer_32bit);
	free(f);

	/* Long table, X block zero. */
	f = make_fadt(FADT_V6_LEN, PM_TMR_PORT, 4, ACPI_FADT_TMR_VAL_EXT,
		      ACPI_GAS_SYSTEM_IO, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, PM_TMR_PORT);
	KTEST_EXPECT_TRUE(t, fi.pm_timer_32bit);
	free(f);

	/* X block in memory space or beyond the port range: not a port. */
	f = make_fadt(FADT_V6_LEN, PM_TMR_PORT, 4, 0, ACPI_GAS_SYSTEM_MEMORY,
		      X_PM_TMR_PORT);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, PM_TMR_PORT);
	free(f);
	f = make_fadt(FADT_V6_LEN, PM_TMR_PORT, 4, 0, ACPI_GAS_SYSTEM_IO, 0x10000);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, PM_TMR_PORT);
	free(f);
}

static void fadt_without_timer_gives_port_zero(struct ktest *t)
{
	struct fadt_info fi;
	void *f;

	/* PM_TMR_LEN 0 means no timer, whatever PM_TMR_BLK says. */
	f = make_fadt(FADT_V6_LEN, PM_TMR_PORT, 0, ACPI_FADT_TMR_VAL_EXT,
		      ACPI_GAS_SYSTEM_IO, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, 0);
	KTEST_EXPECT_TRUE(t, !fi.pm_timer_32bit);
	free(f);

	f = make_fadt(FADT_V6_LEN, 0, 4, 0, ACPI_GAS_SYSTEM_IO, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, 0);
	free(f);
}

static void fadt_fields_beyond_short_table_are_absent(struct ktest *t)
{
	struct fadt_info fi;
	void *f;

	/* Ends just before PM_TMR_LEN: PM_TMR_BLK alone is not enough. */
	f = make_fadt(ACPI_FADT_PM_TMR_LEN_OFF, PM_TMR_PORT, 4, 0, ACPI_GAS_SYSTEM_IO, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, 0);
	free(f);

	/* Ends one byte into X_PM_TMR_BLK's address: the X block is absent,
	 * PM_TMR_BLK counts. */
	f = make_fadt(ACPI_FADT_X_PM_TMR_BLK_OFF + 5, PM_TMR_PORT, 4, 0,
		      ACPI_GAS_SYSTEM_IO, X_PM_TMR_PORT);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, PM_TMR_PORT);
	free(f);

	/* Header only: no timer, but not an error. */
	f = make_fadt(HDR_LEN, PM_TMR_PORT, 4, 0, ACPI_GAS_SYSTEM_IO, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.pm_timer_port, 0);
	free(f);

	/* Shorter than a header. */
	f = make_fadt(HDR_LEN, 0, 0, 0, 0, 0);
	((struct acpi_table_header *)f)->length = HDR_LEN - 1;
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), -EINVAL);
	free(f);
}

static void fadt_flags_believed_from_their_revision(struct ktest *t)
{
	const u16 both = ACPI_FADT_LEGACY_DEVICES | ACPI_FADT_8042;
	struct fadt_info fi;
	void *f;

	/* ACPI 6.x: every flag as written. */
	f = make_fadt_flags(FADT_V6_LEN, 6, both, ACPI_FADT_HW_REDUCED_ACPI);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.revision, 6);
	KTEST_EXPECT_TRUE(t, fi.hw_reduced);
	KTEST_EXPECT_EQ(t, fi.legacy_devices, ACPI_YES);
	KTEST_EXPECT_EQ(t, fi.i8042, ACPI_YES);
	free(f);
	f = make_fadt_flags(FADT_V6_LEN, 5, 0, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_TRUE(t, !fi.hw_reduced);
	KTEST_EXPECT_EQ(t, fi.legacy_devices, ACPI_NO);
	KTEST_EXPECT_EQ(t, fi.i8042, ACPI_NO);
	free(f);

	/* Revision 4: bit 20 is reserved, a stray 1 there means nothing. */
	f = make_fadt_flags(FADT_V6_LEN, 4, both, ACPI_FADT_HW_REDUCED_ACPI);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_TRUE(t, !fi.hw_reduced);
	KTEST_EXPECT_EQ(t, fi.i8042, ACPI_YES);
	free(f);

	/* Revision 2 defines LEGACY_DEVICES but not yet the 8042 bit. */
	f = make_fadt_flags(FADT_V6_LEN, 2, both, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.legacy_devices, ACPI_YES);
	KTEST_EXPECT_EQ(t, fi.i8042, ACPI_UNKNOWN);
	free(f);

	/* Revision 1: IAPC_BOOT_ARCH is reserved. */
	f = make_fadt_flags(FADT_V1_LEN, 1, both, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.legacy_devices, ACPI_UNKNOWN);
	KTEST_EXPECT_EQ(t, fi.i8042, ACPI_UNKNOWN);
	free(f);

	/* A table cut before IAPC_BOOT_ARCH knows nothing, whatever its
	 * revision claims. */
	f = make_fadt_flags(ACPI_FADT_IAPC_BOOT_ARCH_OFF + 1, 6, both, 0);
	KTEST_EXPECT_EQ(t, fadt_parse(f, &fi), 0);
	KTEST_EXPECT_EQ(t, fi.legacy_devices, ACPI_UNKNOWN);
	KTEST_EXPECT_TRUE(t, !fi.hw_reduced);
	free(f);
}

/* ---- DMAR ----------------------------------------------------------- */

/* A DRHD of 16 bytes plus one 8-byte device scope, then an RMRR. */
static const u8 dmar_body[] = {
	0, 0, 24, 0, 0, 0, 0, 0, 0x00, 0x00, 0xd9, 0xfe, 0, 0, 0, 0,
	1, 8, 0, 0, 0, 0, 2, 0,
	1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0, 0, 0, 0,
	0xff, 0x0f, 0, 0x7b, 0, 0, 0, 0,
};

static void dmar_flags_and_units_read(struct ktest *t)
{
	struct dmar_info di;
	struct acpi_diag d = { 0 };
	void *tab;

	tab = make_dmar(ACPI_DMAR_INTR_REMAP | ACPI_DMAR_X2APIC_OPT_OUT, dmar_body,
			sizeof(dmar_body), NULL);
	KTEST_EXPECT_EQ(t, dmar_parse(tab, &di, &d), 0);
	KTEST_EXPECT_TRUE(t, di.intr_remap);
	KTEST_EXPECT_TRUE(t, di.x2apic_opt_out);
	KTEST_EXPECT_EQ(t, di.flags, 3);
	KTEST_EXPECT_EQ(t, di.host_address_width, 39);
	KTEST_EXPECT_EQ(t, di.nr_structs, 2);
	KTEST_EXPECT_EQ(t, di.nr_drhd, 1);
	KTEST_EXPECT_TRUE(t, !di.truncated);
	KTEST_EXPECT_EQ(t, d.nr, 0);
	free(tab);

	/* DMA_CTRL_PLATFORM_OPT_IN alone: no remapping, no opt-out. */
	tab = make_dmar(ACPI_DMAR_DMA_CTRL_OPT_IN, NULL, 0, NULL);
	KTEST_EXPECT_EQ(t, dmar_parse(tab, &di, &d), 0);
	KTEST_EXPECT_TRUE(t, !di.intr_remap);
	KTEST_EXPECT_TRUE(t, !di.x2apic_opt_out);
	KTEST_EXPECT_EQ(t, di.nr_structs, 0);
	free(tab);
}

static void dmar_bad_lengths_stop_walk_with_warning(struct ktest *t)
{
	u8 body[sizeof(dmar_body)];
	struct dmar_info di;
	struct acpi_diag d = { 0 };
	void *tab;

	/* The RMRR's length runs past the end. */
	memcpy(body, dmar_body, sizeof(body));
	body[26] = 200;
	tab = make_dmar(ACPI_DMAR_INTR_REMAP, body, sizeof(body), NULL);
	KTEST_EXPECT_EQ(t, dmar_parse(tab, &di, &d), 0);
	KTEST_EXPECT_TRUE(t, di.truncated);
	KTEST_EXPECT_EQ(t, di.nr_drhd, 1);
	KTEST_EXPECT_TRUE(t, di.intr_remap);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "type 1 structure at 0x48 has length 200"));
	free(tab);

	/* Length 0 and 3: the walk could not move on. */
	for (u8 bad = 0; bad < sizeof(struct acpi_dmar_entry); bad += 3) {
		memset(&d, 0, sizeof(d));
		memcpy(body, dmar_body, sizeof(body));
		body[2] = bad;
		tab = make_dmar(0, body, sizeof(body), NULL);
		KTEST_EXPECT_EQ(t, dmar_parse(tab, &di, &d), 0);
		KTEST_EXPECT_TRUE(t, di.truncated);
		KTEST_EXPECT_EQ(t, di.nr_structs, 0);
		KTEST_EXPECT_EQ(t, d.count[ACPI_WARN_TRUNCATED], 1);
		free(tab);
	}

	/* A DRHD too short for its fixed part is not a unit; an unknown
	 * type is skipped by its length, the walk goes on. */
	memset(&d, 0, sizeof(d));
	memcpy(body, dmar_body, sizeof(body));
	body[2] = 8;			/* the DRHD ends before its base */
	body[8] = 0x33;			/* its "scope" is now a type 0x33 */
	body[10] = 16;
	body[11] = 0;
	tab = make_dmar(0, body, sizeof(body), NULL);
	KTEST_EXPECT_EQ(t, dmar_parse(tab, &di, &d), 0);
	KTEST_EXPECT_TRUE(t, !di.truncated);
	KTEST_EXPECT_EQ(t, di.nr_drhd, 0);
	KTEST_EXPECT_EQ(t, di.nr_unknown, 1);
	KTEST_EXPECT_EQ(t, di.nr_structs, 3);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "DRHD at offset 0x30 has length 8, needs 16"));
	KTEST_EXPECT_TRUE(t, diag_has(&d, "1 unknown structure(s) skipped by length; first: type 51 at 0x38"));
	print_diag(&d);
	free(tab);
}

static void dmar_shorter_than_flags_refused(struct ktest *t)
{
	struct dmar_info di;
	struct acpi_diag d = { 0 };
	struct tb b;
	void *tab;

	tb_begin(&b, ACPI_SIG_DMAR, 1);
	tb_zero(&b, ACPI_DMAR_FLAGS_OFF - HDR_LEN);
	tab = tb_end(&b, NULL);
	KTEST_EXPECT_EQ(t, dmar_parse(tab, &di, &d), -EINVAL);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "ends before its Flags byte"));
	free(tab);

	/* Flags, but no room for the reserved bytes: fine, no structures. */
	tb_begin(&b, ACPI_SIG_DMAR, 1);
	tb_zero(&b, ACPI_DMAR_FLAGS_OFF + 1 - HDR_LEN);
	tab = tb_end(&b, NULL);
	((u8 *)tab)[ACPI_DMAR_FLAGS_OFF] = ACPI_DMAR_X2APIC_OPT_OUT;
	KTEST_EXPECT_EQ(t, dmar_parse(tab, &di, NULL), 0);
	KTEST_EXPECT_TRUE(t, di.x2apic_opt_out);
	KTEST_EXPECT_EQ(t, di.nr_structs, 0);
	free(tab);
}

/* ---- HPET ----------------------------------------------------------- */

static void hpet_good_table_gives_mmio_base(struct ktest *t)
{
	u64 addr = 0;
	void *h = make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO);

	KTEST_EXPECT_EQ(t, hpet_parse(h, &addr), 0);
	KTEST_EXPECT_EQ_U(t, addr, HPET_MMIO);
	free(h);

	/* Just long enough for the address GAS. */
	h = make_hpet(ACPI_HPET_ADDRESS_OFF + sizeof(struct acpi_gas),
		      ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO);
	KTEST_EXPECT_EQ(t, hpet_parse(h, &addr), 0);
	free(h);
}

static void hpet_short_table_refused(struct ktest *t)
{
	u64 addr = 0;
	void *h = make_hpet(ACPI_HPET_ADDRESS_OFF + sizeof(struct acpi_gas) - 1,
			    ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO);

	KTEST_EXPECT_EQ(t, hpet_parse(h, &addr), -EINVAL);
	KTEST_EXPECT_EQ_U(t, addr, 0);
	free(h);
}

static void hpet_zero_or_io_address_refused(struct ktest *t)
{
	u64 addr = 0;
	void *h = make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_MEMORY, 0);

	KTEST_EXPECT_EQ(t, hpet_parse(h, &addr), -EINVAL);
	free(h);
	h = make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_IO, HPET_MMIO);
	KTEST_EXPECT_EQ(t, hpet_parse(h, &addr), -EINVAL);
	free(h);
}

/* ---- The tables together -------------------------------------------- */

/* The kernel and the tool share acpi_parse_tables(): a table its parser
 * refuses is not there, whatever the others are. */
static void parse_tables_refused_madt_is_no_madt(struct ktest *t)
{
	struct acpi_tables *p = malloc(sizeof(*p));
	struct acpi_found_tables found = { 0 };
	struct acpi_diag d = { 0 };
	struct std_madt good = make_std_madt();
	void *fadt = make_fadt(FADT_V6_LEN, PM_TMR_PORT, 4, 0, ACPI_GAS_SYSTEM_IO, 0);
	void *dmar = make_dmar(ACPI_DMAR_INTR_REMAP, NULL, 0, NULL);
	void *short_madt;
	struct tb b;

	if (!p)
		abort();
	/* A header, but not the MADT's fixed part after it. */
	tb_begin(&b, ACPI_SIG_MADT, 5);
	tb_zero(&b, MADT_HDR_LEN - HDR_LEN - 1);
	short_madt = tb_end(&b, NULL);

	found.madt = short_madt;
	found.fadt = fadt;
	found.dmar = dmar;
	memset(p, 0xa5, sizeof(*p));
	acpi_parse_tables(&found, p, &d);
	KTEST_EXPECT_FALSE(t, p->have_madt);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "shorter than its fixed part"));
	KTEST_EXPECT_TRUE(t, p->have_fadt);
	KTEST_EXPECT_EQ(t, p->fadt.pm_timer_port, PM_TMR_PORT);
	KTEST_EXPECT_TRUE(t, p->have_dmar);
	KTEST_EXPECT_TRUE(t, p->dmar.intr_remap);

	/* A good MADT, no FADT, no DMAR. */
	found.madt = good.table;
	found.fadt = NULL;
	found.dmar = NULL;
	acpi_parse_tables(&found, p, &d);
	KTEST_EXPECT_TRUE(t, p->have_madt);
	KTEST_EXPECT_EQ(t, p->madt.nr_cpus, 4);
	KTEST_EXPECT_FALSE(t, p->have_fadt);
	KTEST_EXPECT_FALSE(t, p->have_dmar);
	free(short_madt);
	free(good.table);
	free(fadt);
	free(dmar);
	free(p);
}

/* The shared parsing hands the FADT to the MADT's parser: the tables'
 * ACPI version decides what Online Capable means. */
static void parse_tables_dates_the_madt_by_the_fadt(struct ktest *t)
{
	struct acpi_tables *p = malloc(sizeof(*p));
	struct acpi_found_tables found = { 0 };
	struct std_madt s = make_std_madt();
	u8 *fadt = make_fadt(FADT_V6_LEN, PM_TMR_PORT, 4, 0, ACPI_GAS_SYSTEM_IO, 0);

	if (!p)
		abort();
	found.madt = s.table;
	found.fadt = (void *)fadt;
	/* ACPI 6.0: the disabled entry's Online Capable bit is reserved. */
	acpi_parse_tables(&found, p, NULL);
	if (KTEST_EXPECT_EQ(t, p->madt.nr_cpus, 4)) {
		KTEST_EXPECT_FALSE(t, p->madt.online_capable_defined);
		KTEST_EXPECT_FALSE(t, p->madt.cpus[3].online_capable);
	}
	/* ACPI 6.3: it counts. */
	fadt[ACPI_FADT_MINOR_VERSION_OFF] = ACPI_FADT_MINOR_ONLINE_CAPABLE;
	fix_checksum(fadt);
	acpi_parse_tables(&found, p, NULL);
	KTEST_EXPECT_EQ(t, p->fadt.minor_revision, ACPI_FADT_MINOR_ONLINE_CAPABLE);
	if (KTEST_EXPECT_EQ(t, p->madt.nr_cpus, 4)) {
		KTEST_EXPECT_TRUE(t, p->madt.online_capable_defined);
		KTEST_EXPECT_TRUE(t, p->madt.cpus[3].online_capable);
	}
	free(s.table);
	free(fadt);
	free(p);
}

/* How many stored diag lines contain @needle. */
static unsigned int diag_count(const struct acpi_diag *d, const char *needle)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->nr && i < ACPI_DIAG_MAX; i++)
		n += strstr(d->msg[i], needle) != NULL;
	return n;
}

/* The kernel looks for four tables: a root table or entry problem is one
 * line, not one per table looked for. */
static void find_tables_reports_the_root_once(struct ktest *t)
{
	struct fake_mem m = { 0 };
	struct acpi_mem_ops ops = fake_ops(&m);
	struct acpi_root root = xsdt_root();
	struct acpi_found_tables found;
	struct acpi_diag d = { 0 };
	u64 xsdt_e[] = { 0, UNMAPPED_PHYS, MADT_PHYS, FADT_PHYS, HPET_PHYS };
	struct std_madt s = make_std_madt();
	struct acpi_table_header *x;

	x = make_root(true, xsdt_e, ARRAY_SIZE(xsdt_e), NULL);
	x->checksum++;
	fake_put_table(&m, XSDT_PHYS, x);
	fake_put_table(&m, MADT_PHYS, s.table);
	fake_put_table(&m, FADT_PHYS, make_fadt(FADT_V6_LEN, PM_TMR_PORT, 4, 0,
						ACPI_GAS_SYSTEM_IO, 0));
	fake_put_table(&m, HPET_PHYS,
		       make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO));
	KTEST_EXPECT_EQ(t, acpi_find_tables(&ops, &root, &found, &d), 0);
	KTEST_EXPECT_TRUE(t, found.madt == fake_map(&m, MADT_PHYS, HDR_LEN));
	KTEST_EXPECT_TRUE(t, found.fadt == fake_map(&m, FADT_PHYS, HDR_LEN));
	KTEST_EXPECT_TRUE(t, found.hpet == fake_map(&m, HPET_PHYS, HDR_LEN));
	KTEST_EXPECT_TRUE(t, found.dmar == NULL);
	KTEST_EXPECT_EQ(t, diag_count(&d, "XSDT at 0x7fe1000: bad checksum"), 1);
	KTEST_EXPECT_EQ(t, diag_count(&d, "XSDT entry 0 is a null address"), 1);
	KTEST_EXPECT_EQ(t, diag_count(&d, "XSDT entry 1 (0xdead0000) cannot be mapped"), 1);
	KTEST_EXPECT_EQ(t, d.nr, 3);
	print_diag(&d);

	/* A broken root table: said once, nothing found. */
	memset(&d, 0, sizeof(d));
	root.address = UNMAPPED_PHYS;
	KTEST_EXPECT_EQ(t, acpi_find_tables(&ops, &root, &found, &d), -EINVAL);
	KTEST_EXPECT_TRUE(t, !found.madt && !found.fadt && !found.dmar && !found.hpet);
	KTEST_EXPECT_EQ(t, d.nr, 1);
	fake_free(&m);
}

/* An HPET without a usable address is not used, and the kernel and the
 * tool both say so. */
static void parse_tables_says_why_an_hpet_is_not_used(struct ktest *t)
{
	struct acpi_tables *p = malloc(sizeof(*p));
	struct acpi_found_tables found = { 0 };
	struct acpi_diag d = { 0 };
	void *good = make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_MEMORY, HPET_MMIO);
	void *io = make_hpet(HPET_TABLE_LEN, ACPI_GAS_SYSTEM_IO, HPET_MMIO);

	if (!p)
		abort();
	found.hpet = good;
	acpi_parse_tables(&found, p, &d);
	KTEST_EXPECT_TRUE(t, p->have_hpet);
	KTEST_EXPECT_EQ_U(t, p->hpet_address, HPET_MMIO);
	KTEST_EXPECT_EQ(t, d.nr, 0);
	found.hpet = io;
	acpi_parse_tables(&found, p, &d);
	KTEST_EXPECT_FALSE(t, p->have_hpet);
	KTEST_EXPECT_EQ_U(t, p->hpet_address, 0);
	KTEST_EXPECT_EQ(t, d.count[ACPI_WARN_BAD_ENTRY], 1);
	KTEST_EXPECT_TRUE(t, diag_has(&d, "HPET: no usable register block address, not used"));
	/* No HPET at all is no warning. */
	found.hpet = NULL;
	acpi_parse_tables(&found, p, &d);
	KTEST_EXPECT_FALSE(t, p->have_hpet);
	KTEST_EXPECT_EQ(t, d.nr, 1);
	free(good);
	free(io);
	free(p);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(rsdp_v1_selects_rsdt),
	KTEST_CASE(rsdp_v2_prefers_xsdt),
	KTEST_CASE(rsdp_v2_bad_extended_checksum_falls_back_to_rsdt),
	KTEST_CASE(rsdp_v2_unusable_extension_falls_back_to_rsdt),
	KTEST_CASE(rsdp_broken_structures_refused),
	KTEST_CASE(rsdp_scan_finds_aligned_rsdp_only),
	KTEST_CASE(rsdp_scan_never_reads_past_area),
	KTEST_CASE(table_check_accepts_good_table),
	KTEST_CASE(table_check_refuses_length_beyond_avail),
	KTEST_CASE(table_check_refuses_length_below_header),
	KTEST_CASE(table_check_refuses_fewer_bytes_than_header),
	KTEST_CASE(table_check_refuses_signature_checksum_judged_apart),
	KTEST_CASE(find_table_through_xsdt_finds_every_table),
	KTEST_CASE(find_table_through_rsdt_reads_32bit_entries),
	KTEST_CASE(find_table_from_rsdp_prefers_xsdt_over_rsdt),
	KTEST_CASE(find_table_maps_header_before_body),
	KTEST_CASE(find_table_uses_bad_checksum_table_with_warning),
	KTEST_CASE(find_table_skips_unmappable_entry),
	KTEST_CASE(find_table_refuses_truncated_and_oversized_tables),
	KTEST_CASE(find_table_refuses_entry_length_below_header),
	KTEST_CASE(find_table_broken_root_is_einval),
	KTEST_CASE(find_table_ignores_stray_root_bytes),
	KTEST_CASE(diag_buffer_counts_lines_beyond_max),
	KTEST_CASE(diag_line_too_long_ends_in_cut_mark),
	KTEST_CASE(diag_lines_fit_at_their_widest_values),
	KTEST_CASE(walk_lines_fit_at_their_widest_values),
	KTEST_CASE(madt_good_table_parses_exact_values),
	KTEST_CASE(madt_shorter_than_fixed_part_refused),
	KTEST_CASE(madt_zero_length_entry_stops_walk_keeping_earlier_cpus),
	KTEST_CASE(madt_entry_past_table_end_stops_walk),
	KTEST_CASE(madt_entry_too_short_for_type_skipped),
	KTEST_CASE(madt_longer_entries_accepted_by_length),
	KTEST_CASE(madt_duplicate_apic_ids_dropped),
	KTEST_CASE(madt_broadcast_apic_ids_skipped_as_placeholders),
	KTEST_CASE(madt_x2apic_low_ids_ignored_beside_lapic_entries),
	KTEST_CASE(madt_online_capable_follows_the_fadt_version),
	KTEST_CASE(fadt_minor_version_read_where_present),
	KTEST_CASE(madt_unknown_revision_warned_and_read),
	KTEST_CASE(madt_unknown_types_skipped_by_length_one_line_each),
	KTEST_CASE(madt_per_cpu_nmi_entries_beyond_16_kept),
	KTEST_CASE(madt_x2apic_entries_keep_32bit_ids),
	KTEST_CASE(madt_enabled_online_capable_and_neither_kept_apart),
	KTEST_CASE(madt_processors_beyond_max_counted_as_dropped),
	KTEST_CASE(madt_lapic_address_override_replaces_32bit_address),
	KTEST_CASE(madt_excess_ioapics_isos_nmis_counted_as_bad),
	KTEST_CASE(madt_fuzz_never_overruns_or_breaks_bounds),
	KTEST_CASE(fadt_x_pm_tmr_blk_preferred),
	KTEST_CASE(fadt_pm_tmr_blk_used_without_x_block),
	KTEST_CASE(fadt_without_timer_gives_port_zero),
	KTEST_CASE(fadt_fields_beyond_short_table_are_absent),
	KTEST_CASE(fadt_flags_believed_from_their_revision),
	KTEST_CASE(dmar_flags_and_units_read),
	KTEST_CASE(dmar_bad_lengths_stop_walk_with_warning),
	KTEST_CASE(dmar_shorter_than_flags_refused),
	KTEST_CASE(hpet_good_table_gives_mmio_base),
	KTEST_CASE(hpet_short_table_refused),
	KTEST_CASE(hpet_zero_or_io_address_refused),
	KTEST_CASE(parse_tables_refused_madt_is_no_madt),
	KTEST_CASE(parse_tables_dates_the_madt_by_the_fadt),
	KTEST_CASE(find_tables_reports_the_root_once),
	KTEST_CASE(parse_tables_says_why_an_hpet_is_not_used),
};

int main(void)
{
	return host_main("acpi", cases, ARRAY_SIZE(cases));
}
