# SPDX-License-Identifier: MIT
#
# xcall: one Makefile for the kernel, the ISO, the host tests and the QEMU
# runs. Each source directory lists its objects in its build.mk.
#
#   make            build/xcall.elf and build/xcall.iso
#   make run        boot the ISO in QEMU (SMP=4), run the self-tests
#   make test       host unit tests, then the QEMU boot matrix
#   make bench      xcall and Linux side by side: tables and plots in build/bench/
#   make bench-scale bring-up and on_each_cpu against the CPU count, both kernels
#   make linux-bench the Linux side alone: module and initramfs in build/linux/
#   make torture    the torture suite, TORTURE_S seconds per boot
#   make trace      a traced call scenario: build/trace/trace.json and a timeline
#   make debug      QEMU waiting for gdb (see tools/gdbinit)
#   make deps       install what building and running need (scripts/install-deps.sh)
#   make xcall-acpi build/host/xcall-acpi, the ACPI plan tool
#   make preflight  what xcall would do on this machine (its ACPI tables)
#   make fuzz       fuzz the ACPI parsers and the plan for FUZZ_S seconds
#
# A plain `make` never installs anything: when a tool is missing it stops
# and names the command that installs it. run, test, bench, debug and deps
# install what is missing first, through the distribution's packages.
#
# Variables: `make help` lists them. The runner checks SMP, ACCEL,
# FIRMWARE, MACHINE, CPU and TIMEOUT before QEMU starts, and names the
# variable in its message when one is wrong.

BUILD		?= build
SMP		?= 4
ACCEL		?= tcg
FIRMWARE	?= bios
MACHINE		?= q35
CPU		?=
TIMEOUT		?=
OPTS		?=
# 1: a boot fails when the kernel refuses one of its options. make test is
# strict unless STRICT=0; make run only reports them unless STRICT=1.
STRICT		?=
NR_CPUS		?= 512
# 1: the trace hooks are compiled in, off until the trace option; 0: they
# compile to nothing and the trace options are refused (kernel/trace.c).
TRACE		?= 1
PYTHON		?= python3

ifeq ($(V),1)
Q :=
else
Q := @
endif

# The toolchain: the host's GCC and binutils by default, CROSS_COMPILE for
# an x86_64-elf cross toolchain, CC=clang for LLVM.
CROSS_COMPILE	?=
ifeq ($(origin CC),default)
CC		:= $(CROSS_COMPILE)gcc
endif
LD		:= $(CROSS_COMPILE)ld
OBJCOPY		:= $(CROSS_COMPILE)objcopy
NM		:= $(CROSS_COMPILE)nm
READELF		:= $(CROSS_COMPILE)readelf

# Freestanding, no SSE or x87 (the kernel never saves FPU state), frame
# pointers kept for the backtrace, warnings are errors.
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib \
	   -fno-pic -fno-pie -fno-stack-protector -fno-common \
	   -fno-strict-aliasing -fno-omit-frame-pointer \
	   -fno-asynchronous-unwind-tables -fno-delete-null-pointer-checks \
	   -m64 -mcmodel=small -mno-red-zone -mno-mmx -mno-sse -mno-sse2 \
	   -mno-3dnow -mno-avx -mno-80387 \
	   -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
	   -Wmissing-prototypes -Wvla \
	   -Iinclude -Iarch/x86_64/include -DNR_CPUS=$(NR_CPUS)
ifeq ($(filter 0 1,$(TRACE)),)
$(error TRACE='$(TRACE)': give TRACE=1 (trace hooks compiled in, the default) or TRACE=0 (compiled out))
endif
KCFLAGS += -DCONFIG_TRACE=$(TRACE)
KAFLAGS := -m64 -D__ASSEMBLY__ -Iinclude -Iarch/x86_64/include -DNR_CPUS=$(NR_CPUS)
LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	   --no-warn-rwx-segments

# Objects: each directory appends to objs-y.
objs-y :=
include boot/build.mk arch/x86_64/build.mk kernel/build.mk lib/build.mk tests/build.mk
OBJS := $(addprefix $(BUILD)/,$(objs-y))

