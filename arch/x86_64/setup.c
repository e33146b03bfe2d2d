// SPDX-License-Identifier: MIT
/*
 * The PC platform around the CPU: the boot CPU's early set-up sequence,
 * the legacy 8259 PICs (turned off), QEMU's isa-debug-exit and fw_cfg
 * devices (the extra command line). The APIC has its own file.
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/lowmem.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/serial.h>
#include <asm/setup.h>
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/irqflags.h>
#include <xcall/mm.h>
#include <xcall/percpu.h>
#include <xcall/string.h>

/* 8259A ports and initialisation words (8259A data sheet). */
#define PIC1_CMD		0x20
#define PIC1_DATA		0x21
#define PIC2_CMD		0xa0
#define PIC2_DATA		0xa1
#define PIC_ICW1_INIT_ICW4	0x11	/* edge, cascade, ICW4 follows */
#define PIC_ICW3_MASTER		0x04	/* slave on IRQ 2 */
#define PIC_ICW3_SLAVE		0x02	/* cascade identity 2 */
#define PIC_ICW4_8086		0x01
#define PIC_MASK_ALL		0xff
#define IO_DELAY_PORT		0x80	/* POST code port: a write is a delay */

/* QEMU's isa-debug-exit, as the runner configures it: iobase=0xf4. QEMU
 * exits with status (value << 1) | 1. */
#define QEMU_DEBUG_EXIT_PORT	0xf4
#define QEMU_EXIT_PASS		0	/* status 1 */
#define QEMU_EXIT_FAIL		1	/* status 3 */

/* fw_cfg (QEMU docs/specs/fw_cfg.rst): a 16-bit selector and an 8-bit
 * data port; the file directory's numbers are big-endian. */
#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_SIGNATURE_VALUE	"QEMU"
#define FW_CFG_NAME_LEN		56
/* More files than this in the directory is not a QEMU we know. */
#define FW_CFG_MAX_FILES	4096

/*
 * The boot CPU's IST stacks, each above a guard page that paging_init()
 * unmaps, as the APs' stacks from alloc_stack() have: an exception stack
 * that overflows faults (and the #DF that follows lands on its own,
 * intact stack) instead of writing over whatever lies below.
 */
struct boot_ist_stack {
	char guard[PAGE_SIZE];
	char stack[IST_STACK_SIZE];
};

static struct boot_ist_stack boot_ist[NR_IST_STACKS]
	__aligned(PAGE_SIZE) __section(".bss.page_aligned");

static void io_delay(void)
{
	outb(IO_DELAY_PORT, 0);
}

void pic_disable(void)
{
	outb(PIC1_CMD, PIC_ICW1_INIT_ICW4);
	io_delay();
	outb(PIC2_CMD, PIC_ICW1_INIT_ICW4);
	io_delay();
	outb(PIC1_DATA, PIC_MASTER_VECTOR);
	io_delay();
	outb(PIC2_DATA, PIC_SLAVE_VECTOR);
	io_delay();
	outb(PIC1_DATA, PIC_ICW3_MASTER);
	io_delay();
	outb(PIC2_DATA, PIC_ICW3_SLAVE);
	io_delay();
	outb(PIC1_DATA, PIC_ICW4_8086);
	io_delay();
	outb(PIC2_DATA, PIC_ICW4_8086);
	io_delay();
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
}

void arch_set_percpu_base(unsigned long base)
{
	wrmsr(MSR_GS_BASE, base);
}

/* The BIOS Data Area's words that say where the BIOS's own memory starts,
 * read while page 0 is still mapped (paging_init() unmaps it). */
static u16 bda_ebda_segment, bda_base_kib;

void setup_lowmem_window(struct lowmem_window *w)
{
	lowmem_window(bda_ebda_segment, bda_base_kib, w);
}

void setup_lowmem_bda(u16 *ebda_segment, u16 *base_kib)
{
	*ebda_segment = bda_ebda_segment;
	*base_kib = bda_base_kib;
}

void arch_early_setup(void)
{
	unsigned long ist_top[NR_IST_STACKS];

	bda_ebda_segment = READ_ONCE(*(const u16 *)absolute_pointer(BDA_EBDA_SEGMENT));
	bda_base_kib = READ_ONCE(*(const u16 *)absolute_pointer(BDA_BASE_MEMORY_KIB));

	cpu_detect();
	serial_init();
	idt_init();
	for (unsigned int i = 0; i < NR_IST_STACKS; i++)
		ist_top[i] = (unsigned long)boot_ist[i].stack + IST_STACK_SIZE;
	cpu_desc_init(ist_top);
	mce_cpu_init();
	pic_disable();
}

