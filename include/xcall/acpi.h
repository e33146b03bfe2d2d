/* SPDX-License-Identifier: MIT */
/*
 * ACPI tables: the wire format of the few xcall reads (RSDP, RSDT/XSDT,
 * MADT, FADT, HPET, DMAR) and their parsers (lib/acpi_tables.c).
 *
 * Firmware tables are input, not truth. Every table's length is checked
 * before a byte past its header is read, and every subtable's length before
 * the subtable is. What fails a check is refused with a line in struct
 * acpi_diag and the parse goes on with what it could trust. A wrong
 * checksum is the exception: it is warned about and the table is used, as
 * ACPICA does by default, because firmware with a stale checksum over an
 * otherwise good table exists in the field and refusing it would leave
 * such a machine on one CPU.
 * Reference: ACPI Specification 6.5, sections 5.2.5 (RSDP), 5.2.6 (table
 * header), 5.2.7/5.2.8 (RSDT/XSDT), 5.2.9 (FADT), 5.2.12 (MADT); IA-PC
 * HPET Specification 1.0a; Intel VT-d Specification (rev. 4.1), chapter 8
 * (DMAR).
 *
 * The parsers never touch physical memory themselves: the caller passes a
 * struct acpi_mem_ops whose map() turns a physical range into a pointer (the
 * kernel's identity map, or a host test's fake memory).
 */
#ifndef XCALL_ACPI_H
#define XCALL_ACPI_H

#include <xcall/compiler.h>
#include <xcall/types.h>

#define ACPI_RSDP_SIG		"RSD PTR "
#define ACPI_RSDP_V1_LEN	20
#define ACPI_RSDP_V2_LEN	36
/* The RSDP sits on a 16-byte boundary (ACPI 5.2.5.1). */
#define ACPI_RSDP_ALIGN		16

#define ACPI_SIG_RSDT		"RSDT"
#define ACPI_SIG_XSDT		"XSDT"
#define ACPI_SIG_MADT		"APIC"
#define ACPI_SIG_FADT		"FACP"
#define ACPI_SIG_HPET		"HPET"
#define ACPI_SIG_DMAR		"DMAR"

/*
 * The longest table acpi_find_table() will map. Far above anything xcall
 * reads (an MADT with MADT_MAX_CPUS x2APIC entries is about 32 KiB), it
 * only keeps a corrupt Length from walking the checksum over gigabytes of
 * whatever the kernel's map() happens to reach.
 */
#define ACPI_TABLE_MAX_LEN	(1u << 20)

struct acpi_rsdp {
	char signature[8];
	u8 checksum;		/* over the first 20 bytes */
	char oem_id[6];
	u8 revision;		/* 0 for ACPI 1.0, 2 for 2.0 and later */
	u32 rsdt_address;
	/* ACPI 2.0 and later */
	u32 length;
	u64 xsdt_address;
	u8 extended_checksum;	/* over all @length bytes */
	u8 reserved[3];
} __packed;