# The flags stamp: every compiler and flag an object is built with, one
# line. Make compares dates, not the command line that built a file, so
# `make NR_CPUS=8` after `make` would keep objects built for 512 CPUs,
# while the runner takes --max-cpus $(NR_CPUS) as the truth about the
# kernel. The stamp is rewritten only when its text changes (NR_CPUS, TRACE, CC,
# CROSS_COMPILE, HOST_CC, any flag): then its date is new and every object
# that depends on it is built again, as Linux's .cmd files make happen;
# otherwise it keeps its date and nothing rebuilds. Recursive (=), as
# HOST_CFLAGS and FUZZ_CC are only set by the files included below.
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW = $(CC) $(KCFLAGS) | $(KAFLAGS) | $(LD) $(LDFLAGS) | \
	    $(ANALYZER_CC) | $(HOST_CC) $(HOST_CFLAGS) | $(FUZZ_CC)
MAKEFILE_DEPS := Makefile $(FLAGS_STAMP)

.PHONY: all kernel iso run test bench torture trace debug clean host-tests deps deps-run \
	help linux-bench bench-scale
all: iso

# One line per target and variable, with each variable's value now.
HELP_LINE := printf '  %-22s %s\n'
# A value in single quotes for the shell, whatever quotes it holds itself.
shell_quote = '$(subst ','\'',$(1))'
help:
	@echo "Targets:"
	@$(HELP_LINE) "make" "build $(BUILD)/xcall.elf and $(BUILD)/xcall.iso (installs nothing)"
	@$(HELP_LINE) "make run" "boot the ISO in QEMU once and judge its self-tests"
	@$(HELP_LINE) "make test" "host tests, the tools' self-tests, then the QEMU boot matrix"
	@$(HELP_LINE) "make bench" "xcall beside Linux, interleaved: tables and plots in $(BUILD)/bench/"
	@$(HELP_LINE) "make bench-scale" "bring-up and on_each_cpu at 2-288 CPUs, xcall and Linux: $(BUILD)/bench/scale.json"
	@$(HELP_LINE) "make linux-bench" "build the Linux side alone (module, initramfs) in $(BUILD)/linux/"
	@$(HELP_LINE) "make torture" "calls under CPU hotplug: -smp 4 and 8, xAPIC and x2APIC"
	@$(HELP_LINE) "make trace" "trace a call scenario: $(BUILD)/trace/trace.json (Perfetto), SVG, PNG"
	@$(HELP_LINE) "make debug" "QEMU stopped at its first instruction, for gdb on :1234"
	@$(HELP_LINE) "make check" "kernel-doc, cppcheck and gcc -fanalyzer"
	@$(HELP_LINE) "make host-tests" "build the host unit tests"
	@$(HELP_LINE) "make deps" "install what building and running need"
	@$(HELP_LINE) "make clean" "remove $(BUILD)/"
	@echo "Variables, with their values now (run, debug; test takes ACCEL):"
	@$(HELP_LINE) $(call shell_quote,SMP=$(SMP)) "CPUs: 1 to NR_CPUS, or a topology such as 6,sockets=2,cores=3"
	@$(HELP_LINE) $(call shell_quote,ACCEL=$(ACCEL)) "tcg (QEMU's emulator) or kvm"
	@$(HELP_LINE) $(call shell_quote,FIRMWARE=$(FIRMWARE)) "bios (SeaBIOS) or uefi (OVMF)"
	@$(HELP_LINE) $(call shell_quote,MACHINE=$(MACHINE)) "q35, or pc (at most 255 CPUs)"
	@$(HELP_LINE) $(call shell_quote,CPU=$(CPU)) "QEMU -cpu model and flags (default qemu64; host with kvm)"
	@$(HELP_LINE) $(call shell_quote,TIMEOUT=$(TIMEOUT)) "seconds until a boot is failed (default 120; 180 with uefi)"
	@$(HELP_LINE) $(call shell_quote,OPTS=$(OPTS)) "kernel options, such as OPTS=\"idle=poll selftest=smp_call\""
	@$(HELP_LINE) $(call shell_quote,STRICT=$(STRICT)) "1: fail a boot whose options the kernel refused (test: 1, run: 0)"
	@$(HELP_LINE) $(call shell_quote,REPS=$(REPS)) "make bench: rounds of interleaved xcall and Linux boots"
	@$(HELP_LINE) $(call shell_quote,ITERS=$(ITERS)) "make bench: samples per figure (default: the kernels' 1000)"
	@$(HELP_LINE) $(call shell_quote,NO_PLOTS=$(NO_PLOTS)) "1: make bench without plots, make trace without its PNG (no matplotlib)"
	@$(HELP_LINE) $(call shell_quote,SCALE_SMP=$(SCALE_SMP)) "make bench-scale: the CPU counts"
	@$(HELP_LINE) $(call shell_quote,LINUX_SCALE_MAX_CPUS=$(LINUX_SCALE_MAX_CPUS)) "make bench-scale: no Linux boot above this many CPUs"
	@$(HELP_LINE) $(call shell_quote,LINUX_VERSION=$(LINUX_VERSION)) "linux-bench: the kernel release to build for (default: linux-image-amd64's)"
	@$(HELP_LINE) $(call shell_quote,TORTURE_S=$(TORTURE_S)) "make torture: seconds per boot (SMP= and APIC= narrow its boots)"
	@$(HELP_LINE) $(call shell_quote,APIC=$(APIC)) "make torture: xapic, x2apic, or both"
	@$(HELP_LINE) $(call shell_quote,TCG_THREAD=$(TCG_THREAD)) "make torture under TCG: single (one host thread runs every vCPU), multi, or both (default)"
	@$(HELP_LINE) $(call shell_quote,NR_CPUS=$(NR_CPUS)) "the most CPUs the kernel is built for"
	@$(HELP_LINE) $(call shell_quote,TRACE=$(TRACE)) "1: trace hooks compiled in (off until the trace option); 0: compiled out, trace options refused"
	@$(HELP_LINE) $(call shell_quote,BUILD=$(BUILD)) "where the objects, the ISO and the logs go"
	@$(HELP_LINE) "CC= CROSS_COMPILE=" "the compiler: gcc, clang, or an x86_64-elf- toolchain"
	@$(HELP_LINE) "V=1" "show each command"