unsigned long boot_ist_guard_page(unsigned int i)
{
	return i < NR_IST_STACKS ? (unsigned long)boot_ist[i].guard : 0;
}

void arch_halt_forever(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void arch_qemu_exit(bool failed)
{
	outb(QEMU_DEBUG_EXIT_PORT, failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}

bool arch_running_on_hypervisor(void)
{
	return cpu_has(X86_FEATURE_HYPERVISOR);
}

bool arch_hypervisor_dedicated_cpus(void)
{
	return cpu_has(X86_FEATURE_KVM_HINTS_REALTIME);
}

const char *arch_hypervisor_name(void)
{
	return cpu_hypervisor_name();
}

static void fw_cfg_select(u16 key)
{
	outw(FW_CFG_PORT_SEL, key);
}

static void fw_cfg_read(void *buf, size_t len)
{
	u8 *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = inb(FW_CFG_PORT_DATA);
}

static u32 be32(u32 v)
{
	return __builtin_bswap32(v);
}

int fw_cfg_read_file(const char *name, char *buf, size_t size)
{
	struct {
		u32 size;
		u16 select;
		u16 reserved;
		char name[FW_CFG_NAME_LEN];
	} __attribute__((packed)) f;
	char sig[4];
	u32 count;

	if (!arch_running_on_hypervisor())
		return -ENOENT;
	fw_cfg_select(FW_CFG_SIGNATURE);
	fw_cfg_read(sig, sizeof(sig));
	if (memcmp(sig, FW_CFG_SIGNATURE_VALUE, sizeof(sig)))
		return -ENOENT;

	fw_cfg_select(FW_CFG_FILE_DIR);
	fw_cfg_read(&count, sizeof(count));
	count = be32(count);
	if (count > FW_CFG_MAX_FILES)
		return -ENOENT;
	for (u32 i = 0; i < count; i++) {
		fw_cfg_read(&f, sizeof(f));
		f.name[FW_CFG_NAME_LEN - 1] = 0;
		if (strcmp(f.name, name))
			continue;
		if (be32(f.size) >= size)
			return -ERANGE;
		fw_cfg_select(__builtin_bswap16(f.select));
		fw_cfg_read(buf, be32(f.size));
		buf[be32(f.size)] = 0;
		return (int)be32(f.size);
	}
	return -ENOENT;
}

/* The QEMU fw_cfg file whose words are added to the command line. */
#define FW_CFG_CMDLINE_FILE	"opt/xcall/cmdline"

int arch_read_extra_cmdline(char *buf, size_t size, const char **source)
{
	*source = "fw_cfg";
	return fw_cfg_read_file(FW_CFG_CMDLINE_FILE, buf, size);
}

/* Compare one register with what boot set; describe the first miss. */
static int check_reg(const char *name, u64 found, u64 want, char *buf, size_t size)
{
	if (found == want)
		return 0;
	snprintf(buf, size, "%s is 0x%llx, expected 0x%llx (extra 0x%llx, missing 0x%llx)",
		 name, (unsigned long long)found, (unsigned long long)want,
		 (unsigned long long)(found & ~want), (unsigned long long)(want & ~found));
	return -EINVAL;
}

int arch_cpu_state_check(char *buf, size_t size)
{
	u64 efer = BOOT_EFER | EFER_LMA | (cpu_has(X86_FEATURE_NX) ? EFER_NXE : 0);
	int err;

	err = check_reg("CR0", read_cr0(), BOOT_CR0, buf, size);
	if (!err)
		err = check_reg("CR4", read_cr4(),
				BOOT_CR4 | (mce_enabled() ? X86_CR4_MCE : 0), buf, size);
	if (!err)
		err = check_reg("EFER", rdmsr(MSR_EFER), efer, buf, size);
	return err;
}

void arch_triple_fault(void)
{
	/* With an IDT of limit 0, the breakpoint cannot be delivered, nor
	 * the #GP that raises, nor the #DF after it: the CPU shuts down
	 * (SDM vol. 3A, 6.15, "Interrupt 8, Double Fault Exception"). */
	static const struct { u16 limit; u64 base; } __attribute__((packed))
		no_idt = { 0, 0 };

	__asm__ __volatile__("lidt %0; int3" : : "m"(no_idt));
	arch_halt_forever();
}
