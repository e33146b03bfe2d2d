/* SPDX-License-Identifier: MIT */
/*
 * The core-to-core matrix (kernel/bench_matrix.c): for every ordered pair
 * of online CPUs, caller and target, the cache-line ping-pong, the bare
 * IPI and the smp_call_function_single(wait=1) round trips, printed as
 * MATRIX lines for tools/bench_matrix.py and drawn as heatmaps on the
 * framebuffer console. Part of the benchmarks (option bench).
 */
#ifndef XCALL_BENCH_MATRIX_H
#define XCALL_BENCH_MATRIX_H

/**
 * bench_matrix_run() - measure every pair, print the lines, draw the screen
 *
 * Does nothing (and says so) when bench_matrix_iters=0, with one CPU, or
 * with more CPUs than the matrix shows. On a framebuffer console it
 * draws the three heatmaps, prints one SCREEN line per thing drawn, and
 * keeps the picture bench_matrix_hold_s seconds before going on.
 * Context: boot CPU, interrupts on, after bring-up; the other CPUs idle.
 * Return: how many pairs could not be measured (a CPU did not answer or
 * refused the work).
 */
unsigned int bench_matrix_run(void);

#endif /* XCALL_BENCH_MATRIX_H */
