/* SPDX-License-Identifier: MIT */
/*
 * The AP trampoline: where a CPU woken by STARTUP IPIs begins, in real
 * mode at CS:IP = (page >> 4):0000 (SDM vol. 3A, 9.4.4.1 and 11.6.1).
 * It goes 16 -> 32 -> 64 bits and jumps into the kernel's 64-bit AP
 * entry (ap_long_mode_entry, below), which finds the CPU's own stack.
 *
 * The code is copied to a free page below 1 MiB that is chosen at run time,
 * so it holds no relocation (the Makefile checks): every address is either
 * relative to the start of the page, or patched into the parameter block
 * by arch/x86_64/smpboot.c after the copy. EBX carries the page's linear
 * address from real mode into protected mode, where the block is read.
 *
 * Parameter block (struct trampoline_params in arch/x86_64/smpboot.c, at
 * trampoline_params):
 *	+0   u16 pad, u16 GDT limit, u32 GDT base    (the GDTR, patched base)
 *	+8   u32 offset, u16 selector                (far pointer to 32-bit code)
 *	+16  u32 CR3                                 (kernel PML4, below 4 GiB)
 *	+20  u32 EFER, whole                         (LME, and NXE if the CPU has NX)
 *	+24  u32 offset, u16 selector                (far pointer to 64-bit code)
 *	+32  u64 GDT[4]                              (null, code64, data, code32)
 */
#include <asm/apic.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>

	.section .trampoline, "a"
	.code16
	.globl trampoline_entry
trampoline_entry:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movzwl %ax, %ebx
	shll $4, %ebx			/* EBX = linear address of the page */
	lgdtl tr_gdtr_limit - trampoline_entry
	/* Whole values, never OR: after INIT, CR0.CD and NW are still set
	 * (SDM vol. 3A, 10.1.1, "Processor State After Reset"), and an AP
	 * that kept them would run with its caches off. */
	movl $(X86_CR0_PE | X86_CR0_ET | X86_CR0_NE), %eax
	movl %eax, %cr0
	ljmpl *(tr_pm_ptr - trampoline_entry)

	.code32
	.globl trampoline_pm
trampoline_pm:
	movw $__KERNEL_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	/* Long mode, as the boot CPU entered it (SDM vol. 3A, 10.8.5), from
	 * the same whole values. INIT has cleared CR4 and EFER already
	 * (SDM vol. 3A, 10.1.1, Table 10-1); writing them whole states what
	 * the AP runs with instead of trusting what came before. */
	movl $BOOT_CR4, %eax
	movl %eax, %cr4
	movl (tr_cr3 - trampoline_entry)(%ebx), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl (tr_efer - trampoline_entry)(%ebx), %eax
	xorl %edx, %edx
	wrmsr
	movl $BOOT_CR0, %eax
	movl %eax, %cr0
	ljmpl *(tr_lm_ptr - trampoline_entry)(%ebx)

	.balign 8
	.globl trampoline_params
trampoline_params:
	.short 0
tr_gdtr_limit:
	.short tr_gdt_end - tr_gdt - 1
tr_gdtr_base:
	.long 0
tr_pm_ptr:
	.long 0
	.short __KERNEL32_CS
	.short 0
tr_cr3:
	.long 0
tr_efer:
	.long 0
tr_lm_ptr:
	.long 0
	.short __KERNEL_CS
	.short 0
tr_gdt:
	.quad 0
	.quad GDT_DESC_KERNEL_CS
	.quad GDT_DESC_KERNEL_DS
	.quad GDT_DESC_KERNEL32_CS
tr_gdt_end:
	.globl trampoline_end
trampoline_end:

/*
 * ap_long_mode_entry - the AP's first 64-bit instruction, in kernel text
 *
 * All APs may arrive here at once (bring-up is parallel), so none can use
 * a shared stack: each reads its APIC ID, finds its logical CPU number in
 * smpboot_apicid[], and takes smpboot_stack_top[cpu]. The ID comes from
 * the APIC itself, never CPUID.1:EBX's 8-bit field, which overflows past
 * 255 CPUs: the x2APIC ID MSR in x2APIC mode, else the xAPIC ID register
 * (SDM vol. 3A, 11.4.6 and 11.12.5.1).
 */
	.text
	.code64
	.globl ap_long_mode_entry
ap_long_mode_entry:
	movw $__KERNEL_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $MSR_IA32_APIC_BASE, %ecx
	rdmsr
	testl $APIC_BASE_EXTD, %eax
	jnz 1f
	andl $(APIC_BASE_ADDR_MASK & 0xffffffff), %eax
	shlq $32, %rdx
	orq %rdx, %rax
	movl APIC_ID(%rax), %eax
	shrl $APIC_ID_SHIFT, %eax
	jmp 2f
1:	movl $(MSR_X2APIC_BASE + (APIC_ID >> 4)), %ecx
	rdmsr
2:	movl smpboot_nr_apicids(%rip), %ecx
	xorl %edx, %edx
3:	cmpl %edx, %ecx
	je 5f				/* not in the table: not ours to run */
	leaq smpboot_apicid(%rip), %rsi
	cmpl %eax, (%rsi, %rdx, 4)
	je 4f
	incl %edx
	jmp 3b
4:	leaq smpboot_stack_top(%rip), %rsi
	movq (%rsi, %rdx, 8), %rsp
	movl %edx, %edi			/* ap_start(cpu) */
	xorl %ebp, %ebp
	call ap_start
5:	cli
	hlt
	jmp 5b
