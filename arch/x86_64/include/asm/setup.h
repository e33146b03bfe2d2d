/* SPDX-License-Identifier: MIT */
/*
 * Inside arch/x86_64: the set-up steps arch_early_setup() and the AP
 * entry call, and QEMU's fw_cfg device.
 */
#ifndef ASM_SETUP_H
#define ASM_SETUP_H

#include <asm/lowmem.h>
#include <xcall/types.h>

/**
 * pic_disable() - remap the 8259s out of the exception range, mask all
 *
 * A spurious interrupt from a masked 8259 then arrives on a vector of its
 * own, not on an exception's.
 *
 * Context: boot CPU, interrupts off.
 */
void pic_disable(void);

/**
 * setup_lowmem_window() - where below 1 MiB real-mode code may go
 * @w: set to the window, from the BIOS Data Area read at early set-up
 *
 * Context: any, after arch_early_setup().
 */
void setup_lowmem_window(struct lowmem_window *w);

/**
 * setup_lowmem_bda() - the two BIOS Data Area words the window came from
 * @ebda_segment: set to the EBDA's segment, as the BDA gave it
 * @base_kib: set to the conventional memory size in KiB
 *
 * For messages and tests.
 * Context: any, after arch_early_setup().
 */
void setup_lowmem_bda(u16 *ebda_segment, u16 *base_kib);

/**
 * boot_ist_guard_page() - the guard page below one of the boot CPU's IST
 * stacks
 * @i: the stack, 0 for IST1
 *
 * paging_init() unmaps it; the APs' IST stacks get theirs from
 * alloc_stack().
 *
 * Context: any.
 * Return: the page's address, or 0 when @i is not a stack.
 */
unsigned long boot_ist_guard_page(unsigned int i);

/**
 * fw_cfg_read_file() - read a file from QEMU's fw_cfg device
 * @name: the file's name, e.g. "opt/xcall/cmdline"
 * @buf: destination; the content is NUL-terminated
 * @size: size of @buf
 *
 * Only probes the device on a virtual machine (CPUID hypervisor bit):
 * on bare metal, ports 0x510/0x511 belong to whoever is there.
 *
 * Context: boot CPU, before the APs start: the device's selector and
 * data ports are not locked.
 * Return: the file's length; -ENOENT when there is no such file or no
 * fw_cfg; -ERANGE when it does not fit in @buf (nothing is read).
 */
int fw_cfg_read_file(const char *name, char *buf, size_t size);

/**
 * idle_quirks_init() - decide what idle may trust on this CPU model
 *
 * On an AMD erratum 400 CPU with C1E on, the APIC timer stops in halt:
 * arch_idle_nap() then waits on the clock instead of halting until the
 * timer fires. MWAIT is offered only where a store to the monitored line
 * is sure to end it, and the line is flushed before MONITOR where an
 * erratum asks for it (arch/x86_64/idle.c).
 *
 * Context: boot CPU, once, interrupts off, before the first nap.
 */
void idle_quirks_init(void);

/**
 * smpboot_set_boot_cpu_id() - record CPU 0's APIC ID and stack
 * @apic_id: the boot CPU's APIC ID
 *
 * For the tables bring-up and the stuck-call reports read.
 *
 * Context: boot CPU, once, after the APIC is set up.
 */
void smpboot_set_boot_cpu_id(u32 apic_id);

#endif /* ASM_SETUP_H */
