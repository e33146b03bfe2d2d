# SPDX-License-Identifier: MIT
objs-y += kernel/main.o kernel/printk.o kernel/panic.o kernel/options.o \
	  kernel/ksyms.o kernel/mm.o kernel/percpu.o kernel/cpu.o \
	  kernel/acpi.o kernel/time.o kernel/smpboot.o kernel/smp.o kernel/idle.o \
	  kernel/fbcon.o kernel/bench.o kernel/bench_matrix.o kernel/trace.o
