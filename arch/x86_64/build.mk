# SPDX-License-Identifier: MIT
objs-y += arch/x86_64/entry.o arch/x86_64/cpu.o arch/x86_64/desc.o \
	  arch/x86_64/traps.o arch/x86_64/serial.o arch/x86_64/setup.o \
	  arch/x86_64/mm.o arch/x86_64/apic.o arch/x86_64/irq.o \
	  arch/x86_64/tsc.o arch/x86_64/smpboot.o arch/x86_64/smp.o \
	  arch/x86_64/idle.o arch/x86_64/cpu_plan.o arch/x86_64/mce.o \
	  arch/x86_64/io_apic.o arch/x86_64/lowmem.o arch/x86_64/cpu_quirks.o \
	  arch/x86_64/tsc_cpuid.o arch/x86_64/hypervisor.o \
	  arch/x86_64/x2apic_cluster.o