kernel: $(BUILD)/xcall.elf
iso: $(BUILD)/xcall.iso

.PHONY: FORCE
$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(FLAGS_NOW)' | cmp -s - $@ 2>/dev/null || \
		printf '%s\n' '$(FLAGS_NOW)' > $@

$(BUILD)/%.o: %.c $(MAKEFILE_DEPS) | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.S $(MAKEFILE_DEPS) | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KAFLAGS) -MMD -MP -c $< -o $@

# The AP trampoline runs wherever it is copied, so its section must hold no
# relocation: every address in it is patched in at run time or relative.
$(BUILD)/boot/trampoline.ok: $(BUILD)/boot/trampoline.o
	$(Q)if $(READELF) -rW $< | grep -q "Relocation section '.rela.trampoline'"; then \
		echo "boot/trampoline.S: relocations in .trampoline:"; \
		$(READELF) -rW $<; exit 1; fi
	@touch $@

# Two links: the first finds every symbol's address, the second adds the
# symbol table (for backtraces and stuck-call reports). The table sits
# last in the image, so no other symbol moves; the check proves it.
$(BUILD)/xcall.elf: $(OBJS) linker.ld $(BUILD)/boot/trampoline.ok tools/ksyms.py
	$(Q)$(PYTHON) tools/ksyms.py --empty > $(BUILD)/ksyms0.S
	$(Q)$(CC) $(KAFLAGS) -c $(BUILD)/ksyms0.S -o $(BUILD)/ksyms0.o
	$(Q)$(LD) $(LDFLAGS) -T linker.ld -o $(BUILD)/xcall.pass1.elf $(OBJS) $(BUILD)/ksyms0.o
	$(Q)$(NM) -n $(BUILD)/xcall.pass1.elf | $(PYTHON) tools/ksyms.py > $(BUILD)/ksyms.S
	$(Q)$(CC) $(KAFLAGS) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(Q)$(LD) $(LDFLAGS) -T linker.ld -o $@ $(OBJS) $(BUILD)/ksyms.o
	$(Q)$(NM) -n $(BUILD)/xcall.pass1.elf | grep -Ev ' (__ksym|__kernel_end)' > $(BUILD)/nm1.txt
	$(Q)$(NM) -n $@ | grep -Ev ' (__ksym|__kernel_end)' > $(BUILD)/nm2.txt
	$(Q)cmp -s $(BUILD)/nm1.txt $(BUILD)/nm2.txt || \
		{ echo "ksyms: symbols moved between links"; diff $(BUILD)/nm1.txt $(BUILD)/nm2.txt | head; exit 1; }
	@echo "  LD      $@"

# The ISO: GRUB for BIOS and UEFI in one hybrid image, the kernel, and a
# console font from the distribution for the framebuffer console.
FONT_SRC ?= /usr/share/consolefonts/Lat15-VGA16.psf.gz
ISO_DIR := $(BUILD)/iso

