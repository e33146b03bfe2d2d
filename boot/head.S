/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's first instructions: the Multiboot2 header, the 32-bit
 * entry GRUB jumps to, and the switch to long mode.
 *
 * GRUB enters in 32-bit protected mode, paging off, EAX = Multiboot2 magic,
 * EBX = physical address of the information block (Multiboot2 spec 3.3).
 * Nothing else is promised: under OVMF, CR0.WP and EFER.NXE may already be
 * set and the local APIC enabled; under SeaBIOS with many CPUs the APIC
 * may be in x2APIC mode. So CR0, CR4 and EFER are written as whole
 * values, never ORed into what the firmware left: a bit it left set that
 * this kernel knows nothing of changes what the page tables mean or what
 * an instruction does (CR4.LA57 turns the four-level tables below into
 * five-level ones; CR4.CET with shadow stacks on faults the first RET of
 * code built without them). The APIC's mode is apic.c's business.
 *
 * What it builds is temporary: an identity map of the first 4 GiB with
 * 2 MiB pages (the kernel, the information block and the serial port are
 * all there), enough to reach C. arch/x86_64/mm.c builds the real tables.
 */
#include <asm/cpuid.h>
#include <asm/msr.h>
#include <asm/pgtable_types.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/serial.h>
#include <xcall/multiboot2.h>

/* The early map: the first 4 GiB in 2 MiB pages, one page directory per
 * GiB. */
#define EARLY_MAP_GIB		4
#define BOOT_STACK_SIZE		16384
/* The stack's guard: one page, which arch/x86_64/mm.c leaves unmapped. */
#define BOOT_STACK_GUARD	4096
/* The multiboot2 framebuffer request tag: 20 bytes, any width and
 * height (0), 32 bits per pixel (spec 3.1.10). */
#define MB2_FB_TAG_SIZE		20
#define MB2_FB_DEPTH		32
#define MB2_MODALIGN_TAG_SIZE	8
#define MB2_END_TAG_SIZE	8

/* ---- Multiboot2 header (spec 3.1) ------------------------------------ */
	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* Ask for a linear framebuffer, any size, 32 bpp; optional, so a
	 * loader without graphics still boots us (in EGA text or none). */
	.balign 8
	.short MB2_HEADER_TAG_FB, MB2_HEADER_TAG_OPTIONAL
	.long MB2_FB_TAG_SIZE
	.long 0, 0, MB2_FB_DEPTH

	/* Modules (the console font) on page boundaries. */
	.balign 8
	.short MB2_HEADER_TAG_MODALIGN, 0
	.long MB2_MODALIGN_TAG_SIZE

	.balign 8
	.short MB2_HEADER_TAG_END, 0
	.long MB2_END_TAG_SIZE
mb2_header_end:

/* ---- 32-bit entry ----------------------------------------------------- */
	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl %eax, %ebp			/* keep the magic and the info pointer */
	movl %ebx, %esi

	/* .bss holds the page tables and the stack built next; GRUB clears
	 * it, but the kernel does not count on that. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	movl $boot_stack_top, %esp

	cmpl $MB2_BOOTLOADER_MAGIC, %ebp
	jne no_multiboot2

	movl $CPUID_EXT_MAX_LEAF, %eax
	cpuid
	cmpl $CPUID_EXT_FEATURES_LEAF, %eax
	jb no_long_mode
	movl $CPUID_EXT_FEATURES_LEAF, %eax
	cpuid
	testl $EXT_EDX_LM, %edx
	jz no_long_mode

	/* PML4[0] -> PDPT; PDPT[0..3] -> four PDs; each PD maps 1 GiB. */
	movl $early_pdpt, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, early_pml4

	movl $early_pd, %eax
	orl $(PTE_P | PTE_W), %eax
	xorl %ecx, %ecx
1:	movl %eax, early_pdpt(, %ecx, 8)
	addl $PT_BYTES, %eax
	incl %ecx
	cmpl $EARLY_MAP_GIB, %ecx
	jb 1b

	movl $(PTE_P | PTE_W | PTE_PS), %eax
	xorl %edx, %edx			/* high half of the address */
	xorl %ecx, %ecx
