// SPDX-License-Identifier: MIT
/*
 * The I/O APICs: xcall routes no device interrupt, so all it does with
 * them is mask every redirection entry at boot. Firmware may hand over a
 * pin unmasked (a legacy timer, an SCI, a USB controller the BIOS drove);
 * a level-triggered one whose device keeps its line asserted would storm
 * a CPU with an interrupt nobody acknowledges at the device.
 *
 * Where the I/O APICs are comes from the MADT (kernel/acpi.c's parse);
 * this file owns their registers. Register layout: the 82093AA I/O APIC
 * data sheet, section 3: an index register (IOREGSEL) and a data window
 * (IOWIN); redirection entry n is registers 10h + 2n (low) and 11h + 2n
 * (high).
 */
#include <asm/io.h>
#include <asm/io_apic.h>
#include <xcall/acpi_kernel.h>
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/mm.h>
#include <xcall/printk.h>
#include <xcall/spinlock.h>

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_MMIO_SIZE	0x20

#define IOAPIC_REG_VERSION	0x01
#define  IOAPIC_VER_MAX_ENTRY(v)	(((v) >> 16) & 0xff)
#define IOAPIC_REG_REDIR_LOW(n)	(0x10 + 2 * (n))

/* Redirection entry, low word (data sheet 3.2.4). */
#define IOAPIC_RTE_DELIVERY_MASK	(7u << 8)
#define IOAPIC_RTE_DELIVERY_SMI		(2u << 8)
#define IOAPIC_RTE_REMOTE_IRR		(1u << 14)
#define IOAPIC_RTE_LEVEL		(1u << 15)
#define IOAPIC_RTE_MASKED		(1u << 16)

/* What a read returns when nothing answers at the address. */
#define IOAPIC_NOTHING_THERE		0xffffffffu

struct io_apic {
	volatile u8 *base;
	u32 id;
	unsigned int nr_pins;
};

static struct io_apic io_apics[MADT_MAX_IOAPICS];
static unsigned int nr_io_apics;
/* IOREGSEL and IOWIN are one register pair: select, then access. */
static spinlock_t io_apic_lock = SPINLOCK_INIT;

static u32 io_apic_read(const struct io_apic *io, u32 reg)
{
	mmio_write32(io->base + IOAPIC_REGSEL, reg);
	return mmio_read32(io->base + IOAPIC_WINDOW);
}

static void io_apic_write(const struct io_apic *io, u32 reg, u32 v)
{
	mmio_write32(io->base + IOAPIC_REGSEL, reg);
	mmio_write32(io->base + IOAPIC_WINDOW, v);
}

/*
 * Mask one pin, leaving the rest of its entry as the firmware set it.
 * An SMI pin is the firmware's own (Linux's clear_IO_APIC_pin() leaves
 * it alone too). Return: whether the pin was unmasked before.
 */
static bool mask_pin(const struct io_apic *io, unsigned int pin)
{
	u32 low = io_apic_read(io, IOAPIC_REG_REDIR_LOW(pin));

	if ((low & IOAPIC_RTE_DELIVERY_MASK) == IOAPIC_RTE_DELIVERY_SMI)
		return false;
	if (!(low & IOAPIC_RTE_MASKED))
		io_apic_write(io, IOAPIC_REG_REDIR_LOW(pin), low | IOAPIC_RTE_MASKED);
	/* A level-triggered interrupt already delivered and never
	 * acknowledged leaves Remote IRR set; masked, it can do no harm,
	 * and a kernel that never unmasks the pin need not clear it. */
	if ((low & (IOAPIC_RTE_LEVEL | IOAPIC_RTE_REMOTE_IRR)) ==
	    (IOAPIC_RTE_LEVEL | IOAPIC_RTE_REMOTE_IRR))
		pr_info("io_apic: I/O APIC %u pin %u: remote IRR set by the firmware; masked\n",
			io->id, pin);
	return !(low & IOAPIC_RTE_MASKED);
}

/*
 * Map one MADT entry's registers, after checking the address is not RAM
 * (a write to IOREGSEL there would corrupt memory): the memory map made
 * RAM write-back in the kernel's page tables and everything else uncached.
 */
static int io_apic_map(const struct madt_ioapic *m, struct io_apic *io)
{
	struct page_query q;
	u32 ver;

	if (m->address == 0 || (m->address & (IOAPIC_MMIO_SIZE - 1))) {
		pr_warn("io_apic: MADT I/O APIC %u at 0x%x: not a register block address; ignored\n",
			m->id, m->address);
		return -EINVAL;
	}
	paging_query(m->address, &q);
	if (q.present && q.cache == PAGE_CACHE_WB) {
		pr_warn("io_apic: MADT I/O APIC %u at 0x%x is in RAM by the memory map; ignored\n",
			m->id, m->address);
		return -EINVAL;
	}
	if (paging_map_range(m->address, IOAPIC_MMIO_SIZE, PAGE_CACHE_UC))
		return -ENOMEM;
	io->base = (volatile u8 *)(unsigned long)m->address;
	io->id = m->id;
	ver = io_apic_read(io, IOAPIC_REG_VERSION);
	if (ver == IOAPIC_NOTHING_THERE) {
		pr_warn("io_apic: nothing answers at 0x%x (MADT I/O APIC %u); ignored\n",
			m->address, m->id);
		return -ENODEV;
	}
	io->nr_pins = IOAPIC_VER_MAX_ENTRY(ver) + 1;
	return 0;
}

void io_apic_mask_all(void)
{
	const struct madt_info *madt = acpi_madt();
	unsigned int pins = 0, was_open = 0;

	for (size_t i = 0; madt && i < madt->nr_ioapics; i++) {
		struct io_apic *io = &io_apics[nr_io_apics];
		unsigned long flags;

		if (io_apic_map(&madt->ioapics[i], io))
			continue;
		spin_lock_irqsave(&io_apic_lock, flags);
		for (unsigned int pin = 0; pin < io->nr_pins; pin++)
			was_open += mask_pin(io, pin);
		spin_unlock_irqrestore(&io_apic_lock, flags);
		pins += io->nr_pins;
		nr_io_apics++;
	}
	if (nr_io_apics)
		pr_info("io_apic: %u I/O APIC%s, %u pins masked (%u were open)\n",
			nr_io_apics, nr_io_apics == 1 ? "" : "s", pins, was_open);
}

int arch_io_apic_check(char *buf, size_t size)
{
	unsigned int pins = 0;
	unsigned long flags;
	int err = 0;

	if (!nr_io_apics) {
		snprintf(buf, size, "the MADT lists no usable I/O APIC");
		return -ENODEV;
	}
	spin_lock_irqsave(&io_apic_lock, flags);
	for (unsigned int i = 0; i < nr_io_apics && !err; i++) {
		const struct io_apic *io = &io_apics[i];

		for (unsigned int pin = 0; pin < io->nr_pins; pin++) {
			u32 low = io_apic_read(io, IOAPIC_REG_REDIR_LOW(pin));

			if ((low & IOAPIC_RTE_DELIVERY_MASK) == IOAPIC_RTE_DELIVERY_SMI ||
			    (low & IOAPIC_RTE_MASKED))
				continue;
			snprintf(buf, size, "I/O APIC %u pin %u is unmasked: 0x%08x",
				 io->id, pin, low);
			err = -EINVAL;
			break;
		}
		pins += io->nr_pins;
	}
	spin_unlock_irqrestore(&io_apic_lock, flags);
	if (!err)
		snprintf(buf, size, "%u I/O APIC%s, %u pins, all masked", nr_io_apics,
			 nr_io_apics == 1 ? "" : "s", pins);
	return err;
}