$(BUILD)/xcall.iso: $(BUILD)/xcall.elf iso/grub.cfg $(BUILD)/.deps-build
	@rm -rf $(ISO_DIR) && mkdir -p $(ISO_DIR)/boot/grub
	$(Q)cp $(BUILD)/xcall.elf $(ISO_DIR)/boot/xcall.elf
	$(Q)cp iso/grub.cfg $(ISO_DIR)/boot/grub/grub.cfg
	$(Q)gzip -dc $(FONT_SRC) > $(ISO_DIR)/boot/font.psf
	$(Q)grub-mkrescue -o $@ $(ISO_DIR) >$(BUILD)/grub-mkrescue.log 2>&1 || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }
	@echo "  ISO     $@"

# Tools. Building only checks: a build that installed packages behind the
# user's back (with sudo) would be a surprise, so a plain `make` stops,
# naming what is missing and the command that installs it. The goals that
# run something keep the two-command promise (`make run` on a fresh
# machine works): with one of them on the command line the build's own
# check installs first, so every object, which waits for the check, is
# built after the install. The stamps chain so that no two installers run
# at once under -j (apt-get holds one lock).
INSTALL_GOALS := run test bench bench-scale torture trace debug deps check% fuzz linux-bench
DEPS_INSTALL := $(if $(filter $(INSTALL_GOALS),$(MAKECMDGOALS)),1)

# deps_for(purpose, goal): install the purpose's packages when this make
# may, then stop unless everything is there, naming the missing packages,
# the make goal that installs them and the script it runs.
define deps_for
	@mkdir -p $(BUILD)
	$(if $(DEPS_INSTALL),$(Q)scripts/install-deps.sh --check $(1) >/dev/null || \
		scripts/install-deps.sh $(1))
	$(Q)missing=$$(scripts/install-deps.sh --check $(1)) || { \
		echo "make: missing $(1) packages: $$missing. Install them with" \
		     "'make $(2)' or 'scripts/install-deps.sh $(1)' (sudo if not root);" \
		     "a plain make installs nothing." >&2; \
		exit 1; }
	@touch $@
endef

$(BUILD)/.deps-build: scripts/install-deps.sh
	$(call deps_for,build,deps)

$(BUILD)/.deps-run: scripts/install-deps.sh | $(BUILD)/.deps-build
	$(call deps_for,run,deps)

$(BUILD)/.deps-bench: scripts/install-deps.sh | $(BUILD)/.deps-run
	$(call deps_for,bench,bench)

$(BUILD)/.deps-linux: scripts/install-deps.sh | $(BUILD)/.deps-run
	$(call deps_for,linux,linux-bench)

deps: $(BUILD)/.deps-build $(BUILD)/.deps-run $(BUILD)/.deps-check \
      $(BUILD)/.deps-test $(BUILD)/.deps-fuzz $(BUILD)/.deps-linux

# The Linux side of the benchmark (bench/linux/): xcall_bench.ko built
# against Debian's headers and its busybox initramfs, from scratch each
# time, into $(BUILD)/linux/ beside the ISO, where the runner finds them.
# LINUX_VERSION=REL builds for another installed kernel release.
LINUX_VERSION	?=
linux-bench: $(BUILD)/.deps-linux
	$(Q)LINUX_VERSION='$(LINUX_VERSION)' bench/linux/build.sh $(BUILD)/linux

include tests/host/host.mk
# The host tests are built with the same compiler: after the check too.
$(HOST_TESTS) $(HOST_ASAN_LIB_OBJS) $(HOST_TSAN_LIB_OBJS): | $(BUILD)/.deps-build
include tools/acpi/build.mk
include tests/fuzz/fuzz.mk

