// SPDX-License-Identifier: MIT
/*
 * GDT, TSS and IDT. Every CPU has its own GDT and TSS in its per-CPU area
 * (the TSS holds the CPU's IST stacks, so it cannot be shared); the IDT is
 * one table, written once by the boot CPU and only loaded by the others.
 * The C side of interrupt dispatch is in traps.c.
 */
#include <asm/desc.h>
#include <asm/segment.h>
#include <xcall/arch.h>
#include <xcall/percpu.h>
#include <xcall/string.h>

/* An IDT gate (SDM vol. 3A, 6.14.1). */
struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __attribute__((packed));

/* Present, DPL 0, 64-bit interrupt gate (type 0xe: clears IF on entry). */
#define IDT_INTERRUPT_GATE	0x8e
/* A 64-bit available TSS (type 0x9), present. */
#define GDT_TSS_TYPE_PRESENT	0x89
#define STUB_SIZE		16

struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

struct cpu_tables {
	u64 gdt[GDT_ENTRIES];
	struct tss tss;
};

static DEFINE_PER_CPU_ALIGNED(struct cpu_tables, cpu_tables);
static struct idt_gate idt[NR_VECTORS] __aligned(16);

extern const char vector_stubs[];

static void set_gate(unsigned int vector, unsigned int ist)
{
	unsigned long addr = (unsigned long)vector_stubs + vector * STUB_SIZE;
	struct idt_gate *g = &idt[vector];

	g->offset_low = (u16)addr;
	g->selector = __KERNEL_CS;
	g->ist = (u8)ist;
	g->type_attr = IDT_INTERRUPT_GATE;
	g->offset_mid = (u16)(addr >> 16);
	g->offset_high = (u32)(addr >> 32);
	g->reserved = 0;
}

void idt_init(void)
{
	for (unsigned int v = 0; v < NR_VECTORS; v++)
		set_gate(v, 0);
	/* Exceptions that can arrive on a broken stack get a known-good one. */
	set_gate(X86_TRAP_DF, IST_DOUBLE_FAULT);
	set_gate(X86_TRAP_NMI, IST_NMI);
	set_gate(X86_TRAP_MC, IST_MACHINE_CHECK);
}

/* A 16-byte system descriptor for the TSS (SDM vol. 3A, 8.2.3). */
static void set_tss_desc(u64 *gdt, const struct tss *tss)
{
	unsigned long base = (unsigned long)tss;
	u64 limit = sizeof(*tss) - 1;

	gdt[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 ((u64)GDT_TSS_TYPE_PRESENT << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[1] = base >> 32;
}

void cpu_desc_init(const unsigned long ist_top[NR_IST_STACKS])
{
	struct cpu_tables *t = this_cpu_ptr(&cpu_tables);
	struct desc_ptr gdtr = { sizeof(t->gdt) - 1, (u64)t->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (u64)idt };

	memset(t, 0, sizeof(*t));
	t->gdt[GDT_ENTRY_KERNEL_CS] = GDT_DESC_KERNEL_CS;
	t->gdt[GDT_ENTRY_KERNEL_DS] = GDT_DESC_KERNEL_DS;
	t->gdt[GDT_ENTRY_KERNEL32_CS] = GDT_DESC_KERNEL32_CS;
	for (unsigned int i = 0; i < NR_IST_STACKS; i++)
		t->tss.ist[i] = ist_top[i];
	/* No I/O bitmap: the offset points past the TSS limit. */
	t->tss.iomap_base = sizeof(t->tss);
	set_tss_desc(&t->gdt[GDT_ENTRY_TSS], &t->tss);

	/* Load the GDT, reload CS with a far return, then the data segments,
	 * the task register and the IDT. GS is left alone: loading a selector
	 * into it would replace the per-CPU base set through MSR_GS_BASE. */
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3\n\t"
		"lidt %4"
		: : "m"(gdtr), "i"(__KERNEL_CS), "i"(__KERNEL_DS),
		    "r"((u16)__TSS_SEL), "m"(idtr)
		: "rax", "memory");
}

/* IST slots, 1-based as in the IDT, named for the vector using each. */
static const char *const ist_names[NR_IST_STACKS + 1] = {
	[IST_DOUBLE_FAULT] = "#DF",
	[IST_NMI] = "NMI",
	[IST_MACHINE_CHECK] = "#MC",
};

const char *arch_cpu_exception_stack(unsigned int cpu, unsigned int i,
				     unsigned long *lo, unsigned long *hi)
{
	const struct tss *tss = &per_cpu(cpu_tables, cpu).tss;

	if (i >= NR_IST_STACKS)
		return NULL;
	/* The TSS is what the CPU switches by: read the truth there. */
	*hi = tss->ist[i];
	*lo = *hi - IST_STACK_SIZE;
	return ist_names[i + 1];
}
