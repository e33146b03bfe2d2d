// SPDX-License-Identifier: MIT
/*
 * ACPI table parsers: RSDP, RSDT/XSDT, MADT, FADT, HPET and DMAR.
 *
 * This file owns the rules for trusting firmware tables: a table's header
 * is read before its body, its length is checked against what could be
 * mapped before any byte past the header is, and every subtable's length
 * against the table before the subtable is read. A table or entry that
 * breaks a rule is refused with a line in struct acpi_diag; the parse goes
 * on with what it could trust. A wrong checksum is only warned about (see
 * include/xcall/acpi.h for why).
 *
 * It does not touch physical memory (the caller's struct acpi_mem_ops maps
 * it), does not print (the kernel prints the diag lines) and does not decide
 * what a CPU list means for bring-up (kernel/ does). The wire structures and
 * the contract of each function are in include/xcall/acpi.h.
 */
#include <xcall/acpi.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/string.h>

#define ACPI_HDR_LEN		sizeof(struct acpi_table_header)
#define MADT_FIXED_LEN		sizeof(struct acpi_madt)
#define ACPI_SIG_LEN		sizeof(((struct acpi_table_header *)0)->signature)

/* RSDT entries are 32-bit physical addresses, XSDT entries 64-bit ones
 * (ACPI 5.2.7, 5.2.8). XSDT entries sit at offset 36, so they are only
 * 4-byte aligned: they are read with memcpy. */
#define RSDT_ENTRY_LEN		sizeof(u32)
#define XSDT_ENTRY_LEN		sizeof(u64)

/* I/O port numbers are 16 bits wide; a PM timer "port" above this is
 * firmware garbage. */
#define IO_PORT_MAX		0xffffu

/* The PM timer block is 4 bytes long when it exists (ACPI 5.2.9, Table
 * 5.9, PM_TMR_LEN). */
#define ACPI_PM_TMR_LEN		4

/* LINT# of a Local APIC NMI entry: the local APIC has LINT0 and LINT1. */
#define MADT_NMI_LINT_MAX	1

/* Subtable types are one byte in the MADT: one counter per value, each
 * saturating at the top of its u16. */
#define MADT_NR_TYPES		256
#define MADT_UNKNOWN_MAX	0xffffu

/* ---- Small helpers ------------------------------------------------ */

static const char *const warn_kind_name[ACPI_WARN_NR] = {
	[ACPI_WARN_TABLE]		= "table",
	[ACPI_WARN_CHECKSUM]		= "checksum",
	[ACPI_WARN_TRUNCATED]		= "truncated",
	[ACPI_WARN_BAD_ENTRY]		= "bad_entry",
	[ACPI_WARN_UNKNOWN_TYPE]	= "unknown_type",
	[ACPI_WARN_LIMIT]		= "limit",
	[ACPI_WARN_REVISION]		= "revision",
	[ACPI_WARN_FIRMWARE]		= "firmware",
};

const char *acpi_warn_kind_name(unsigned int kind)
{
	return kind < ACPI_WARN_NR ? warn_kind_name[kind] : "unknown";
}

bool acpi_diag_vformat(char *buf, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, ACPI_DIAG_LEN, fmt, ap);
	size_t mark = sizeof(ACPI_DIAG_CUT_MARK) - 1;

	if (n < ACPI_DIAG_LEN)
		return false;
	/* vsnprintf() wrote ACPI_DIAG_LEN - 1 characters: the last few
	 * become the mark. */
	memcpy(buf + ACPI_DIAG_LEN - 1 - mark, ACPI_DIAG_CUT_MARK, mark);
	return true;
}

void acpi_diag_add(struct acpi_diag *diag, unsigned int kind, const char *fmt, ...)
{
	va_list ap;
	bool cut;

	if (!diag)
		return;
	if (kind >= ACPI_WARN_NR)
		kind = ACPI_WARN_TABLE;
	diag->count[kind]++;
	if (diag->nr >= ACPI_DIAG_MAX) {
		diag->dropped++;
		return;
	}
	diag->kind[diag->nr] = (u8)kind;
	va_start(ap, fmt);
	cut = acpi_diag_vformat(diag->msg[diag->nr], fmt, ap);
	va_end(ap);
	diag->cut += cut;
	diag->nr++;
}

static u8 acpi_sum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum = (u8)(sum + *b++);
	return sum;
}

static u32 get_u32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 get_u64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A signature fit for a console line: firmware garbage may hold control
 * characters or NULs. @buf holds ACPI_SIG_LEN + 1 bytes. */
static const char *printable_sig(char *buf, const char *sig)
{
	for (size_t i = 0; i < ACPI_SIG_LEN; i++)
		buf[i] = sig[i] >= ' ' && sig[i] <= '~' ? sig[i] : '?';
	buf[ACPI_SIG_LEN] = '\0';
	return buf;
}

static void set_why(const char **why, const char *reason)
{
	if (why)
		*why = reason;
}

/* ---- RSDP ---------------------------------------------------------- */