RUNNER := $(PYTHON) tools/xcall.py
# The ISO and the logs of this build directory: with BUILD=dir, what is
# booted is what was just built there.
RUN_FILES := --iso $(BUILD)/xcall.iso --logs $(BUILD)/logs
# One boot's settings reach the runner through the environment, each as
# it was given. Make puts an exported variable's value in the environment
# as it is, and "$$XCALL_SMP" in a recipe is one word whose value the
# shell never reads as shell: SMP="a'b" and OPTS="idle='hlt'" arrive as
# typed, where quoting them into the command line gave a shell syntax
# error and lost quotes. The runner checks them and names the make
# variable (--make) when one is wrong.
run debug test: export XCALL_SMP = $(SMP)
run debug test: export XCALL_ACCEL = $(ACCEL)
run debug test: export XCALL_FIRMWARE = $(FIRMWARE)
run debug test: export XCALL_MACHINE = $(MACHINE)
run debug test: export XCALL_CPU = $(CPU)
run debug test: export XCALL_TIMEOUT = $(TIMEOUT)
run debug test: export XCALL_OPTS = $(OPTS)
run debug test: export XCALL_NR_CPUS = $(NR_CPUS)
run debug: export XCALL_STRICT = $(or $(STRICT),0)
test: export XCALL_STRICT = $(or $(STRICT),1)
BOOT_VARS = --make --smp "$$XCALL_SMP" --accel "$$XCALL_ACCEL" \
	    --firmware "$$XCALL_FIRMWARE" --machine "$$XCALL_MACHINE" \
	    --cpu "$$XCALL_CPU" --timeout "$$XCALL_TIMEOUT" --opts "$$XCALL_OPTS" \
	    --max-cpus "$$XCALL_NR_CPUS" --strict "$$XCALL_STRICT" $(RUN_FILES)

run: $(BUILD)/xcall.iso $(BUILD)/.deps-run
	$(Q)$(RUNNER) run $(BOOT_VARS)

# The matrix's Linux boot checks the Linux side's lines: built first.
test: $(BUILD)/xcall.iso $(BUILD)/.deps-run host-tests linux-bench
	$(Q)$(RUNNER) test --make --accel "$$XCALL_ACCEL" --strict "$$XCALL_STRICT" \
	    $(RUN_FILES) --host $(HOST_TESTS) tools/xcall_tool_test.py

# NO_PLOTS=1: the tables and results.json only, without matplotlib (and
# without installing it).
NO_PLOTS	?=
BENCH_PLOTS	:= $(if $(filter 1,$(NO_PLOTS)),,$(BUILD)/.deps-bench)

# REPS: rounds of interleaved boots (xcall, Linux, xcall, Linux, ...);
# ITERS: samples per figure (empty: the kernels' 1000).
REPS		?= 3
ITERS		?= 300
bench: $(BUILD)/xcall.iso $(BUILD)/.deps-run $(BENCH_PLOTS) linux-bench
	$(Q)$(PYTHON) tools/bench.py --accel $(ACCEL) --iso $(BUILD)/xcall.iso --out $(BUILD)/bench \
	    --reps $(REPS) $(if $(ITERS),--iters $(ITERS)) $(if $(filter 1,$(NO_PLOTS)),--no-plots)

# make bench-scale: tools/bench_scale.py, one boot per kernel and CPU
# count (q35, idle=hlt; x2APIC above 255 CPUs), samples scaled down with
# the CPU count; Linux only up to LINUX_SCALE_MAX_CPUS (its boot under TCG
# grows to minutes with the CPU count).
SCALE_SMP		?= 2,4,8,16,64,288
LINUX_SCALE_MAX_CPUS	?= 64
bench-scale: $(BUILD)/xcall.iso $(BUILD)/.deps-run $(BENCH_PLOTS) linux-bench
	$(Q)$(PYTHON) tools/bench_scale.py --accel $(ACCEL) --iso $(BUILD)/xcall.iso \
	    --out $(BUILD)/bench --smp $(call shell_quote,$(SCALE_SMP)) --linux-max-cpus $(call shell_quote,$(LINUX_SCALE_MAX_CPUS)) \
	    --max-cpus $(call shell_quote,$(NR_CPUS)) $(if $(filter 1,$(NO_PLOTS)),--no-plots)

debug: $(BUILD)/xcall.iso $(BUILD)/.deps-run
	$(Q)$(RUNNER) debug $(BOOT_VARS)

