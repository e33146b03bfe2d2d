# SPDX-License-Identifier: MIT
#
# xcall-acpi, the host tool that prints what xcall would do on a machine
# from its ACPI tables (tools/acpi/xcall-acpi.c). It links the host build
# of lib/ and the CPU plan (tests/host/host.mk's objects), so it runs the
# kernel's own parsers and policy, under AddressSanitizer and UBSan like
# the host tests: a table that makes them read out of bounds stops it.
#
#   make xcall-acpi     build/host/xcall-acpi
#   make preflight      run it on this machine's tables

XCALL_ACPI	:= $(HOST_BUILD)/xcall-acpi
XCALL_ACPI_SRCS	:= tools/acpi/xcall-acpi.c tools/acpi/acpi_source.c

$(XCALL_ACPI): $(XCALL_ACPI_SRCS) $(HOST_ASAN_LIB_OBJS) $(MAKEFILE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_ASAN) -Itools/acpi -MMD -MP \
		$(XCALL_ACPI_SRCS) $(HOST_ASAN_LIB_OBJS) -o $@

.PHONY: xcall-acpi preflight
xcall-acpi: $(XCALL_ACPI)

# What xcall would do on this machine (tools/acpi/preflight.sh): the plan
# from ACPI_TABLES, or one line saying why it cannot tell (no tables, no
# way to read them, no usable MADT among them), exiting 1.
ACPI_TABLES	?= /sys/firmware/acpi/tables
preflight: $(XCALL_ACPI)
	$(Q)tools/acpi/preflight.sh $(XCALL_ACPI) $(ACPI_TABLES)

# The tool's own tests run it and preflight.sh as programs
# (tests/host/test_xcall_acpi.py, KTAP like the C host tests), and the
# corpus oracle runs it over every machine of LINUXHW and over synthetic
# machines it compiles with iasl, against iasl's decoding
# (tests/host/test_acpi_corpus.py; without iasl it skips, saying so); make
# test passes both to the runner. LINUXHW is relative to the repository
# root: CI clones the repository beside shared/. The default corpus may be
# absent (its cases skip, saying so); one named on the command line or in
# the environment must be there, so only then is it passed on
# (XCALL_LINUXHW), and its absence fails the test.
LINUXHW		?= ../shared/firmware/linuxhw
HOST_TESTS	+= tests/host/test_xcall_acpi.py tests/host/test_acpi_corpus.py
host-tests: $(XCALL_ACPI)
test: $(BUILD)/.deps-test
export XCALL_ACPI
ifneq ($(filter command line environment environment override,$(origin LINUXHW)),)
export XCALL_LINUXHW = $(LINUXHW)
endif

$(BUILD)/.deps-test: scripts/install-deps.sh | $(BUILD)/.deps-run
	$(call deps_for,test,test)

# The loader's own host test links the loader too.
$(HOST_BUILD)/test_acpi_source: tools/acpi/acpi_source.c tools/acpi/acpi_source.h
$(HOST_BUILD)/test_acpi_source: HOST_CFLAGS += -Itools/acpi
