/* smp=N: start every CPU QEMU was given (the architecture's way: smp_start.c
 * there) and have each, the booting one included, call guest_loop_target()
 * N times, so a debugger sees the same breakpoint hit on several threads.
 * Only the booting CPU prints. */
#include "actions.h"
#include "arch.h"
#include "fmt.h"
#include "hooks.h"
#include "script.h"
#include "smp.h"

#define START_TIMEOUT_MS 1000

enum cpu_state { CPU_EXPECTED, CPU_STARTED, CPU_ABANDONED };

char smp_ap_stacks[SMP_MAX_CPUS][SMP_STACK_SIZE] __attribute__((aligned(16)));

/* Started CPUs wait for smp_go after reporting, so none reaches
 * guest_loop_target() (and no debugger stop eats into the start-up timeout)
 * until the booting CPU has finished waiting for the others. */
static int smp_go;
static unsigned smp_done;
static uint64_t smp_calls;

/* Indexed by CPU ID. A CPU moves itself from EXPECTED to STARTED, the booting
 * one moves a late one to ABANDONED; the compare-exchange decides who was
 * first, so a CPU given up on never runs its calls. */
static int cpu_state[SMP_MAX_CPUS];

/* The argument tells the CPU and the iteration apart: cpu << 32 | i, so the
 * booting CPU (ID 0) passes the same values as loop=N. */
static void run_calls(unsigned cpu)
{
	for (uint64_t i = 0; i < smp_calls; i++)
		guest_loop_target((unsigned long)cpu << 32 | i);
}

void smp_ap_main(unsigned cpu)
{
	int expected = CPU_EXPECTED;

	if (__atomic_compare_exchange_n(&cpu_state[cpu], &expected,
					CPU_STARTED, 0, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		while (!__atomic_load_n(&smp_go, __ATOMIC_ACQUIRE))
			cpu_relax();
		run_calls(cpu);
		__atomic_fetch_add(&smp_done, 1, __ATOMIC_RELEASE);
	}
	halt_forever();
}

static int all_reported(int cpus, unsigned self)
{
	for (int id = 0; id < cpus; id++)
		if ((unsigned)id != self &&
		    __atomic_load_n(&cpu_state[id], __ATOMIC_ACQUIRE) ==
			    CPU_EXPECTED)
			return 0;
	return 1;
}

/* Starts CPUs 0..cpus-1 but this one, then waits up to START_TIMEOUT_MS for
 * each to report. Returns how many did. */
static int start_cpus(int cpus, unsigned self)
{
	struct stopwatch w;
	int started = 0;

	smp_start_cpus(cpus, self);
	stopwatch_start(&w);
	while (!all_reported(cpus, self) &&
	       stopwatch_ms(&w) < START_TIMEOUT_MS)
		cpu_relax();
	for (int id = 0; id < cpus; id++) {
		int expected = CPU_EXPECTED;

		if ((unsigned)id == self)
			continue;
		if (__atomic_compare_exchange_n(&cpu_state[id], &expected,
						CPU_ABANDONED, 0,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			kprintf("smp: cpu %d did not start\n", id);
		else
			started++;
	}
	return started;
}

void act_smp(const char *v)
{
	uint64_t n;
	int cpus = cpu_count();
	int ran = 1;
	unsigned self = 0;

	/* The iteration must fit in the low half of the call's argument. */
	if (!script_number("smp", v, 0xffffffffULL, &n))
		return;
	if (cpus < 0) {
		kprintf("smp: unknown cpus\n");
		cpus = 1;
	}
	if (cpus > SMP_MAX_CPUS) {
		kprintf("smp: %d cpus, starting only %d\n", cpus,
			SMP_MAX_CPUS);
		cpus = SMP_MAX_CPUS;
	}
	if (cpus > 1)
		cpus = smp_usable_cpus(cpus, &self);

	smp_calls = n;
	__atomic_store_n(&smp_go, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&smp_done, 0, __ATOMIC_RELAXED);
	for (int id = 0; id < SMP_MAX_CPUS; id++)
		__atomic_store_n(&cpu_state[id], CPU_EXPECTED, __ATOMIC_RELAXED);

	unsigned long before = guest_loop_counter;

	if (cpus > 1)
		ran += start_cpus(cpus, self);
	__atomic_store_n(&smp_go, 1, __ATOMIC_RELEASE);
	run_calls(self);
	while (__atomic_load_n(&smp_done, __ATOMIC_ACQUIRE) < (unsigned)ran - 1)
		cpu_relax();

	unsigned long grew = guest_loop_counter - before;

	if (grew != (unsigned long)ran * n)
		kprintf("smp: guest_loop_counter grew by %lu, expected %lu\n",
			grew, (unsigned long)ran * n);
	kprintf("smp: %d cpus, %lu calls each\n", ran, (unsigned long)n);
}