# make torture: tests/test_torture.c for TORTURE_S seconds, one boot per
# CPU count and APIC mode, one after the other. SMP=N given on the command
# line (or in the environment) runs that count only; APIC=xapic or x2apic
# one mode only. xAPIC is asked of the kernel (nox2apic), x2APIC of the
# CPU model (+x2apic; QEMU 9.0 or later under TCG). Each boot gets
# TORTURE_S plus room for booting and draining on a loaded host; all run,
# and the target fails if any did. The settings reach the recipe through
# the environment, as run's do, and the shell neither globs nor evaluates
# them.
# TCG_THREAD: each boot runs once per TCG threading mode listed. single
# runs every vCPU on one host thread, in turn: a vCPU that spins with
# PAUSE hands over at once, so a waited call costs its target's turn, not
# a host time slice, and the calls run by the million. multi (QEMU's
# default) gives each vCPU a host thread: the vCPUs really run at once,
# so stores can pass each other as on hardware, but with more vCPUs than
# host cores nearly all the time goes into waits for a core. Each mode
# tests what the other cannot, so both run by default; the README gives
# the figures. make test's ten-second torture boot keeps multi. Under
# ACCEL=kvm there is no TCG: one boot each, TCG_THREAD ignored.
TORTURE_S	?= 60
TORTURE_SLACK_S	:= 240
APIC		?= xapic x2apic
TCG_THREAD	?= single multi
torture: export XCALL_TORTURE_S = $(TORTURE_S)
torture: export XCALL_TORTURE_SMPS = $(if $(filter command line environment,$(origin SMP)),$(SMP),4 8)
torture: export XCALL_APIC = $(APIC)
torture: export XCALL_X2APIC_CPU = $(or $(CPU),$(if $(filter kvm,$(ACCEL)),host,qemu64)),+x2apic
torture: export XCALL_ACCEL = $(ACCEL)
torture: export XCALL_FIRMWARE = $(FIRMWARE)
torture: export XCALL_MACHINE = $(MACHINE)
torture: export XCALL_CPU = $(CPU)
torture: export XCALL_OPTS = $(OPTS)
torture: export XCALL_NR_CPUS = $(NR_CPUS)
torture: export XCALL_TCG_THREAD = $(TCG_THREAD)

torture: $(BUILD)/xcall.iso $(BUILD)/.deps-run
	$(Q)set -f; case "$$XCALL_TORTURE_S" in ''|*[!0-9]*) \
		echo "make: TORTURE_S=$$XCALL_TORTURE_S: a whole number of seconds" >&2; exit 1 ;; \
	esac; \
	for thread in $$XCALL_TCG_THREAD; do case "$$thread" in single|multi) ;; \
		*) echo "make: TCG_THREAD=$$thread: single, multi, or both (\"single multi\")" >&2; exit 1 ;; \
	esac; done; \
	threads=$$XCALL_TCG_THREAD; [ "$$XCALL_ACCEL" != kvm ] || threads=none; \
	failed=0; for smp in $$XCALL_TORTURE_SMPS; do for apic in $$XCALL_APIC; do \
	for thread in $$threads; do \
		case "$$apic" in \
		xapic) cpu=$$XCALL_CPU; opts=nox2apic ;; \
		x2apic) cpu=$$XCALL_X2APIC_CPU; opts= ;; \
		*) echo "make: APIC=$$apic: xapic or x2apic" >&2; exit 1 ;; \
		esac; \
		if [ "$$thread" = none ]; then thread=; mode=; \
		else mode=", TCG_THREAD=$$thread"; fi; \
		echo "make torture: -smp $$smp, $$apic, $$XCALL_TORTURE_S s$$mode"; \
		$(RUNNER) run --make --smp "$$smp" --accel "$$XCALL_ACCEL" \
		    --firmware "$$XCALL_FIRMWARE" --machine "$$XCALL_MACHINE" --cpu "$$cpu" \
		    --timeout "$$((XCALL_TORTURE_S + $(TORTURE_SLACK_S)))" \
		    --opts "selftest=torture torture_s=$$XCALL_TORTURE_S $$opts $$XCALL_OPTS" \
		    --max-cpus "$$XCALL_NR_CPUS" --tcg-thread "$$thread" \
		    --strict 1 $(RUN_FILES) || failed=1; \
	done; done; done; exit $$failed

# make trace: one boot at SMP CPUs running the kernel's trace scenario
# (options trace_scenario selftest=off), its dump turned into
# $(BUILD)/trace/trace.json (Chrome trace events: Perfetto,
# chrome://tracing), timeline.svg and timeline.png (matplotlib, as make
# bench's plots; NO_PLOTS=1 leaves the PNG out), checked as the matrix's
# trace-smp4 boot checks its own (tools/xcall_trace.py).
trace: export XCALL_SMP = $(SMP)
trace: export XCALL_ACCEL = $(ACCEL)
trace: export XCALL_TIMEOUT = $(TIMEOUT)
trace: $(BUILD)/xcall.iso $(BUILD)/.deps-run $(BENCH_PLOTS)
	$(Q)$(PYTHON) tools/xcall_trace.py --smp "$$XCALL_SMP" --accel "$$XCALL_ACCEL" \
	    --timeout "$$XCALL_TIMEOUT" --iso $(BUILD)/xcall.iso --out $(BUILD)/trace \
	    $(if $(filter 1,$(NO_PLOTS)),--no-png)

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d)