int acpi_rsdp_check(const void *rsdp, size_t len, struct acpi_root *root,
		    const char **why)
{
	const struct acpi_rsdp *r = rsdp;
	bool xsdt_ok = false;

	if (len < ACPI_RSDP_V1_LEN) {
		set_why(why, "RSDP shorter than 20 bytes");
		return -EINVAL;
	}
	if (memcmp(r->signature, ACPI_RSDP_SIG, sizeof(r->signature)) != 0) {
		set_why(why, "RSDP signature is not \"RSD PTR \"");
		return -EINVAL;
	}
	/* ACPI 5.2.5.3: the checksum covers the 1.0 part only, so 1.0 and
	 * 2.0+ structures validate the same way. */
	if (acpi_sum(r, ACPI_RSDP_V1_LEN) != 0) {
		set_why(why, "RSDP checksum is wrong");
		return -EINVAL;
	}

	/*
	 * The 2.0 fields are read only when the caller could hand us 36
	 * bytes, and believed only when the extended checksum over Length
	 * bytes holds. Anything less falls back to the RSDT, which every
	 * ACPI version still provides for 32-bit operating systems.
	 */
	if (r->revision >= 2 && len >= ACPI_RSDP_V2_LEN) {
		u32 xlen = r->length;

		xsdt_ok = xlen >= ACPI_RSDP_V2_LEN && xlen <= len &&
			  acpi_sum(r, xlen) == 0 && r->xsdt_address != 0;
	}

	if (xsdt_ok) {
		root->address = r->xsdt_address;
		root->xsdt = true;
	} else if (r->rsdt_address != 0) {
		root->address = r->rsdt_address;
		root->xsdt = false;
	} else {
		set_why(why, "RSDP names no usable RSDT or XSDT");
		return -EINVAL;
	}
	root->revision = r->revision;
	memcpy(root->oem_id, r->oem_id, sizeof(r->oem_id));
	root->oem_id[sizeof(r->oem_id)] = '\0';
	return 0;
}

const void *acpi_rsdp_scan(const void *area, size_t len)
{
	const u8 *base = area;
	/* "On a 16-byte boundary" is a property of the physical address,
	 * which the caller's pointer mirrors: start at the first aligned
	 * address inside the area. */
	size_t off = ALIGN_UP((uintptr_t)base, ACPI_RSDP_ALIGN) - (uintptr_t)base;

	for (; off < len && len - off >= ACPI_RSDP_V1_LEN; off += ACPI_RSDP_ALIGN) {
		const u8 *p = base + off;

		if (memcmp(p, ACPI_RSDP_SIG, sizeof(ACPI_RSDP_SIG) - 1) == 0 &&
		    acpi_sum(p, ACPI_RSDP_V1_LEN) == 0)
			return p;
	}
	return NULL;
}

/* ---- Table headers and the root table ------------------------------- */

int acpi_table_check(const void *table, size_t avail, const char *sig,
		     const char **why)
{
	const struct acpi_table_header *h = table;
	u32 length;

	if (avail < ACPI_HDR_LEN) {
		set_why(why, "fewer readable bytes than a header");
		return -EINVAL;
	}
	if (sig && memcmp(h->signature, sig, ACPI_SIG_LEN) != 0) {
		set_why(why, "wrong signature");
		return -EINVAL;
	}
	length = h->length;
	if (length < ACPI_HDR_LEN) {
		set_why(why, "length smaller than the header");
		return -EINVAL;
	}
	if (length > avail) {
		set_why(why, "length beyond the readable bytes");
		return -EINVAL;
	}
	return 0;
}

bool acpi_table_checksum_ok(const void *table)
{
	const struct acpi_table_header *h = table;

	/* ACPI 5.2.6: all Length bytes, checksum included, sum to zero. */
	return acpi_sum(table, h->length) == 0;
}

/*
 * map_table() - map and check the table at @phys, header first
 * @what: names the table in diag lines ("XSDT", "APIC (XSDT entry 3)")
 *
 * Only the header is mapped until its length is known to be plausible;
 * then the full length is mapped and checked. A wrong checksum costs a
 * warning, not the table. Returns the table or NULL (with a diag line);
 * @len gets its length.
 */
static const void *map_table(const struct acpi_mem_ops *mem, u64 phys,
			     const char *sig, const char *what, size_t *len,
			     struct acpi_diag *diag)
{
	const struct acpi_table_header *h;
	const void *table;
	const char *why = NULL;
	u32 length;

	h = mem->map(mem->ctx, phys, ACPI_HDR_LEN);
	if (!h) {
		acpi_diag_add(diag, ACPI_WARN_TABLE,
			      "ACPI: %s at 0x%llx refused: cannot be mapped",
			      what, (unsigned long long)phys);
		return NULL;
	}
	if (memcmp(h->signature, sig, ACPI_SIG_LEN) != 0) {
		char found[ACPI_SIG_LEN + 1];

		acpi_diag_add(diag, ACPI_WARN_TABLE,
			      "ACPI: %s at 0x%llx refused: signature \"%s\", not \"%.4s\"",
			      what, (unsigned long long)phys,
			      printable_sig(found, h->signature), sig);
		return NULL;
	}
	length = h->length;
	if (length < ACPI_HDR_LEN)
		why = "too small";
	else if (length > ACPI_TABLE_MAX_LEN)
		why = "too large";
	if (why) {
		acpi_diag_add(diag, ACPI_WARN_TABLE,
			      "ACPI: %s at 0x%llx refused: length 0x%x %s",
			      what, (unsigned long long)phys, length, why);
		return NULL;
	}

