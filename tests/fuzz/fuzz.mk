# SPDX-License-Identifier: MIT
#
# make fuzz [FUZZ_S=60]: fuzz the ACPI parsers and the CPU plan with
# libFuzzer for FUZZ_S seconds (tests/fuzz/fuzz_acpi.c), seeded with every
# machine of LINUXHW (its APIC, FACP, HPET and DMAR back to back). A
# finding (crash, sanitizer report, leak, timeout, a broken plan promise)
# fails the target and leaves the input in build/fuzz/ to reproduce with
#   build/fuzz/fuzz_acpi build/fuzz/crash-...
# New interesting inputs accumulate in build/fuzz/corpus between runs.
# Needs clang with libFuzzer (scripts/install-deps.sh fuzz).

FUZZ_S		?= 60
FUZZ_CC		?= clang
FUZZ_BUILD	:= $(BUILD)/fuzz
FUZZ_BIN	:= $(FUZZ_BUILD)/fuzz_acpi
FUZZ_SRCS	:= tests/fuzz/fuzz_acpi.c lib/acpi_tables.c lib/vsprintf.c \
		   arch/x86_64/cpu_plan.c
FUZZ_CFLAGS	:= -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
		   -fno-omit-frame-pointer -Iinclude -idirafter arch/x86_64/include \
		   -DNR_CPUS=$(NR_CPUS) $(HOST_RENAMES) \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(FUZZ_BIN): $(FUZZ_SRCS) $(MAKEFILE_DEPS) $(BUILD)/.deps-fuzz
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@

$(BUILD)/.deps-fuzz: scripts/install-deps.sh | $(BUILD)/.deps-run
	$(call deps_for,fuzz,fuzz)

# One seed per machine; none (and a note) without the corpus.
.PHONY: fuzz fuzz-seeds
fuzz-seeds:
	@mkdir -p $(FUZZ_BUILD)/seeds $(FUZZ_BUILD)/corpus
	$(Q)if [ -d "$(LINUXHW)" ]; then \
		for m in "$(LINUXHW)"/*/; do \
			cat "$$m"APIC.dat "$$m"FACP.dat $$(ls "$$m"HPET.dat "$$m"DMAR.dat 2>/dev/null) \
				> "$(FUZZ_BUILD)/seeds/$$(basename "$$m")" 2>/dev/null || true; \
		done; \
	else \
		echo "fuzz: no corpus at $(LINUXHW): starting without seeds"; \
	fi

fuzz: $(FUZZ_BIN) fuzz-seeds
	$(Q)$(FUZZ_BIN) -max_total_time=$(FUZZ_S) -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/ \
		$(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds
