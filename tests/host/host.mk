# SPDX-License-Identifier: MIT
#
# Host unit tests for lib/: every tests/host/test_*.c becomes one binary,
# built with the host compiler under AddressSanitizer and UBSan and linked
# with every host-buildable lib/ source; every tests/host/tsan_*.c likewise
# under ThreadSanitizer (the two sanitizers cannot share a binary).
#
# Besides lib/, HOST_ARCH_SRCS lists the few arch/ files that are pure
# policy with no hardware access (the CPU plan, the low-memory window,
# the errata lists, the TSC's CPUID leaves, the hypervisor leaves, the x2APIC
# cluster arithmetic), built
# the same way. Their headers are found with -idirafter, behind the
# system's own, so the kernel's asm/ headers never stand in for the C
# library's.
#
# lib/ is compiled with its printf family renamed (xc_snprintf, ...) so it
# does not replace the C library's inside the test process; a test that
# checks the format engine calls the xc_ names and compares with libc.

HOST_CC		?= cc
HOST_BUILD	:= $(BUILD)/host
# lib/string.c is the kernel's C library; the host has its own.
HOST_LIB_SRCS	:= $(filter-out lib/string.c,$(wildcard lib/*.c))
HOST_ARCH_SRCS	:= arch/x86_64/cpu_plan.c arch/x86_64/lowmem.c \
		   arch/x86_64/cpu_quirks.c arch/x86_64/tsc_cpuid.c \
		   arch/x86_64/hypervisor.c arch/x86_64/x2apic_cluster.c
HOST_TEST_SRCS	:= $(wildcard tests/host/test_*.c)
HOST_TSAN_SRCS	:= $(wildcard tests/host/tsan_*.c)
HOST_TESTS	:= $(patsubst tests/host/%.c,$(HOST_BUILD)/%,$(HOST_TEST_SRCS) $(HOST_TSAN_SRCS))

HOST_CFLAGS	:= -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
		   -fno-omit-frame-pointer -Iinclude -Itests/host -DXCALL_HOST_TEST \
		   -idirafter arch/x86_64/include -DNR_CPUS=$(NR_CPUS)
HOST_RENAMES	:= -Dvsnprintf=xc_vsnprintf -Dsnprintf=xc_snprintf -Dscnprintf=xc_scnprintf
HOST_ASAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_TSAN	:= -fsanitize=thread

HOST_ASAN_LIB_OBJS := $(patsubst %.c,$(HOST_BUILD)/asan/%.o,$(HOST_LIB_SRCS) $(HOST_ARCH_SRCS))
HOST_TSAN_LIB_OBJS := $(patsubst %.c,$(HOST_BUILD)/tsan/%.o,$(HOST_LIB_SRCS) $(HOST_ARCH_SRCS))

$(HOST_BUILD)/asan/%.o: %.c $(MAKEFILE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_ASAN) $(HOST_RENAMES) -MMD -MP -c $< -o $@

$(HOST_BUILD)/tsan/%.o: %.c $(MAKEFILE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_TSAN) $(HOST_RENAMES) -MMD -MP -c $< -o $@

$(HOST_BUILD)/test_%: tests/host/test_%.c tests/host/check.c $(HOST_ASAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_ASAN) -MMD -MP $(filter %.c,$^) $(HOST_ASAN_LIB_OBJS) -o $@ -lpthread

$(HOST_BUILD)/tsan_%: tests/host/tsan_%.c tests/host/check.c $(HOST_TSAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_TSAN) -MMD -MP $(filter %.c,$^) $(HOST_TSAN_LIB_OBJS) -o $@ -lpthread

.PHONY: host-tests
host-tests: $(HOST_TESTS)

-include $(shell find $(HOST_BUILD) -name '*.d' 2>/dev/null)

# Keep the lib objects between runs; they are shared by every test binary.
.SECONDARY: $(HOST_ASAN_LIB_OBJS) $(HOST_TSAN_LIB_OBJS)