	table = mem->map(mem->ctx, phys, length);
	if (!table) {
		acpi_diag_add(diag, ACPI_WARN_TABLE,
			      "ACPI: %s at 0x%llx refused: 0x%x bytes not mappable",
			      what, (unsigned long long)phys, length);
		return NULL;
	}
	/* Checked against the length read above: a second mapping that
	 * now claims a different length fails here, not later. */
	if (acpi_table_check(table, length, sig, &why) != 0) {
		acpi_diag_add(diag, ACPI_WARN_TABLE, "ACPI: %s at 0x%llx refused: %s",
			      what, (unsigned long long)phys, why);
		return NULL;
	}
	if (!acpi_table_checksum_ok(table))
		acpi_diag_add(diag, ACPI_WARN_CHECKSUM,
			      "ACPI: %s at 0x%llx: bad checksum, used anyway",
			      what, (unsigned long long)phys);
	*len = length;
	return table;
}

/* The tables acpi_find_tables() looks for, in struct acpi_found_tables'
 * order. */
enum { FIND_MADT, FIND_FADT, FIND_DMAR, FIND_HPET, FIND_NR };

/*
 * find_in_root() - map and check the root table once, then walk its
 * entries once for every signature in @sigs
 *
 * Each entry's header is mapped; an entry whose signature is wanted and
 * not yet found is mapped in full and checked (map_table()), and the
 * first good one fills its slot of @tables and @lens. Entries that cannot
 * be read are reported once, whatever is wanted. The walk ends early once
 * every slot is filled. Returns 0, or -EINVAL when the root table is
 * broken (@tables untouched).
 */
static int find_in_root(const struct acpi_mem_ops *mem, const struct acpi_root *root,
			const char *const *sigs, size_t nr_sigs, const void **tables,
			size_t *lens, struct acpi_diag *diag)
{
	const char *root_sig = root->xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT;
	size_t entry_len = root->xsdt ? XSDT_ENTRY_LEN : RSDT_ENTRY_LEN;
	const u8 *rt;
	size_t rt_len, nr, stray, i, missing = nr_sigs;
	char what[ACPI_DIAG_LEN / 2];

	rt = map_table(mem, root->address, root_sig, root_sig, &rt_len, diag);
	if (!rt)
		return -EINVAL;

	/* ACPI 5.2.7/5.2.8: the entries fill the table after its header. */
	nr = (rt_len - ACPI_HDR_LEN) / entry_len;
	stray = (rt_len - ACPI_HDR_LEN) % entry_len;
	if (stray)
		acpi_diag_add(diag, ACPI_WARN_TRUNCATED,
			      "ACPI: %s length 0x%zx: %zu stray bytes after the last whole entry, ignored",
			      root_sig, rt_len, stray);

	for (i = 0; i < nr && missing; i++) {
		const u8 *p = rt + ACPI_HDR_LEN + i * entry_len;
		const struct acpi_table_header *h;
		u64 phys = root->xsdt ? get_u64(p) : get_u32(p);
		size_t want;

		if (phys == 0) {
			acpi_diag_add(diag, ACPI_WARN_TABLE,
				      "ACPI: %s entry %zu is a null address, skipped",
				      root_sig, i);
			continue;
		}
		h = mem->map(mem->ctx, phys, ACPI_HDR_LEN);
		if (!h) {
			acpi_diag_add(diag, ACPI_WARN_TABLE,
				      "ACPI: %s entry %zu (0x%llx) cannot be mapped, skipped",
				      root_sig, i, (unsigned long long)phys);
			continue;
		}
		/* Other tables are not ours to judge, nor a second copy of
		 * one already found: only a wanted one is mapped in full
		 * and checked. */
		for (want = 0; want < nr_sigs; want++)
			if (!tables[want] &&
			    memcmp(h->signature, sigs[want], ACPI_SIG_LEN) == 0)
				break;
		if (want == nr_sigs)
			continue;

		snprintf(what, sizeof(what), "%.4s (%s entry %zu)", sigs[want],
			 root_sig, i);
		tables[want] = map_table(mem, phys, sigs[want], what, &lens[want], diag);
		if (tables[want])
			missing--;
	}
	return 0;
}

int acpi_find_table(const struct acpi_mem_ops *mem,
		    const struct acpi_root *root, const char *sig,
		    const void **table, size_t *len, struct acpi_diag *diag)
{
	const void *found = NULL;
	size_t found_len = 0;
	int ret;

	ret = find_in_root(mem, root, &sig, 1, &found, &found_len, diag);
	if (ret)
		return ret;
	if (!found)
		return -ENOENT;
	*table = found;
	*len = found_len;
	return 0;
}

int acpi_find_tables(const struct acpi_mem_ops *mem, const struct acpi_root *root,
		     struct acpi_found_tables *found, struct acpi_diag *diag)
{
	static const char *const sigs[FIND_NR] = {
		[FIND_MADT] = ACPI_SIG_MADT,
		[FIND_FADT] = ACPI_SIG_FADT,
		[FIND_DMAR] = ACPI_SIG_DMAR,
		[FIND_HPET] = ACPI_SIG_HPET,
	};
	const void *tables[FIND_NR] = { NULL };
	size_t lens[FIND_NR];
	int ret;

	memset(found, 0, sizeof(*found));
	ret = find_in_root(mem, root, sigs, FIND_NR, tables, lens, diag);
	found->madt = tables[FIND_MADT];
	found->fadt = tables[FIND_FADT];
	found->dmar = tables[FIND_DMAR];
	found->hpet = tables[FIND_HPET];
	return ret;
}

/* ---- MADT ---------------------------------------------------------- */

/* The shortest entry of each type this parser reads (ACPI 5.2.12.2 to
 * 5.2.12.13); 0 for types it skips. A longer entry is accepted: later
 * spec revisions may append fields, and the walk steps by Length. */
static const u8 madt_min_len[] = {
	[ACPI_MADT_LAPIC]		= sizeof(struct acpi_madt_lapic),
	[ACPI_MADT_IOAPIC]		= sizeof(struct acpi_madt_ioapic),
	[ACPI_MADT_ISO]			= sizeof(struct acpi_madt_iso),
	[ACPI_MADT_LAPIC_NMI]		= sizeof(struct acpi_madt_lapic_nmi),
	[ACPI_MADT_LAPIC_ADDR_OVERRIDE]	= sizeof(struct acpi_madt_lapic_addr),
	[ACPI_MADT_X2APIC]		= sizeof(struct acpi_madt_x2apic),
	[ACPI_MADT_X2APIC_NMI]		= sizeof(struct acpi_madt_x2apic_nmi),
};

static const char *const madt_type_name[] = {
	[ACPI_MADT_LAPIC]		= "Local APIC",
	[ACPI_MADT_IOAPIC]		= "I/O APIC",
	[ACPI_MADT_ISO]			= "Interrupt Source Override",
	[ACPI_MADT_LAPIC_NMI]		= "Local APIC NMI",
	[ACPI_MADT_LAPIC_ADDR_OVERRIDE]	= "Local APIC Address Override",
	[ACPI_MADT_X2APIC]		= "x2APIC",
	[ACPI_MADT_X2APIC_NMI]		= "x2APIC NMI",
};

static const char *const madt_skip_name[] = {
	[MADT_SKIP_PLACEHOLDER]		= "placeholder",
	[MADT_SKIP_X2APIC_SHADOW]	= "x2apic_shadow",
	[MADT_SKIP_X2APIC_LOW_ID]	= "x2apic_low_id",
	[MADT_SKIP_DUPLICATE]		= "duplicate",
};

const char *madt_skip_reason_name(unsigned int reason)
{
	return reason < ARRAY_SIZE(madt_skip_name) ? madt_skip_name[reason] :
						     "unknown";
}

/* Why the walk cannot go on at an offset, if it cannot. */
enum madt_walk {
	MADT_WALK_OK,
	MADT_WALK_END,		/* the table ends exactly here */
	MADT_WALK_STRAY,	/* one byte left: no room for Type and Length */
	MADT_WALK_SHORT,	/* Length 0 or 1 would not move the walk on */
	MADT_WALK_PAST_END,	/* Length runs past the table */
};

/*
 * madt_entry_at() - the entry header at @off, checked against the table
 *
 * ACPI 5.2.12: entries follow the fixed part back to back, each starting
 * with Type and Length. Every step is by the entry's own Length, so a bad
 * Length is the one thing a walk cannot skip past.
 */
static enum madt_walk madt_entry_at(const u8 *base, size_t len, size_t off,
				    struct acpi_madt_entry *h)
{
	if (off >= len)
		return MADT_WALK_END;
	if (len - off < sizeof(*h))
		return MADT_WALK_STRAY;
	memcpy(h, base + off, sizeof(*h));
	if (h->length < sizeof(*h))
		return MADT_WALK_SHORT;
	if (h->length > len - off)
		return MADT_WALK_PAST_END;
	return MADT_WALK_OK;
}

/*
 * Could the processor behind these flags ever run? Before ACPI 6.3 the
 * Online Capable bit is reserved, and a disabled entry may still be
 * hot-added (ACPI 6.5 Table 5.23; acpi_fadt_online_capable() dates the
 * tables).
 */
static bool madt_flags_usable(u32 flags, bool online_capable_defined)
{
	return (flags & ACPI_MADT_ENABLED) || !online_capable_defined ||
	       (flags & ACPI_MADT_ONLINE_CAPABLE);
}

static bool lapic_id_enabled(const struct madt_info *out, u32 id)
{
	u32 bit = 1u << (id % MADT_ID_WORD_BITS);

	return id < MADT_XAPIC_IDS && (out->lapic_enabled_ids[id / MADT_ID_WORD_BITS] & bit);
}

/*
 * What the type 0 entries say, for judging type 9 entries below ID 255:
 * whether any is a usable processor (then those type 9 entries do not
 * belong), and which IDs enabled ones name (then such a type 9 entry is
 * the same processor again). These are properties of the whole table,
 * found before the main walk, so that an x2APIC entry is judged the same
 * wherever it sits relative to the Local APIC entries. A walk that stops
 * early here stops quietly: the main walk says why.
 */
static void madt_scan_lapic_entries(const u8 *base, size_t len, struct madt_info *out)
{
	struct acpi_madt_entry h;
	struct acpi_madt_lapic e;

	for (size_t off = MADT_FIXED_LEN;
	     madt_entry_at(base, len, off, &h) == MADT_WALK_OK; off += h.length) {
		if (h.type != ACPI_MADT_LAPIC || h.length < sizeof(e))
			continue;
		memcpy(&e, base + off, sizeof(e));
		if (e.apic_id == ACPI_APIC_ID_BROADCAST)
			continue;
		if (madt_flags_usable(e.flags, out->online_capable_defined))
			out->has_lapic_entries = true;
		if (e.flags & ACPI_MADT_ENABLED)
			out->lapic_enabled_ids[e.apic_id / MADT_ID_WORD_BITS] |=
				1u << (e.apic_id % MADT_ID_WORD_BITS);
	}
}

/* Refuse an entry: count it and say why, naming its offset so the line
 * can be matched against an acpidump of the table. */
