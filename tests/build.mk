# SPDX-License-Identifier: MIT
objs-y += tests/ktest.o tests/test_boot.o tests/test_bringup.o \
	  tests/test_smp_call.o tests/test_smp_stress.o tests/test_hotplug.o \
	  tests/test_torture.o \
	  tests/test_llist.o \
	  tests/test_csd_timeout.o tests/test_fbcon.o \
	  tests/test_cpu_setup.o tests/test_nmi.o tests/test_trace.o \
	  tests/test_ipi_mask.o