# ---- make check: the habits kernel engineers rely on ----
# Any finding fails the target. A false positive is suppressed where it
# occurs, with the reason beside it: for cppcheck a comment
# "cppcheck-suppress <id> ; <why>" on the line before, for GCC a narrow
# #pragma GCC diagnostic with a comment (or code that says it plainer).
#   kernel-doc  tools/kernel_doc.py, after its own unit tests
#   cppcheck    kernel/, lib/, arch/, tests/ as the kernel builds them,
#               then tests/host/ as the host tests build it
#   analyzer    gcc -fanalyzer over kernel/ and lib/, compile only, with
#               the kernel's flags (-Werror among them); one job per file,
#               redone when the file or a header it includes changes
.PHONY: check check-kernel-doc check-cppcheck check-cppcheck-host check-analyzer

CHECK_DIR	:= $(BUILD)/check
ANALYZER_CC	:= $(CROSS_COMPILE)gcc
ANALYZER_OKS	:= $(patsubst %.c,$(CHECK_DIR)/analyzer/%.ok,$(wildcard kernel/*.c lib/*.c))

# C11 with --library=gnu: the kernel is GNU C (statement expressions,
# __builtin_*, attributes). -D pins one configuration, the one that is
# built. "information" is on only for unmatchedSuppression, so that a
# suppression outliving its finding fails too; missingIncludeSystem is
# the compiler's own headers, which cppcheck does not need.
CPPCHECK	:= cppcheck -q --std=c11 --library=gnu --platform=unix64 \
		   --enable=warning,performance,portability,information \
		   --suppress=missingIncludeSystem --inline-suppr --error-exitcode=1 \
		   --template='{file}:{line}: {severity}: {message} [{id}]'

# -k: every checker runs and reports, even after one has failed.
check:
	$(Q)$(MAKE) --no-print-directory -k check-kernel-doc check-cppcheck \
		check-cppcheck-host check-analyzer

check-kernel-doc: $(BUILD)/.deps-check
	@mkdir -p $(CHECK_DIR)
	@echo "  KDOC    tools/kernel_doc_test.py"
	$(Q)$(PYTHON) tools/kernel_doc_test.py >$(CHECK_DIR)/kernel_doc_test.log 2>&1 || \
		{ cat $(CHECK_DIR)/kernel_doc_test.log; exit 1; }
	@echo "  KDOC    include/ kernel/ lib/ arch/ tests/"
	$(Q)$(PYTHON) tools/kernel_doc.py

check-cppcheck: $(BUILD)/.deps-check
	@echo "  CPPCHK  kernel/ lib/ arch/ tests/"
	$(Q)$(CPPCHECK) -Iinclude -Iarch/x86_64/include -DNR_CPUS=$(NR_CPUS) -DCONFIG_TRACE=$(TRACE) \
		kernel lib arch $(wildcard tests/*.c)

check-cppcheck-host: $(BUILD)/.deps-check
	@echo "  CPPCHK  tests/host/"
	$(Q)$(CPPCHECK) -Iinclude -Itests/host -Itools/acpi -Iarch/x86_64/include \
		-DXCALL_HOST_TEST -DNR_CPUS=$(NR_CPUS) tests/host

check-analyzer: $(ANALYZER_OKS)
	@echo "  ANALYZE kernel/ lib/ ($(words $(ANALYZER_OKS)) files)"

$(CHECK_DIR)/analyzer/%.ok: %.c $(MAKEFILE_DEPS) | $(BUILD)/.deps-check
	@mkdir -p $(dir $@)
	$(Q)$(ANALYZER_CC) $(KCFLAGS) -fanalyzer -MMD -MP -MF $(@:.ok=.d) -MT $@ \
		-c $< -o /dev/null
	@touch $@

$(BUILD)/.deps-check: scripts/install-deps.sh | $(BUILD)/.deps-run
	@mkdir -p $(CHECK_DIR)
	$(call deps_for,check,check)

-include $(ANALYZER_OKS:.ok=.d)