static void madt_refuse(struct madt_info *out, struct acpi_diag *diag,
			size_t off, u8 type, const char *why)
{
	out->nr_bad_entries++;
	acpi_diag_add(diag, ACPI_WARN_BAD_ENTRY, "MADT: %s entry at offset 0x%zx %s, skipped",
		      madt_type_name[type], off, why);
}

static void madt_skip(struct madt_info *out, size_t off, bool x2, u32 apic_id,
		      u32 uid, bool enabled, enum madt_skip_reason reason)
{
	struct madt_skipped *s;

	if (out->nr_skipped >= MADT_MAX_SKIPPED) {
		out->nr_skipped_dropped++;	/* one line after the walk */
		return;
	}
	s = &out->skipped[out->nr_skipped++];
	s->apic_id = apic_id;
	s->processor_uid = uid;
	s->offset = (u32)off;
	s->reason = reason;
	s->enabled = enabled;
	s->from_x2apic_entry = x2;
}

static void madt_add_cpu(struct madt_info *out, struct acpi_diag *diag,
			 size_t off, u8 type, u32 apic_id, u32 uid, u32 flags)
{
	bool x2 = type == ACPI_MADT_X2APIC;
	u32 placeholder = x2 ? ACPI_X2APIC_ID_BROADCAST : ACPI_APIC_ID_BROADCAST;
	bool enabled = flags & ACPI_MADT_ENABLED;
	struct madt_cpu *cpu;
	size_t i;

	/* Absent sockets and threads: common, and not a fault. */
	if (apic_id == placeholder) {
		madt_skip(out, off, x2, apic_id, uid, enabled, MADT_SKIP_PLACEHOLDER);
		return;
	}
	/* ACPI 6.5, 5.2.12.12: below 255 a processor belongs in a type 0
	 * entry. Beside usable type 0 entries, such a type 9 entry is
	 * ignored (as Linux ignores it): the same processor listed a
	 * second time when an enabled type 0 entry has its ID, a lone
	 * entry otherwise. */
	if (x2 && apic_id < ACPI_X2APIC_ID_FIRST && out->has_lapic_entries) {
		madt_skip(out, off, x2, apic_id, uid, enabled,
			  lapic_id_enabled(out, apic_id) ? MADT_SKIP_X2APIC_SHADOW :
							   MADT_SKIP_X2APIC_LOW_ID);
		return;
	}
	/*
	 * The first enabled entry for an APIC ID wins: firmware that lists
	 * a CPU twice must not make us start it twice. Disabled entries are
	 * kept whatever their ID, as Linux does (it never registers them):
	 * many boards fill absent cores' entries with APIC ID 0 and the
	 * Enabled flag clear, which is no fault and starts nothing.
	 */
	for (i = 0; enabled && i < out->nr_cpus; i++) {
		if (!out->cpus[i].enabled || out->cpus[i].apic_id != apic_id)
			continue;
		out->nr_bad_entries++;
		acpi_diag_add(diag, ACPI_WARN_BAD_ENTRY,
			      "MADT: %s entry at offset 0x%zx repeats APIC ID 0x%x, dropped",
			      madt_type_name[type], off, apic_id);
		madt_skip(out, off, x2, apic_id, uid, enabled, MADT_SKIP_DUPLICATE);
		return;
	}
	if (out->nr_cpus >= MADT_MAX_CPUS) {
		/* One summary line at the end of the walk, not one per
		 * entry: a big machine would fill the diag buffer. */
		out->nr_cpus_dropped++;
		return;
	}

	cpu = &out->cpus[out->nr_cpus++];
	cpu->apic_id = apic_id;
	cpu->processor_uid = uid;
	cpu->offset = (u32)off;
	cpu->enabled = enabled;
	/* ACPI 6.5 Table 5.23: Online Capable means something only when
	 * Enabled is clear, and only from ACPI 6.3 on; before that the bit
	 * is reserved. */
	cpu->online_capable = !enabled && out->online_capable_defined &&
			      (flags & ACPI_MADT_ONLINE_CAPABLE);
	cpu->from_x2apic_entry = x2;
}

static void madt_add_nmi(struct madt_info *out, struct acpi_diag *diag,
			 size_t off, u8 type, u32 uid, u8 lint, u16 flags)
{
	struct madt_nmi *nmi;

	if (lint > MADT_NMI_LINT_MAX) {
		madt_refuse(out, diag, off, type, "names a LINT pin other than 0 or 1");
		return;
	}
	if (out->nr_nmis >= MADT_MAX_NMIS) {
		out->nr_nmis_dropped++;		/* one line after the walk */
		return;
	}
	nmi = &out->nmis[out->nr_nmis++];
	nmi->processor_uid = uid;
	nmi->lint = lint;
	nmi->flags = flags;
}

/* One entry whose length was checked against the table and its type. */
static void madt_entry(struct madt_info *out, struct acpi_diag *diag,
		       const u8 *p, size_t off, u8 type)
{
	switch (type) {
	case ACPI_MADT_LAPIC: {
		struct acpi_madt_lapic e;

		memcpy(&e, p, sizeof(e));
		madt_add_cpu(out, diag, off, type, e.apic_id,
			     e.processor_uid, e.flags);
		break;
	}
	case ACPI_MADT_X2APIC: {
		struct acpi_madt_x2apic e;

		memcpy(&e, p, sizeof(e));
		madt_add_cpu(out, diag, off, type, e.x2apic_id,
			     e.processor_uid, e.flags);
		break;
	}
	case ACPI_MADT_IOAPIC: {
		struct acpi_madt_ioapic e;
		struct madt_ioapic *io;

		if (out->nr_ioapics >= MADT_MAX_IOAPICS) {
			madt_refuse(out, diag, off, type, "is one I/O APIC too many");
			break;
		}
		memcpy(&e, p, sizeof(e));
		io = &out->ioapics[out->nr_ioapics++];
		io->id = e.ioapic_id;
		io->address = e.address;
		io->gsi_base = e.gsi_base;
		break;
	}
	case ACPI_MADT_ISO: {
		struct acpi_madt_iso e;
		struct madt_iso *iso;

		if (out->nr_isos >= MADT_MAX_ISOS) {
			madt_refuse(out, diag, off, type, "is one override too many");
			break;
		}
		memcpy(&e, p, sizeof(e));
		iso = &out->isos[out->nr_isos++];
		iso->bus = e.bus;
		iso->source = e.source;
		iso->gsi = e.gsi;
		iso->flags = e.flags;
		break;
	}
	case ACPI_MADT_LAPIC_NMI: {
		struct acpi_madt_lapic_nmi e;
		u32 uid;

		memcpy(&e, p, sizeof(e));
		/* One "all processors" value for both NMI entry types. */
		uid = e.processor_uid == ACPI_NMI_ALL_UID ?
		      ACPI_X2APIC_NMI_ALL_UID : e.processor_uid;
		madt_add_nmi(out, diag, off, type, uid, e.lint, e.flags);
		break;
	}
	case ACPI_MADT_X2APIC_NMI: {
		struct acpi_madt_x2apic_nmi e;

		memcpy(&e, p, sizeof(e));
		madt_add_nmi(out, diag, off, type, e.processor_uid, e.lint,
			     e.flags);
		break;
	}
	case ACPI_MADT_LAPIC_ADDR_OVERRIDE: {
		struct acpi_madt_lapic_addr e;

		memcpy(&e, p, sizeof(e));
		/* ACPI 5.2.12.8: when present, the 64-bit address replaces
		 * the table's 32-bit Local Interrupt Controller Address. */
		if (e.address == 0) {
			madt_refuse(out, diag, off, type, "has address 0");
			break;
		}
		out->lapic_address = e.address;
		break;
	}
	default:
		/* Known types xcall has no use for (NMI source, SAPIC, GIC,
		 * the wakeup mailbox): madt_min_len says 0 for them. */
		break;
	}
}

/* Why the walk stopped, in one line. */
static void madt_walk_stopped(struct madt_info *out, struct acpi_diag *diag,
			      enum madt_walk why, const struct acpi_madt_entry *h,
			      size_t off, size_t len)
{
	out->truncated = true;
	if (why == MADT_WALK_STRAY)
		acpi_diag_add(diag, ACPI_WARN_TRUNCATED,
			      "MADT: stray byte at offset 0x%zx, table walk stopped", off);
	else if (why == MADT_WALK_SHORT)
		acpi_diag_add(diag, ACPI_WARN_TRUNCATED,
			      "MADT: entry at offset 0x%zx has length %u, table walk stopped",
			      off, h->length);
	else
		acpi_diag_add(diag, ACPI_WARN_TRUNCATED,
			      "MADT: type %u entry at 0x%zx (length %u) ends past 0x%zx: walk stopped",
			      h->type, off, h->length, len);
}

/* The lines a walk owes at its end: limits reached, unknown types. */
static void madt_summary(const struct madt_info *out, struct acpi_diag *diag,
			 const u16 *unknown)
{
	for (unsigned int type = 0; type < MADT_NR_TYPES; type++) {
		if (!unknown[type])
			continue;
		acpi_diag_add(diag, ACPI_WARN_UNKNOWN_TYPE,
			      "MADT: %u entr%s of %s type %u skipped by length",
			      unknown[type], unknown[type] == 1 ? "y" : "ies",
			      type >= ACPI_MADT_OEM_FIRST ? "OEM" : "unknown", type);
	}
	if (out->nr_cpus_dropped)
		acpi_diag_add(diag, ACPI_WARN_LIMIT,
			      "MADT: %zu processor entries beyond the first %u dropped",
			      out->nr_cpus_dropped, (unsigned int)MADT_MAX_CPUS);
	if (out->nr_skipped_dropped)
		acpi_diag_add(diag, ACPI_WARN_LIMIT,
			      "MADT: %zu more left-out processor entries not recorded",
			      out->nr_skipped_dropped);
	if (out->nr_nmis_dropped)
		acpi_diag_add(diag, ACPI_WARN_LIMIT,
			      "MADT: %zu NMI entries beyond the first %u not read",
			      out->nr_nmis_dropped, (unsigned int)MADT_MAX_NMIS);
}

int madt_parse(const struct acpi_madt *madt, const struct fadt_info *fadt,
	       struct madt_info *out, struct acpi_diag *diag)
{
	const u8 *base = (const u8 *)madt;
	/* Per-type counts of unknown entries, saturating: a 1 MiB table
	 * could hold more 2-byte entries than a u16 counts. */
	u16 unknown[MADT_NR_TYPES] = { 0 };
	struct acpi_madt_entry h;
	enum madt_walk walk;
	size_t len, off;