2:	movl %eax, early_pd(, %ecx, 8)
	movl %edx, early_pd + 4(, %ecx, 8)
	addl $LARGE_SIZE, %eax
	adcl $0, %edx
	incl %ecx
	cmpl $(EARLY_MAP_GIB * PT_ENTRIES), %ecx
	jb 2b

	/* Long mode (SDM vol. 3A, 10.8.5): PAE, CR3, EFER.LME, then paging.
	 * Paging is off here, so every CR4 bit may change, LA57 included
	 * (SDM vol. 3A, 4.1.1). CR4.MCE comes later, once the #MC handler
	 * is in place (arch/x86_64/mce.c); EFER.NXE once the CPU is known
	 * to have NX (arch/x86_64/mm.c). */
	movl $BOOT_CR4, %eax
	movl %eax, %cr4
	movl $early_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl $BOOT_EFER, %eax
	xorl %edx, %edx
	wrmsr
	movl $BOOT_CR0, %eax
	movl %eax, %cr0

	lgdt early_gdt_ptr
	ljmp $__KERNEL_CS, $long_mode_entry

/* Report on COM1 why we cannot go on, then stop. ESI: the message. */
no_multiboot2:
	movl $msg_no_mb2, %esi
	jmp early_fail
no_long_mode:
	movl $msg_no_lm, %esi
early_fail:
	/* 115200 8N1: DLAB on, divisor 1, DLAB off with 8 bits, FIFO on. */
	movw $(COM1_BASE + UART_LCR), %dx
	movb $UART_LCR_DLAB, %al
	outb %al, %dx
	movw $(COM1_BASE + UART_DLL), %dx
	movb $UART_DIVISOR_115200, %al
	outb %al, %dx
	movw $(COM1_BASE + UART_DLM), %dx
	xorb %al, %al
	outb %al, %dx
	movw $(COM1_BASE + UART_LCR), %dx
	movb $UART_LCR_8N1, %al
	outb %al, %dx
3:	lodsb
	testb %al, %al
	jz 5f
	movb %al, %bl
	movw $(COM1_BASE + UART_LSR), %dx	/* wait for THR empty */
4:	inb %dx, %al
	pause
	testb $UART_LSR_THRE, %al
	jz 4b
	movw $(COM1_BASE + UART_THR), %dx
	movb %bl, %al
	outb %al, %dx
	jmp 3b
5:	cli
	hlt
	jmp 5b

/* ---- 64-bit ---------------------------------------------------------- */
	.code64
long_mode_entry:
	movw $__KERNEL_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	movq $boot_stack_top, %rsp
	/* Upper halves are undefined after the mode switch; a 32-bit move
	 * zero-extends. start_kernel(magic, info). */
	movl %ebp, %edi
	movl %esi, %esi
	xorl %ebp, %ebp			/* ends the backtrace's frame chain */
	call start_kernel
6:	cli
	hlt
	jmp 6b

	.section .rodata
msg_no_mb2:
	.asciz "xcall: not started by a Multiboot2 loader (bad magic in EAX); halting.\r\n"
msg_no_lm:
	.asciz "xcall: this CPU has no long mode (x86-64); halting.\r\n"

	.balign 8
early_gdt:
	.quad 0
	.quad GDT_DESC_KERNEL_CS
	.quad GDT_DESC_KERNEL_DS
early_gdt_end:
early_gdt_ptr:
	.short early_gdt_end - early_gdt - 1
	.long early_gdt

/* Page tables and the boot stack. The page below the stack is a guard:
 * mm.c leaves it unmapped, so an overflow faults instead of writing on. */
	.section .bss.page_aligned, "aw", @nobits
	.balign PT_BYTES
early_pml4:	.skip PT_BYTES
early_pdpt:	.skip PT_BYTES
early_pd:	.skip PT_BYTES * EARLY_MAP_GIB
	.globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip BOOT_STACK_GUARD
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
