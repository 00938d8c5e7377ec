/* riscv64 CPU start-up for smp=N: SBI HSM hart_start for each hart in the
 * DTB's /cpus; CPU ID n is the n-th cpu node there, whatever its hartid. */
#include "arch.h"
#include "boot.h"
#include "fdt.h"
#include "fmt.h"
#include "sbi.h"
#include "smp.h"

void _start(void);
void secondary_entry(void);

/* Read by entry.S: a started hart finds its CPU ID here from its hartid. */
uint64_t smp_hartids[SMP_MAX_CPUS];

/* hsm-stale-entry: start harts as OpenSBI 1.1 sometimes does by mistake
 * (entry.S), for a test to make that happen every time. */
static int stale_entry;

void act_hsm_stale_entry(const char *v)
{
	(void)v;
	stale_entry = 1;
}

int smp_usable_cpus(int cpus, unsigned *self)
{
	fdt_cpu_ids(smp_hartids, SMP_MAX_CPUS);
	for (int id = 0; id < cpus; id++)
		if (smp_hartids[id] == boot_hartid) {
			*self = (unsigned)id;
			return cpus;
		}
	kprintf("smp: boot hart %lu not among the first %d, only it runs\n",
		boot_hartid, cpus);
	*self = 0;
	return 1;
}

/* A hart that ran the last smp=N stops itself (cpu.c's halt_forever) just
 * after it reported done, so it may still be on its way: hart_start says
 * ALREADY_AVAILABLE until its hart_stop began, then INVALID_PARAM until it
 * has stopped (OpenSBI's STOP_PENDING: a hart descheduled there, on a loaded
 * host, made smp=5 smp=3 fail in 42 of 300 runs). */
static struct sbiret start_hart(uint64_t hartid)
{
	void (*entry)(void) = stale_entry ? _start : secondary_entry;
	long opaque = stale_entry ? (long)boot_dtb : 0;
	struct stopwatch w;
	struct sbiret r;

	stopwatch_start(&w);
	do
		r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, (long)hartid,
			     (long)entry, opaque);
	while ((r.error == SBI_ERR_ALREADY_AVAILABLE ||
		r.error == SBI_ERR_INVALID_PARAM) &&
	       stopwatch_ms(&w) < 100);
	return r;
}

/* The hart enters secondary_entry (entry.S), which finds its CPU ID from its
 * hartid. A hart HSM does not start never reports: smp.c says so. */
void smp_start_cpus(int cpus, unsigned self)
{
	for (int id = 0; id < cpus; id++) {
		if ((unsigned)id == self)
			continue;
		struct sbiret r = start_hart(smp_hartids[id]);

		if (r.error)
			kprintf("smp: hart %lu: hart_start error %ld\n",
				(unsigned long)smp_hartids[id], r.error);
	}
}
