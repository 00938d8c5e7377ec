/* smp=N's CPUs: the common part (smp.c) and what each architecture's start-up
 * code (smp_usable_cpus/smp_start_cpus in arch.h) hands its CPUs. */
#ifndef REF_SMP_H
#define REF_SMP_H

/* CPUs used at most, the booting one included; each other one gets a stack
 * of its own: CPU n's stack ends at smp_ap_stacks[n + 1]. */
#define SMP_MAX_CPUS 8
#define SMP_STACK_SIZE 16384

#ifndef __ASSEMBLER__
extern char smp_ap_stacks[SMP_MAX_CPUS][SMP_STACK_SIZE];

/* Where a started CPU goes, with its ID (0..SMP_MAX_CPUS-1). */
void smp_ap_main(unsigned cpu) __attribute__((noreturn));
#endif

#endif
