/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry: one stub per vector, all made by one
 * macro, and one common path that saves the general registers as a
 * struct pt_regs and calls do_interrupt(). xcall never leaves ring 0, so
 * there is no swapgs and no stack switch beyond what the IST does.
 */
#include <asm/irq_vectors.h>
#include <xcall/errno.h>

/* Vectors for which the CPU pushes an error code (SDM vol. 3A, 6.15). */
#define HAS_ERROR_CODE(v) ((v) == X86_TRAP_DF || \
			   ((v) >= X86_TRAP_TS && (v) <= X86_TRAP_PF) || \
			   (v) == X86_TRAP_AC || (v) == X86_TRAP_CP || \
			   (v) == X86_TRAP_VC || (v) == X86_TRAP_SX)

#define STUB_SIZE 16

	.text
	.balign STUB_SIZE
	.globl vector_stubs
vector_stubs:
	vec = 0
	.rept NR_VECTORS
	.balign STUB_SIZE
	.if !HAS_ERROR_CODE(vec)
	pushq $0			/* keep the frame the same shape */
	.endif
	pushq $vec
	jmp interrupt_common
	vec = vec + 1
	.endr

/*
 * The NMI (vector 2) runs on an IST stack of its own, and the CPU holds
 * further NMIs back until the next IRET (SDM vol. 3A, 6.7.1): any IRET,
 * including the one that ends an exception taken inside the NMI handler.
 * A second NMI let in that way would start again at the top of the same
 * IST stack, over the first one's iret frame, saved registers and C
 * frames, and the first could never return. Linux's entry code keeps a
 * copy of the outer frame and repeats the NMI; xcall keeps this path
 * plain instead: the NMI handler must not fault (traps.c: its backtrace
 * reads only this CPU's stacks), and an NMI that finds itself nested
 * anyway panics rather than return into the wreck.
 */
interrupt_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	/* The frame is 22 words; with the CPU's 16-byte alignment of the
	 * interrupt frame, RSP is 16-byte aligned here as the ABI wants. */
	call do_interrupt
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp			/* vector and error code */
	iretq

/*
 * probe_read_u64() - read a word that may not be mapped
 * @rdi: address   @rsi: where to store it
 * Return: 0, or -EFAULT when the read faulted. The #PF handler finds the
 * faulting instruction in __ex_table and resumes at its fixup.
 */
	.globl probe_read_u64
probe_read_u64:
1:	movq (%rdi), %rax
	movq %rax, (%rsi)
	xorl %eax, %eax
	ret
2:	movl $-EFAULT, %eax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.previous

/*
 * rdmsr_safe() - read an MSR that may not exist
 * @edi: the MSR   @rsi: where to store its value
 * Return: 0, or -EIO when RDMSR raised #GP (an MSR this CPU, or the
 * hypervisor under it, does not implement). The #GP handler finds the
 * instruction in __ex_table and resumes at its fixup.
 */
	.globl rdmsr_safe
rdmsr_safe:
	movl %edi, %ecx
5:	rdmsr
	shlq $32, %rdx			/* RDMSR cleared both upper halves */
	orq %rdx, %rax
	movq %rax, (%rsi)
	xorl %eax, %eax
	ret
6:	movl $-EIO, %eax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 5b, 6b
	.previous

/* Same for a write: the guard-page tests prove a page faults both ways. */
	.globl probe_write_u64
probe_write_u64:
3:	movq %rsi, (%rdi)
	xorl %eax, %eax
	ret
4:	movl $-EFAULT, %eax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 3b, 4b
	.previous
