/* SPDX-License-Identifier: MIT */
/*
 * In-kernel benchmarks of the cross-CPU call path (kernel/bench.c),
 * against two floors measured in the same run. Each result is one line:
 * "BENCH " and a JSON object (the fields are listed in kernel/bench.c),
 * for tools/bench.py to collect.
 */
#ifndef XCALL_BENCH_H
#define XCALL_BENCH_H

#include <xcall/types.h>

/**
 * bench_selected() - did the options ask for the benchmarks?
 *
 * Context: any, after the options are parsed.
 * Return: true when the bench option is set.
 */
bool bench_selected(void);

/**
 * bench_run_all() - run every benchmark and print its BENCH line
 *
 * Context: boot CPU, interrupts on, after bring-up; the other CPUs idle.
 * Return: how many benchmarks could not finish (a CPU did not answer).
 */
unsigned int bench_run_all(void);

#endif /* XCALL_BENCH_H */
