/* SPDX-License-Identifier: MIT */
/*
 * Longer work on another CPU (kernel/idle.c). A call's function runs in
 * interrupt context and must not wait for another CPU. Work that must (a
 * test or benchmark that itself sends waited-for calls) runs on the
 * target's idle loop instead, with interrupts on. Linux's
 * smp_call_on_cpu() does the same on a workqueue; xcall has no threads,
 * so the idle loop is where the work runs. That has a limit Linux does
 * not have: a CPU runs one piece of work at a time, so two pieces of work
 * that each wait for work on the other's CPU wait for ever.
 *
 * smp_call_on_cpu() is Linux's call. xcall adds a split form, started on
 * several CPUs and waited for afterwards, so that tests can run work on
 * every CPU at once (Linux would queue work items and flush them).
 */
#ifndef XCALL_SMP_CALL_ON_CPU_H
#define XCALL_SMP_CALL_ON_CPU_H

#include <xcall/types.h>

/**
 * struct smp_call_on_cpu_struct - one piece of work for another CPU
 * @func: the work; runs on the target's idle loop, interrupts on
 * @data: its argument
 * @ret: what @func returned, once done
 * @done: the kernel's own: pending, finished, or refused because the
 *        target already had work
 */
struct smp_call_on_cpu_struct {
	int (*func)(void *data);
	void *data;
	int ret;
	unsigned int done;
};

/**
 * smp_call_on_cpu() - run a function on a CPU's idle loop and wait for it
 * @cpu: the target CPU
 * @func: the function; on another CPU it runs with interrupts on and may
 *        send waited-for calls of its own; on the calling CPU it runs at
 *        once, in the caller's context
 * @par: its argument
 * @phys: Linux pins a virtual CPU to a physical one when this is set;
 *        xcall has no such notion, and takes it only to keep Linux's
 *        signature
 *
 * Like Linux's, the wait has no end: the work lives on this stack and
 * must not be given up while @cpu may still write to it. Every ten
 * seconds it says which CPU and function it is waiting for.
 * Context: interrupts on. On the calling CPU itself, runs @func at once.
 * Return: what @func returned; -ENXIO or -EDEADLK as
 * smp_call_function_single(..., 1) returns them (-ENXIO also when @cpu
 * was going down, cpu_down(), as the work arrived); -EBUSY when @cpu
 * still has work that has not started.
 */
int smp_call_on_cpu(unsigned int cpu, int (*func)(void *), void *par,
		    bool phys);

/**
 * smp_call_on_cpu_async() - hand work to a CPU's idle loop, do not wait
 * @cpu: the target CPU
 * @work: the work, with @func and @data set; the caller keeps it alive
 *        until smp_call_on_cpu_wait() says it is done
 *
 * Work accepted runs to its end before @cpu can go down (cpu_down()
 * waits for it): work that runs long should return once
 * cpu_online(smp_processor_id()) reads false.
 *
 * Context: interrupts on. On the calling CPU itself, runs the work at
 * once.
 * Return: 0; -EBUSY when @cpu still has work that has not started;
 * -ENXIO when @cpu is going down (out of cpu_online_mask), or -ENXIO or
 * -EDEADLK as smp_call_function_single(..., 1) returns them.
 */
int smp_call_on_cpu_async(unsigned int cpu, struct smp_call_on_cpu_struct *work);

/**
 * smp_call_on_cpu_wait() - wait for work handed over by
 * smp_call_on_cpu_async()
 * @work: the work
 * @timeout_ns: give up after this long
 *
 * After a timeout the target may still run the work: the caller must keep
 * @work alive (tests use static storage and stop there).
 * Context: any CPU that may wait.
 * Return: what the work's function returned, or -ETIMEDOUT.
 */
int smp_call_on_cpu_wait(struct smp_call_on_cpu_struct *work, u64 timeout_ns);

#endif /* XCALL_SMP_CALL_ON_CPU_H */