struct acpi_table_header {
	char signature[4];
	u32 length;		/* of the whole table, header included */
	u8 revision;
	u8 checksum;		/* all @length bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

/* Generic Address Structure (ACPI 5.2.3.2). */
struct acpi_gas {
	u8 space_id;
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __packed;

#define ACPI_GAS_SYSTEM_MEMORY	0
#define ACPI_GAS_SYSTEM_IO	1

/* MADT (ACPI 5.2.12). */
struct acpi_madt {
	struct acpi_table_header header;
	u32 lapic_address;
	u32 flags;
	/* entries follow */
} __packed;

#define ACPI_MADT_PCAT_COMPAT	(1u << 0)	/* 8259 PICs present */

struct acpi_madt_entry {
	u8 type;
	u8 length;
} __packed;

#define ACPI_MADT_LAPIC			0
#define ACPI_MADT_IOAPIC		1
#define ACPI_MADT_ISO			2
#define ACPI_MADT_NMI_SOURCE		3
#define ACPI_MADT_LAPIC_NMI		4
#define ACPI_MADT_LAPIC_ADDR_OVERRIDE	5
#define ACPI_MADT_X2APIC		9
#define ACPI_MADT_X2APIC_NMI		10
/* Types 3, 6-8 and 11-16 (NMI source, the IA-64 SAPIC family, the Arm GIC
 * family, the multiprocessor wakeup mailbox) are defined up to ACPI 6.4
 * and carry nothing xcall uses; they are skipped quietly. Types above this
 * are reserved or newer than this parser (ACPI 6.5 adds LoongArch ones from
 * 0x11) or OEM-defined (0x80 and up): skipped by their length, with a
 * warning (ACPI 6.5 Table 5.21). */
#define ACPI_MADT_LAST_KNOWN		0x10
#define ACPI_MADT_OEM_FIRST		0x80

/* MADT revisions this parser knows: 1 (ACPI 1.0) to 6 (ACPI 6.5). Another
 * is warned about, and decides nothing: the MADT's revision is not what
 * dates the Online Capable flag (see ACPI_FADT_MAJOR_ONLINE_CAPABLE). */
#define ACPI_MADT_REV_FIRST		1
#define ACPI_MADT_REV_LAST		6

/* Processor Local APIC and x2APIC flags (ACPI 6.5 Table 5.23). */
#define ACPI_MADT_ENABLED		(1u << 0)
#define ACPI_MADT_ONLINE_CAPABLE	(1u << 1)

struct acpi_madt_lapic {		/* type 0, length 8 */
	struct acpi_madt_entry h;
	u8 processor_uid;
	u8 apic_id;
	u32 flags;
} __packed;

struct acpi_madt_ioapic {		/* type 1, length 12 */
	struct acpi_madt_entry h;
	u8 ioapic_id;
	u8 reserved;
	u32 address;
	u32 gsi_base;
} __packed;

struct acpi_madt_iso {			/* type 2, length 10 */
	struct acpi_madt_entry h;
	u8 bus;
	u8 source;
	u32 gsi;
	u16 flags;
} __packed;

struct acpi_madt_lapic_nmi {		/* type 4, length 6 */
	struct acpi_madt_entry h;
	u8 processor_uid;		/* 0xff: all processors */
	u16 flags;
	u8 lint;
} __packed;

struct acpi_madt_lapic_addr {		/* type 5, length 12 */
	struct acpi_madt_entry h;
	u16 reserved;
	u64 address;
} __packed;

struct acpi_madt_x2apic {		/* type 9, length 16 */
	struct acpi_madt_entry h;
	u16 reserved;
	u32 x2apic_id;
	u32 flags;
	u32 processor_uid;
} __packed;

struct acpi_madt_x2apic_nmi {		/* type 10, length 12 */
	struct acpi_madt_entry h;
	u16 flags;
	u32 processor_uid;		/* 0xffffffff: all processors */
	u8 lint;
	u8 reserved[3];
} __packed;

/* An xAPIC ID of 0xff is the broadcast address, never a CPU; likewise
 * 0xffffffff in x2APIC. Firmware uses these IDs in placeholder entries for
 * sockets or threads that are not there. */
#define ACPI_APIC_ID_BROADCAST		0xffu
#define ACPI_X2APIC_ID_BROADCAST	0xffffffffu
/* ACPI 6.5, 5.2.12.12: processors with an APIC ID below 255 must be listed
 * in Processor Local APIC (type 0) entries, x2APIC entries are for 255 and
 * up. */
#define ACPI_X2APIC_ID_FIRST		0xffu
#define ACPI_NMI_ALL_UID		0xffu
#define ACPI_X2APIC_NMI_ALL_UID		0xffffffffu

/* FADT fields xcall reads, by offset (ACPI 6.5 Table 5.9). */
#define ACPI_FADT_PM_TMR_BLK_OFF	76	/* u32 I/O port */
#define ACPI_FADT_MINOR_VERSION_OFF	131	/* u8, ACPI 5.1 on */
/* FADT Minor Version came with ACPI 5.1, in a revision 5 table; before
 * revision 5 that byte is reserved (ACPICA decodes it from 5 on too). */
#define ACPI_FADT_REV_MINOR_VERSION	5
#define ACPI_FADT_PM_TMR_LEN_OFF	91	/* u8, 4 when present */
#define ACPI_FADT_IAPC_BOOT_ARCH_OFF	109	/* u16 */
#define ACPI_FADT_FLAGS_OFF		112	/* u32 */
#define ACPI_FADT_X_PM_TMR_BLK_OFF	208	/* struct acpi_gas */

/*
 * The Online Capable flag of processor entries (ACPI 6.5 Table 5.23) is
 * defined from ACPI 6.3 on; before, the bit is reserved and a disabled
 * entry may still be hot-added. The FADT's version says which ACPI the
 * tables follow: its header revision is the FADT Major Version, and the
 * byte at ACPI_FADT_MINOR_VERSION_OFF the minor one. The MADT's own
 * revision would say it too (5 for ACPI 6.3), but ACPI 6.2 Errata B
 * printed 45 as the MADT's revision and firmware copied it, so Linux
 * dates the flag by the FADT (acpi_parse_madt() in arch/x86/kernel/acpi/
 * boot.c) and so does xcall.
 */
#define ACPI_FADT_MAJOR_ONLINE_CAPABLE	6
#define ACPI_FADT_MINOR_ONLINE_CAPABLE	3

/* Fixed Feature Flags (ACPI 6.5 Table 5.10). */
#define ACPI_FADT_TMR_VAL_EXT		(1u << 8)	/* 32-bit PM timer */
#define ACPI_FADT_HW_REDUCED_ACPI	(1u << 20)	/* ACPI 5.0, FADT rev. 5 */
#define ACPI_FADT_REV_HW_REDUCED	5

/* IA-PC Boot Architecture Flags (ACPI 6.5, 5.2.9.3, Table 5.11). The
 * field appeared in FADT revision 2 with LEGACY_DEVICES; the 8042 bit is
 * defined from revision 3 (ACPI 2.0) on. In older tables the bytes are
 * reserved, so neither is believed there (ACPICA tags them [V2] and [V3],
 * and Linux reads the 8042 bit only from revision 3). */
#define ACPI_FADT_LEGACY_DEVICES	(1u << 0)
#define ACPI_FADT_8042			(1u << 1)
#define ACPI_FADT_REV_LEGACY_DEVICES	2
#define ACPI_FADT_REV_8042		3

/* HPET description table (IA-PC HPET spec 1.0a, table 3). */
#define ACPI_HPET_ADDRESS_OFF		40	/* struct acpi_gas */

/* DMA Remapping Reporting Structure (Intel VT-d spec 4.1, 8.1, Table 8-1):
 * the header, Host Address Width, Flags, 10 reserved bytes, then
 * remapping structures, each starting with a 16-bit Type and Length
 * (8.2). */
#define ACPI_DMAR_HAW_OFF		36	/* u8: width - 1 */
#define ACPI_DMAR_FLAGS_OFF		37	/* u8 */
#define ACPI_DMAR_STRUCTS_OFF		48
#define ACPI_DMAR_INTR_REMAP		(1u << 0)
#define ACPI_DMAR_X2APIC_OPT_OUT	(1u << 1)
#define ACPI_DMAR_DMA_CTRL_OPT_IN	(1u << 2)

struct acpi_dmar_entry {
	u16 type;
	u16 length;
} __packed;

/* Remapping structure types (VT-d 4.1, 8.2, Table 8-2): 0 DRHD, 1 RMRR,
 * 2 ATSR, 3 RHSA, 4 ANDD, 5 SATC, 6 SIDP. */
#define ACPI_DMAR_DRHD			0
#define ACPI_DMAR_LAST_KNOWN		6
/* A DRHD is 16 bytes before its device scopes (VT-d 4.1, 8.3). */
#define ACPI_DMAR_DRHD_MIN_LEN		16

/* ---- Diagnostics -------------------------------------------------- */

#define ACPI_DIAG_MAX	16
#define ACPI_DIAG_LEN	96
/* What ends a line that did not fit in ACPI_DIAG_LEN - 1 characters. Every
 * format the parsers and the plan use is bounded below that for any value
 * (the host tests and the fuzzer check it), so a line ending in it is a
 * bug to report, never a silent loss of its tail. */
#define ACPI_DIAG_CUT_MARK	"..."

/* What a diagnostics line is about, so a summary can count them by kind
 * (acpi_warn_kind_name() gives each a short name). */
enum acpi_warn_kind {
	ACPI_WARN_TABLE,	/* a table refused, unreachable or missing */
	ACPI_WARN_CHECKSUM,	/* a wrong checksum; the table is still used */
	ACPI_WARN_TRUNCATED,	/* a subtable runs past the end: walk stopped */
	ACPI_WARN_BAD_ENTRY,	/* a subtable shorter than its type (it
				 * overlaps the next) or with a bad value */
	ACPI_WARN_UNKNOWN_TYPE,	/* subtables of an unknown type, skipped */
	ACPI_WARN_LIMIT,	/* more entries than the parser keeps */
	ACPI_WARN_REVISION,	/* a table revision this code does not know */
	ACPI_WARN_FIRMWARE,	/* tables contradicting each other or the
				 * machine (found by the CPU plan) */
	ACPI_WARN_NR
};

/* Messages the parsers leave for the kernel to print. The parsers append
 * to what is there, so one zeroed struct can collect a whole boot's worth;
 * beyond ACPI_DIAG_MAX, lines are counted in @dropped, not stored, and
 * @count counts every line by kind, stored or not. Every parser taking a
 * struct acpi_diag also accepts NULL for "no messages". */
struct acpi_diag {
	unsigned int nr;
	unsigned int dropped;
	unsigned int cut;		/* lines cut to fit (see above) */
	unsigned int count[ACPI_WARN_NR];
	u8 kind[ACPI_DIAG_MAX];		/* enum acpi_warn_kind */
	char msg[ACPI_DIAG_MAX][ACPI_DIAG_LEN];
};

/**
 * acpi_warn_kind_name() - a short, stable name for a warning kind
 * @kind: an enum acpi_warn_kind
 *
 * The names ("checksum", "truncated", ...) are what the JSON output and
 * the corpus test's summary use.
 * Context: any.
 * Return: the name, or "unknown" for a value out of range.
 */
const char *acpi_warn_kind_name(unsigned int kind);

/**
 * acpi_diag_vformat() - format one diagnostics line, marking a cut
 * @buf: ACPI_DIAG_LEN bytes
 * @fmt: printf-like format of the line
 * @ap: its arguments
 *
 * A line longer than ACPI_DIAG_LEN - 1 characters is cut to that length
 * and ends in ACPI_DIAG_CUT_MARK, so a reader sees that its tail is gone.
 * Context: any.
 * Return: true when the line was cut.
 */
bool acpi_diag_vformat(char *buf, const char *fmt, va_list ap);

/**
 * acpi_diag_add() - append one diagnostics line
 * @diag: the buffer, or NULL to drop the line
 * @kind: an enum acpi_warn_kind (out of range counts as ACPI_WARN_TABLE)
 * @fmt: printf-like format of the line (cut as acpi_diag_vformat() cuts)
 * @...: its arguments
 *
 * The line is counted by kind whether or not it fits; beyond
 * ACPI_DIAG_MAX stored lines it is counted in @diag->dropped instead. A
 * stored line that was cut is counted in @diag->cut.
 * For callers that check tables themselves (the host tool loading files).
 * Context: any.
 */
void acpi_diag_add(struct acpi_diag *diag, unsigned int kind, const char *fmt, ...)
	__printf(3, 4);

struct acpi_mem_ops {
	/* Return a pointer to @len readable bytes at @phys, or NULL when that
	 * range cannot be reached. */
	const void *(*map)(void *ctx, u64 phys, size_t len);
	void *ctx;
};

/* ---- RSDP and root table ------------------------------------------ */

struct acpi_root {
	u64 address;		/* of the XSDT, or the RSDT when @xsdt is false */
	bool xsdt;
	u8 revision;
	char oem_id[7];		/* NUL-terminated */
};

/**
 * acpi_rsdp_check() - validate an RSDP and find the root table
 * @rsdp: the structure
 * @len: bytes readable at @rsdp (20 for a 1.0 copy, 36 or more for 2.0+)
 * @root: filled on success: the XSDT when revision >= 2, its length and
 *        extended checksum check out and its address is non-zero, else the
 *        RSDT
 * @why: on failure, a static string naming the broken rule (may be NULL)
 *
 * Context: any; reads only the @len bytes at @rsdp.
 * Return: 0, or -EINVAL for a bad signature, checksum or length, or no
 * usable root table address.
 */
int acpi_rsdp_check(const void *rsdp, size_t len, struct acpi_root *root,
		    const char **why);

/**
 * acpi_rsdp_scan() - search memory for an RSDP, the BIOS way
 * @area: start of the area (the EBDA's first KiB, or 0xe0000-0xfffff)
 * @len: its length
 *
 * Looks on every 16-byte boundary for the signature and a valid checksum
 * (ACPI 5.2.5.1), never reading past @area + @len. The boundary is one of
 * the address, not of the offset into @area. Only the 20-byte ACPI 1.0
 * checksum is checked; acpi_rsdp_check() does the rest.
 *
 * Context: any.
 * Return: a pointer to the first valid RSDP, or NULL.
 */
const void *acpi_rsdp_scan(const void *area, size_t len);

/**
 * acpi_table_check() - validate a table before it is read
 * @table: the table
 * @avail: bytes readable at @table
 * @sig: expected signature (4 characters), or NULL to accept any
 * @why: on failure, a static string naming the broken rule (may be NULL)
 *
 * Checks the structure only: the checksum is acpi_table_checksum_ok()'s,
 * since a wrong checksum is a warning, not a refusal (see the top of this
 * file).
 *
 * Context: any; reads at most @avail bytes at @table.
 * Return: 0, or -EINVAL when the signature differs, or the length is
 * smaller than the header or larger than @avail.
 */
int acpi_table_check(const void *table, size_t avail, const char *sig,
		     const char **why);

/**
 * acpi_table_checksum_ok() - do a table's Length bytes sum to zero?
 * @table: a table acpi_table_check() accepted
 *
 * ACPI 6.5, 5.2.6: the checksum byte makes the whole table sum to 0.
 * Context: any; reads the table's Length bytes.
 * Return: true when they do.
 */
bool acpi_table_checksum_ok(const void *table);

/**
 * acpi_find_table() - find a table through the RSDT or XSDT
 * @mem: how to reach physical memory
 * @root: from acpi_rsdp_check()
 * @sig: the signature wanted
 * @table: on success, the table (checked with acpi_table_check())
 * @len: on success, its length
 * @diag: lines for each table refused on the way
 *
 * The root table itself is checked first. An entry that cannot be mapped,
 * or whose table fails its checks, is reported in @diag and skipped; the
 * first good table with @sig wins. A table (the root one included) whose
 * checksum is wrong is used, with a line in @diag. Each table is mapped header first, and
 * in full only when its Length is at least a header and at most
 * ACPI_TABLE_MAX_LEN. Tables with another signature are not checked.
 *
 * Context: any; calls @mem->map, which must not sleep if the caller may not.
 *
 * Return: 0, -ENOENT when no good table has @sig, -EINVAL when the root
 * table is broken.
 */
int acpi_find_table(const struct acpi_mem_ops *mem,
		    const struct acpi_root *root, const char *sig,
		    const void **table, size_t *len, struct acpi_diag *diag);

/* ---- MADT --------------------------------------------------------- */

/*
 * Limits of struct madt_info, sized for real machines: a processor entry
 * for each CPU and its hot-plug slots, up to one Local APIC NMI entry per
 * processor (many firmwares write one per CPU), and room for the entries
 * the parser leaves out (placeholders, x2APIC shadows of Local APIC
 * entries, repeats). What is beyond a limit is counted and reported in one
 * line, never dropped silently. The whole struct is about 66 KiB; the
 * kernel keeps one, static.
 */
#define MADT_MAX_CPUS		2048
#define MADT_MAX_SKIPPED	1024
#define MADT_MAX_IOAPICS	128
#define MADT_MAX_ISOS		48
#define MADT_MAX_NMIS		MADT_MAX_CPUS
/* Type 0 entries hold 8-bit APIC IDs; a set of them is a bitmap of u32
 * words. */
#define MADT_XAPIC_IDS		256
#define MADT_ID_WORD_BITS	32

struct madt_cpu {
	u32 apic_id;
	u32 processor_uid;
	u32 offset;		/* of its entry, from the start of the table */
	bool enabled;		/* usable now */
	bool online_capable;	/* disabled, but may be hot-added (where
				 * the flag is defined) */
	bool from_x2apic_entry;	/* type 9 rather than type 0 */
};

/* Why a processor entry is not in madt_info.cpus. */
enum madt_skip_reason {
	/* APIC ID 0xff in a type 0 entry, 0xffffffff in a type 9 entry:
	 * the broadcast ID, which firmware uses for absent processors. */
	MADT_SKIP_PLACEHOLDER,
	/* A type 9 entry with an ID below 255 repeating an enabled type 0
	 * entry of the same ID: the same processor listed twice, as
	 * firmware that writes both entry types for every CPU does. ACPI
	 * 6.5, 5.2.12.12 reserves x2APIC entries for IDs of 255 and up when
	 * type 0 entries are used. */
	MADT_SKIP_X2APIC_SHADOW,
	/* Any other type 9 entry with an ID below 255 in a table that lists
	 * usable type 0 entries: no type 0 entry names its processor, and
	 * by the same rule it should not be there. Linux ignores it too
	 * (acpi_parse_x2apic() in arch/x86/kernel/acpi/boot.c drops every
	 * such entry once a usable type 0 entry was seen), so an enabled
	 * one is a CPU neither starts. */
	MADT_SKIP_X2APIC_LOW_ID,
	/* An enabled entry with the APIC ID of an enabled entry kept
	 * earlier in the table. */
	MADT_SKIP_DUPLICATE,
};

struct madt_skipped {
	u32 apic_id;
	u32 processor_uid;
	u32 offset;
	u8 reason;		/* enum madt_skip_reason */
	bool enabled;		/* the entry's Enabled flag */
	bool from_x2apic_entry;
};

struct madt_ioapic {
	u32 id;
	u32 address;
	u32 gsi_base;
};

struct madt_iso {
	u8 bus;
	u8 source;
	u32 gsi;
	u16 flags;
};

struct madt_nmi {
	u32 processor_uid;	/* ACPI_X2APIC_NMI_ALL_UID for all */
	u8 lint;		/* LINT0 or LINT1 */
	u16 flags;		/* MPS INTI flags: polarity, trigger mode */
};

struct madt_info {
	u64 lapic_address;	/* after any type 5 override */
	bool pcat_compat;	/* legacy 8259 PICs present */
	u8 revision;		/* the table's, as written */
	/* The Online Capable flag is defined: the FADT dates the tables
	 * ACPI 6.3 or later (acpi_fadt_online_capable()). */
	bool online_capable_defined;
	/* A usable type 0 entry exists (an ID other than 0xff, Enabled or
	 * Online Capable, or any flags where Online Capable is not
	 * defined): the condition for MADT_SKIP_X2APIC_SHADOW and
	 * MADT_SKIP_X2APIC_LOW_ID. */
	bool has_lapic_entries;
	/* The IDs of enabled type 0 entries, one bit each: what tells an
	 * x2APIC shadow from a lone low-ID x2APIC entry. */
	u32 lapic_enabled_ids[MADT_XAPIC_IDS / MADT_ID_WORD_BITS];