	memset(out, 0, sizeof(*out));
	len = madt->header.length;
	if (len < MADT_FIXED_LEN) {
		acpi_diag_add(diag, ACPI_WARN_TRUNCATED,
			      "MADT: length 0x%zx is shorter than its fixed part (0x%zx)",
			      len, MADT_FIXED_LEN);
		return -EINVAL;
	}
	out->lapic_address = madt->lapic_address;
	out->pcat_compat = madt->flags & ACPI_MADT_PCAT_COMPAT;
	out->revision = madt->header.revision;
	/* Nothing here depends on the revision (ACPI 6.2 Errata B firmware
	 * writes 45): an unknown one is only said. */
	if (out->revision < ACPI_MADT_REV_FIRST || out->revision > ACPI_MADT_REV_LAST)
		acpi_diag_add(diag, ACPI_WARN_REVISION,
			      "MADT: revision %u is outside %u..%u; the FADT's version dates the table",
			      out->revision, ACPI_MADT_REV_FIRST, ACPI_MADT_REV_LAST);
	out->online_capable_defined = acpi_fadt_online_capable(fadt);
	madt_scan_lapic_entries(base, len, out);

	for (off = MADT_FIXED_LEN;
	     (walk = madt_entry_at(base, len, off, &h)) == MADT_WALK_OK;
	     off += h.length) {
		u8 min_len = 0;

		if (h.type > ACPI_MADT_LAST_KNOWN) {
			out->nr_unknown_entries++;
			if (unknown[h.type] < MADT_UNKNOWN_MAX)
				unknown[h.type]++;
			continue;
		}
		if (h.type < ARRAY_SIZE(madt_min_len))
			min_len = madt_min_len[h.type];
		if (min_len == 0)
			continue;
		if (h.length < min_len) {
			out->nr_bad_entries++;
			acpi_diag_add(diag, ACPI_WARN_BAD_ENTRY,
				      "MADT: %s entry at offset 0x%zx has length %u, needs %u; skipped",
				      madt_type_name[h.type], off, h.length, min_len);
			continue;
		}
		madt_entry(out, diag, base + off, off, h.type);
	}
	if (walk != MADT_WALK_END)
		madt_walk_stopped(out, diag, walk, &h, off, len);
	madt_summary(out, diag, unknown);
	return 0;
}

/* ---- FADT, HPET and DMAR ------------------------------------------- */

/* Is the field at @off, @size bytes long, inside a table of @len bytes? */
static bool field_present(u32 len, size_t off, size_t size)
{
	return len >= off + size;
}

/* A boot flag defined from FADT revision @since: unknown before that, or
 * when the table ends before IAPC_BOOT_ARCH. */
static u8 fadt_boot_flag(const u8 *base, u32 len, u8 revision, u8 since, u16 bit)
{
	u16 boot_arch;

	if (revision < since ||
	    !field_present(len, ACPI_FADT_IAPC_BOOT_ARCH_OFF, sizeof(boot_arch)))
		return ACPI_UNKNOWN;
	memcpy(&boot_arch, base + ACPI_FADT_IAPC_BOOT_ARCH_OFF, sizeof(boot_arch));
	return (boot_arch & bit) ? ACPI_YES : ACPI_NO;
}

int fadt_parse(const struct acpi_table_header *fadt, struct fadt_info *out)
{
	const u8 *base = (const u8 *)fadt;
	u32 len = fadt->length;
	u32 flags = 0;

	memset(out, 0, sizeof(*out));
	if (len < ACPI_HDR_LEN)
		return -EINVAL;
	out->revision = fadt->revision;
	if (fadt->revision >= ACPI_FADT_REV_MINOR_VERSION &&
	    field_present(len, ACPI_FADT_MINOR_VERSION_OFF, sizeof(u8)))
		out->minor_revision = base[ACPI_FADT_MINOR_VERSION_OFF];
	if (field_present(len, ACPI_FADT_FLAGS_OFF, sizeof(u32)))
		flags = get_u32(base + ACPI_FADT_FLAGS_OFF);

	/*
	 * ACPI 5.2.9: X_PM_TMR_BLK, when non-zero, supersedes PM_TMR_BLK.
	 * Old FADTs (revision 1, 116 bytes) end before it, so every field
	 * is read only when the table's length covers it.
	 */
	if (field_present(len, ACPI_FADT_X_PM_TMR_BLK_OFF, sizeof(struct acpi_gas))) {
		struct acpi_gas gas;

		memcpy(&gas, base + ACPI_FADT_X_PM_TMR_BLK_OFF, sizeof(gas));
		if (gas.space_id == ACPI_GAS_SYSTEM_IO && gas.address != 0 &&
		    gas.address <= IO_PORT_MAX)
			out->pm_timer_port = (u16)gas.address;
	}
	if (out->pm_timer_port == 0 &&
	    field_present(len, ACPI_FADT_PM_TMR_LEN_OFF, sizeof(u8))) {
		u32 port = get_u32(base + ACPI_FADT_PM_TMR_BLK_OFF);

		if (base[ACPI_FADT_PM_TMR_LEN_OFF] == ACPI_PM_TMR_LEN &&
		    port != 0 && port <= IO_PORT_MAX)
			out->pm_timer_port = (u16)port;
	}
	if (out->pm_timer_port != 0)
		out->pm_timer_32bit = flags & ACPI_FADT_TMR_VAL_EXT;

	/* ACPI 5.0 (FADT revision 5) defined bit 20; earlier it is
	 * reserved and a stray 1 there means nothing. */
	out->hw_reduced = fadt->revision >= ACPI_FADT_REV_HW_REDUCED &&
			  (flags & ACPI_FADT_HW_REDUCED_ACPI);
	out->legacy_devices = fadt_boot_flag(base, len, fadt->revision,
					     ACPI_FADT_REV_LEGACY_DEVICES,
					     ACPI_FADT_LEGACY_DEVICES);
	out->i8042 = fadt_boot_flag(base, len, fadt->revision, ACPI_FADT_REV_8042,
				    ACPI_FADT_8042);
	return 0;
}

