/* SPDX-License-Identifier: MIT */
/*
 * The idle loop (kernel/idle.c): how a CPU waits for calls, chosen by the
 * idle= option. The hardware side (halt, MWAIT) is the arch's.
 */
#ifndef XCALL_IDLE_H
#define XCALL_IDLE_H

#include <xcall/compiler.h>

/**
 * idle_init() - settle idle=auto for this machine
 *
 * Context: boot CPU, once, before the APs start.
 */
void idle_init(void);

/**
 * cpu_idle_loop() - what a CPU does when it has nothing to do
 *
 * Runs calls and the work smp_call_on_cpu() hands over, between waits.
 * Context: the CPU's own stack, after it is online.
 */
void cpu_idle_loop(void) __noreturn;

/**
 * idle_auto_choice() - what idle=auto picks on a given machine
 * @on_hypervisor: the machine is a virtual one
 * @dedicated_cpus: its hypervisor gives each vCPU a host CPU of its own
 *
 * The policy idle_init() applies, as a function of the two facts, so
 * that a test can check it on every kind of machine from any one.
 *
 * Context: any.
 * Return: "haltpoll" on a virtual machine with dedicated host CPUs,
 * "hlt" otherwise.
 */
const char *idle_auto_choice(bool on_hypervisor, bool dedicated_cpus);

/**
 * idle_method_is_auto() - did idle=auto choose the method in use?
 *
 * Context: any CPU, after idle_init().
 * Return: true when no idle= option was given, or idle=auto was.
 */
bool idle_method_is_auto(void);

/**
 * idle_method_name() - the idle= method in use
 *
 * Context: any CPU, after idle_init().
 * Return: "hlt", "poll" or "haltpoll".
 */
const char *idle_method_name(void);

#endif /* XCALL_IDLE_H */