	/* Processor entries in table order, placeholders, shadows and
	 * duplicates left out (the first enabled entry for an APIC ID wins;
	 * disabled entries may repeat any ID). */
	size_t nr_cpus;
	size_t nr_cpus_dropped;	/* beyond MADT_MAX_CPUS */
	struct madt_cpu cpus[MADT_MAX_CPUS];

	/* The processor entries left out, in table order, with the reason. */
	size_t nr_skipped;
	size_t nr_skipped_dropped;	/* beyond MADT_MAX_SKIPPED */
	struct madt_skipped skipped[MADT_MAX_SKIPPED];

	size_t nr_ioapics;
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	size_t nr_isos;
	struct madt_iso isos[MADT_MAX_ISOS];
	size_t nr_nmis;
	size_t nr_nmis_dropped;	/* beyond MADT_MAX_NMIS */
	struct madt_nmi nmis[MADT_MAX_NMIS];

	/* Entries refused: a length too short for their type, a bad value,
	 * one I/O APIC or override too many. */
	unsigned int nr_bad_entries;
	/* Entries of a type this parser does not know, skipped by length. */
	unsigned int nr_unknown_entries;
	/* The walk stopped early at an entry of length < 2 or one that runs
	 * past the table; entries before it were kept. */
	bool truncated;
};

struct fadt_info;

/**
 * madt_parse() - read the MADT's processors, I/O APICs, NMIs and overrides
 * @madt: a table acpi_table_check() accepted with ACPI_SIG_MADT
 * @fadt: the parsed FADT, whose version says whether the Online Capable
 *        flag is defined; NULL when there is none (then it is not)
 * @out: filled in; on -EINVAL it holds nothing usable
 * @diag: one line for each entry refused, for each unknown entry type, for
 *        an early stop and for each limit reached
 *
 * Every processor entry lands in @out->cpus or @out->skipped. In order:
 * a broadcast ID is a placeholder; a type 9 entry below ID 255 beside
 * usable type 0 entries is a shadow when an enabled type 0 entry has its
 * ID, and is ignored as a lone low-ID entry otherwise; an enabled entry with the APIC ID of
 * an enabled entry already kept is a duplicate (with a warning); anything
 * else is kept with its flags: enabled, online capable (when Enabled is
 * clear and @fadt dates the tables ACPI 6.3 or later), or neither. Which of the
 * kept ones run is the CPU plan's business (arch/x86_64/cpu_plan.c).
 * Unknown entry types are skipped by their length.
 *
 * Context: any; reads only the table's Length bytes.
 * Return: 0 (even with bad entries), -EINVAL when the table is shorter
 * than its fixed part.
 */
int madt_parse(const struct acpi_madt *madt, const struct fadt_info *fadt,
	       struct madt_info *out, struct acpi_diag *diag);

/**
 * madt_skip_reason_name() - a short, stable name for a skip reason
 * @reason: an enum madt_skip_reason
 *
 * Context: any.
 * Return: "placeholder", "x2apic_shadow", "x2apic_low_id", "duplicate",
 * or "unknown".
 */
const char *madt_skip_reason_name(unsigned int reason);

/* ---- FADT, HPET and DMAR ------------------------------------------ */

/* A FADT flag that may be absent: the table's revision or length may end
 * before it is defined. */
enum acpi_tristate {
	ACPI_UNKNOWN,
	ACPI_NO,
	ACPI_YES,
};

struct fadt_info {
	u8 revision;		/* FADT Major Version */
	u8 minor_revision;	/* FADT Minor Version (revision 5 on), else 0 */
	u16 pm_timer_port;	/* 0 when there is none */
	bool pm_timer_32bit;	/* TMR_VAL_EXT */
	bool hw_reduced;	/* HW_REDUCED_ACPI: no PM timer, no SCI
				 * hardware, no legacy fixed devices */
	u8 legacy_devices;	/* enum acpi_tristate: LPC/ISA devices */
	u8 i8042;		/* enum acpi_tristate: 8042 at 0x60/0x64 */
};

/**
 * fadt_parse() - find the ACPI PM timer and the flags xcall cares about
 * @fadt: a table acpi_table_check() accepted with ACPI_SIG_FADT
 * @out: filled in
 *
 * Prefers X_PM_TMR_BLK when the table is long enough to hold it and it
 * names a non-zero system I/O address; else PM_TMR_BLK when PM_TMR_LEN is
 * 4. A field beyond the table's length is treated as absent, and so is a
 * port number above 0xffff. HW_REDUCED_ACPI is believed from revision 5,
 * the IA-PC boot flags from the revisions named above their definitions;
 * before that they read as unknown (or false for HW_REDUCED_ACPI). The
 * minor version is read from revision 5 on, where the table holds it;
 * otherwise it is 0.
 *
 * Context: any.
 * Return: 0, or -EINVAL when the table is shorter than its header.
 */
int fadt_parse(const struct acpi_table_header *fadt, struct fadt_info *out);

/**
 * acpi_fadt_online_capable() - does the FADT date the tables ACPI 6.3 on?
 * @fadt: the parsed FADT, or NULL when there is none
 *
 * From ACPI 6.3 on the Online Capable flag of processor entries is
 * defined; see ACPI_FADT_MAJOR_ONLINE_CAPABLE for why the FADT decides.
 * Without a FADT nothing dates the tables, and the flag is not believed
 * (Linux's zeroed copy of the FADT gives the same answer).
 * Context: any.
 * Return: true when the flag is defined.
 */
bool acpi_fadt_online_capable(const struct fadt_info *fadt);

/**
 * hpet_parse() - find the HPET's register block
 * @hpet: a table acpi_table_check() accepted with ACPI_SIG_HPET
 * @address: on success, the MMIO base
 *
 * Context: any.
 * Return: 0, or -EINVAL when the table is too short, or the address is 0
 * or not in system memory space.
 */
int hpet_parse(const struct acpi_table_header *hpet, u64 *address);

struct dmar_info {
	u8 revision;
	u8 host_address_width;	/* in bits (the field plus one) */
	u8 flags;		/* as written */
	bool intr_remap;	/* INTR_REMAP: interrupt remapping supported */
	bool x2apic_opt_out;	/* X2APIC_OPT_OUT: firmware asks the OS to
				 * stay in xAPIC mode */
	unsigned int nr_drhd;	/* remapping hardware units */
	unsigned int nr_structs;	/* remapping structures of any type */
	unsigned int nr_unknown;	/* of a type this parser does not know */
	bool truncated;		/* the walk stopped at a bad length */
};

/**
 * dmar_parse() - read the DMAR's flags and count its remapping units
 * @dmar: a table acpi_table_check() accepted with ACPI_SIG_DMAR
 * @out: filled in; on -EINVAL it holds nothing usable
 * @diag: lines for a short DRHD, unknown structure types and an early stop
 *
 * xcall uses neither DMA nor interrupt remapping; it reads the DMAR for
 * what the APIC mode choice depends on: the x2APIC opt-out, and whether
 * interrupt remapping is there at all (VT-d 4.1, 8.1).
 *
 * Context: any; reads only the table's Length bytes.
 * Return: 0, or -EINVAL when the table ends before its Flags byte.
 */
int dmar_parse(const struct acpi_table_header *dmar, struct dmar_info *out,
	       struct acpi_diag *diag);

/* ---- The tables together ------------------------------------------- */

/* The tables xcall reads, as found: each one checked by
 * acpi_table_check() against its signature (and its checksum judged), or
 * NULL when there is none. */
struct acpi_found_tables {
	const struct acpi_madt *madt;
	const struct acpi_table_header *fadt;
	const struct acpi_table_header *dmar;
	const struct acpi_table_header *hpet;
};

/**
 * acpi_find_tables() - find the MADT, FADT, DMAR and HPET in one walk
 * @mem: how to reach physical memory
 * @root: from acpi_rsdp_check()
 * @found: filled in: each table as acpi_find_table() would find it, or
 *         NULL
 * @diag: lines for the root table and each table refused on the way
 *
 * The root table is mapped and checked once, and its entries walked once,
 * so a broken root table or an entry that cannot be read is reported
 * once, not once per table looked for.
 * Context: any; calls @mem->map, which must not sleep if the caller may not.
 * Return: 0 (some tables may still be missing), or -EINVAL when the root
 * table is broken (then @found is all NULL).
 */
int acpi_find_tables(const struct acpi_mem_ops *mem, const struct acpi_root *root,
		     struct acpi_found_tables *found, struct acpi_diag *diag);

/* What the parsers made of them; a have_ flag is false for a table that
 * was missing or that its parser refused. About 66 KiB (the MADT's). */
struct acpi_tables {
	bool have_madt;
	bool have_fadt;
	bool have_dmar;
	bool have_hpet;
	struct madt_info madt;
	struct fadt_info fadt;
	struct dmar_info dmar;
	u64 hpet_address;	/* 0 without a usable HPET */
};

/**
 * acpi_parse_tables() - parse the tables found, by one set of rules
 * @found: the tables, as the kernel's root-table walk or the host tool's
 *         file loader found them
 * @out: filled in
 * @diag: the parsers' lines
 *
 * The kernel and xcall-acpi both end here, so a table one of them refuses
 * the other refuses too: a table whose parser fails is not there
 * (have_madt is false after madt_parse() returned -EINVAL, and the CPU
 * plan then says there is no usable MADT). An HPET without a usable
 * address costs a line in @diag; the other parsers say their own.
 * Context: any; reads only the tables' Length bytes.
 */
void acpi_parse_tables(const struct acpi_found_tables *found,
		       struct acpi_tables *out, struct acpi_diag *diag);

#endif /* XCALL_ACPI_H */