bool acpi_fadt_online_capable(const struct fadt_info *fadt)
{
	if (!fadt)
		return false;
	return fadt->revision > ACPI_FADT_MAJOR_ONLINE_CAPABLE ||
	       (fadt->revision == ACPI_FADT_MAJOR_ONLINE_CAPABLE &&
		fadt->minor_revision >= ACPI_FADT_MINOR_ONLINE_CAPABLE);
}

int hpet_parse(const struct acpi_table_header *hpet, u64 *address)
{
	struct acpi_gas gas;

	if (!field_present(hpet->length, ACPI_HPET_ADDRESS_OFF, sizeof(gas)))
		return -EINVAL;
	memcpy(&gas, (const u8 *)hpet + ACPI_HPET_ADDRESS_OFF, sizeof(gas));
	/* IA-PC HPET 1.0a, 3.2.4: the block is memory-mapped, never I/O. */
	if (gas.space_id != ACPI_GAS_SYSTEM_MEMORY || gas.address == 0)
		return -EINVAL;
	*address = gas.address;
	return 0;
}

int dmar_parse(const struct acpi_table_header *dmar, struct dmar_info *out,
	       struct acpi_diag *diag)
{
	const u8 *base = (const u8 *)dmar;
	u32 len = dmar->length;
	size_t off, first_unknown_off = 0;
	u16 first_unknown_type = 0;

	memset(out, 0, sizeof(*out));
	if (!field_present(len, ACPI_DMAR_FLAGS_OFF, sizeof(u8))) {
		acpi_diag_add(diag, ACPI_WARN_TRUNCATED,
			      "DMAR: length 0x%x ends before its Flags byte", len);
		return -EINVAL;
	}
	out->revision = dmar->revision;
	/* VT-d 4.1, Table 8-1: the field holds the width minus one. */
	out->host_address_width = (u8)(base[ACPI_DMAR_HAW_OFF] + 1);
	out->flags = base[ACPI_DMAR_FLAGS_OFF];
	out->intr_remap = out->flags & ACPI_DMAR_INTR_REMAP;
	out->x2apic_opt_out = out->flags & ACPI_DMAR_X2APIC_OPT_OUT;

	/* VT-d 4.1, 8.2: remapping structures follow back to back, each
	 * with a 16-bit Type and Length; the walk steps by Length. */
	for (off = ACPI_DMAR_STRUCTS_OFF; off < len;) {
		struct acpi_dmar_entry h;

		if (len - off < sizeof(h)) {
			out->truncated = true;
			acpi_diag_add(diag, ACPI_WARN_TRUNCATED,
				      "DMAR: %zu stray bytes at offset 0x%zx, walk stopped",
				      len - off, off);
			break;
		}
		memcpy(&h, base + off, sizeof(h));
		if (h.length < sizeof(h) || h.length > len - off) {
			out->truncated = true;
			acpi_diag_add(diag, ACPI_WARN_TRUNCATED,
				      "DMAR: type %u structure at 0x%zx has length %u (table 0x%x): walk stopped",
				      h.type, off, h.length, len);
			break;
		}
		out->nr_structs++;
		if (h.type > ACPI_DMAR_LAST_KNOWN) {
			if (!out->nr_unknown++) {
				first_unknown_type = h.type;
				first_unknown_off = off;
			}
		} else if (h.type == ACPI_DMAR_DRHD) {
			if (h.length < ACPI_DMAR_DRHD_MIN_LEN)
				acpi_diag_add(diag, ACPI_WARN_BAD_ENTRY,
					      "DMAR: DRHD at offset 0x%zx has length %u, needs %u; not counted",
					      off, h.length, ACPI_DMAR_DRHD_MIN_LEN);
			else
				out->nr_drhd++;
		}
		off += h.length;
	}
	if (out->nr_unknown)
		acpi_diag_add(diag, ACPI_WARN_UNKNOWN_TYPE,
			      "DMAR: %u unknown structure(s) skipped by length; first: type %u at 0x%zx",
			      out->nr_unknown, first_unknown_type, first_unknown_off);
	return 0;
}

/* ---- The tables together ------------------------------------------- */

void acpi_parse_tables(const struct acpi_found_tables *found,
		       struct acpi_tables *out, struct acpi_diag *diag)
{
	/* The FADT first: its version dates the MADT's flags. */
	out->have_fadt = found->fadt && fadt_parse(found->fadt, &out->fadt) == 0;
	out->have_madt = found->madt &&
			 madt_parse(found->madt, out->have_fadt ? &out->fadt : NULL,
				    &out->madt, diag) == 0;
	out->have_dmar = found->dmar && dmar_parse(found->dmar, &out->dmar, diag) == 0;
	out->have_hpet = false;
	out->hpet_address = 0;
	if (!found->hpet)
		return;
	/* Said, not dropped quietly: without it the TSC's calibration
	 * falls back to a slower or coarser timer. */
	out->have_hpet = hpet_parse(found->hpet, &out->hpet_address) == 0;
	if (!out->have_hpet)
		acpi_diag_add(diag, ACPI_WARN_BAD_ENTRY,
			      "HPET: no usable register block address, not used");
}
