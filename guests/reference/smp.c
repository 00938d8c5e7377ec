/* smp=N: start every CPU QEMU was given (INIT-SIPI-SIPI through the xAPIC)
 * and have each, the BSP included, call guest_loop_target() N times, so a
 * debugger sees the same breakpoint hit on several threads. Only the BSP
 * prints. */
#include "actions.h"
#include "fmt.h"
#include "fwcfg.h"
#include "hooks.h"
#include "io.h"
#include "pit.h"
#include "script.h"
#include "smp.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2APIC (1ULL << 10)
#define APIC_BASE_ENABLE (1ULL << 11)
#define APIC_BASE_ADDR 0xfffff000ULL	/* below 4 GiB under QEMU */

#define LAPIC_ID 0x20
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310

#define SVR_ENABLE 0x100
#define ICR_INIT 0x500
#define ICR_STARTUP 0x600
#define ICR_PENDING 0x1000
#define ICR_ASSERT 0x4000

#define START_TIMEOUT_MS 1000

enum cpu_state { CPU_EXPECTED, CPU_STARTED, CPU_ABANDONED };

uint32_t smp_boot_cr3;
struct smp_gdtr smp_boot_gdtr;
char smp_ap_stacks[SMP_MAX_CPUS][SMP_STACK_SIZE] __attribute__((aligned(16)));

/* APs wait for smp_go after reporting, so no AP reaches guest_loop_target()
 * (and no debugger stop eats into the start-up timeout) until the BSP has
 * finished waiting for the others. */
static int smp_go;
static unsigned smp_done;
static uint64_t smp_calls;
static uintptr_t lapic;

/* Indexed by APIC ID. An AP moves itself from EXPECTED to STARTED, the BSP
 * moves a late one to ABANDONED; the compare-exchange decides who was
 * first, so an AP the BSP gave up on never runs its calls. */
static int cpu_state[SMP_MAX_CPUS];

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static uint32_t lapic_read(unsigned reg)
{
	return *(volatile uint32_t *)(lapic + reg);
}

static void lapic_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(lapic + reg) = v;
}

/* Physical destination mode, no shorthand: exactly one target APIC ID. */
static void lapic_ipi(unsigned apic_id, uint32_t cmd)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, cmd);
	for (int i = 0; i < 1000000; i++) {
		if (!(lapic_read(LAPIC_ICR_LO) & ICR_PENDING))
			break;
		cpu_relax();
	}
}

/* The argument tells the CPU and the iteration apart: cpu << 32 | i, so the
 * BSP (APIC ID 0) passes the same values as loop=N. */
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

static int all_reported(int cpus, unsigned bsp)
{
	for (int id = 0; id < cpus; id++)
		if ((unsigned)id != bsp &&
		    __atomic_load_n(&cpu_state[id], __ATOMIC_ACQUIRE) ==
			    CPU_EXPECTED)
			return 0;
	return 1;
}

/* Sends INIT, then two STARTUP IPIs, to APIC IDs 0..cpus-1 but the BSP's,
 * then waits up to START_TIMEOUT_MS for each to report. Returns how many
 * did. */
static int start_aps(int cpus, unsigned bsp)
{
	volatile char *dst = (volatile char *)SMP_TRAMPOLINE;
	struct pit_stopwatch w;
	int started = 0;
	uint64_t cr3;

	for (const char *p = smp_trampoline; p < smp_trampoline_end; p++)
		*dst++ = *p;
	/* The BSP's page tables and GDT, both below 4 GiB. */
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	smp_boot_cr3 = (uint32_t)cr3;
	asm volatile("sgdt %0" : "=m"(smp_boot_gdtr));

	/* Software-enable the BSP's APIC as the MP spec expects before IPIs
	 * (SeaBIOS already has; interrupts stay off, so nothing arrives). */
	lapic_write(LAPIC_SVR, lapic_read(LAPIC_SVR) | SVR_ENABLE);
	for (int id = 0; id < cpus; id++)
		if ((unsigned)id != bsp)
			lapic_ipi(id, ICR_INIT | ICR_ASSERT);
	pit_sleep_ms(10);
	for (int sipi = 0; sipi < 2; sipi++) {
		for (int id = 0; id < cpus; id++)
			if ((unsigned)id != bsp)
				lapic_ipi(id, ICR_STARTUP | ICR_ASSERT |
						      SMP_TRAMPOLINE >> 12);
		pit_sleep_ms(1);	/* the classic 200 us, rounded up */
	}

	pit_stopwatch_start(&w);
	while (!all_reported(cpus, bsp) &&
	       pit_stopwatch_ms(&w) < START_TIMEOUT_MS)
		cpu_relax();
	for (int id = 0; id < cpus; id++) {
		int expected = CPU_EXPECTED;

		if ((unsigned)id == bsp)
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
	int cpus = fwcfg_cpu_count();
	int ran = 1;

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

	uint64_t apic_base = rdmsr(MSR_APIC_BASE);
	unsigned bsp = 0;

	if (cpus > 1 && (!(apic_base & APIC_BASE_ENABLE) ||
			 (apic_base & APIC_BASE_X2APIC))) {
		kprintf("smp: local APIC not in xAPIC mode, only the BSP runs\n");
		cpus = 1;
	}
	lapic = (uintptr_t)(apic_base & APIC_BASE_ADDR);
	if (cpus > 1)
		bsp = lapic_read(LAPIC_ID) >> 24;
	if (bsp >= (unsigned)cpus) {
		kprintf("smp: BSP has APIC ID %u, only the BSP runs\n", bsp);
		cpus = 1;
	}

	smp_calls = n;
	__atomic_store_n(&smp_go, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&smp_done, 0, __ATOMIC_RELAXED);
	for (int id = 0; id < SMP_MAX_CPUS; id++)
		__atomic_store_n(&cpu_state[id], CPU_EXPECTED, __ATOMIC_RELAXED);

	unsigned long before = guest_loop_counter;

	if (cpus > 1)
		ran += start_aps(cpus, bsp);
	__atomic_store_n(&smp_go, 1, __ATOMIC_RELEASE);
	run_calls(bsp);
	while (__atomic_load_n(&smp_done, __ATOMIC_ACQUIRE) < (unsigned)ran - 1)
		cpu_relax();

	unsigned long grew = guest_loop_counter - before;

	if (grew != (unsigned long)ran * n)
		kprintf("smp: guest_loop_counter grew by %lu, expected %lu\n",
			grew, (unsigned long)ran * n);
	kprintf("smp: %d cpus, %lu calls each\n", ran, (unsigned long)n);
}
