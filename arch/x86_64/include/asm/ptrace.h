/* SPDX-License-Identifier: MIT */
/*
 * The register frame every interrupt and exception stub builds
 * (arch/x86_64/entry.S), lowest address first.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include <xcall/types.h>

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;
	u64 error_code;		/* 0 where the CPU pushes none */
	/* pushed by the CPU (SDM vol. 3A, 6.14.2) */
	u64 rip, cs, rflags, rsp, ss;
};

typedef void (*irq_handler_t)(struct pt_regs *regs);

#endif /* ASM_PTRACE_H */
