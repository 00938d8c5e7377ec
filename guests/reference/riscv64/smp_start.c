/* riscv64 CPU start-up for smp=N: SBI HSM hart_start for each hart in the
 * DTB's /cpus; CPU ID n is the n-th cpu node there, whatever its hartid. */
#include "arch.h"
#include "boot.h"
#include "fdt.h"
#include "fmt.h"
#include "sbi.h"
#include "smp.h"

void secondary_entry(void);

static uint64_t hartids[SMP_MAX_CPUS];

int smp_usable_cpus(int cpus, unsigned *self)
{
	fdt_cpu_ids(hartids, SMP_MAX_CPUS);
	for (int id = 0; id < cpus; id++)
		if (hartids[id] == boot_hartid) {
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
 * ALREADY_AVAILABLE until it has stopped. */
static struct sbiret start_hart(uint64_t hartid, unsigned id)
{
	struct stopwatch w;
	struct sbiret r;

	stopwatch_start(&w);
	do
		r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, (long)hartid,
			     (long)secondary_entry, id);
	while (r.error == SBI_ERR_ALREADY_AVAILABLE && stopwatch_ms(&w) < 100);
	return r;
}

/* The hart enters secondary_entry (entry.S) with its CPU ID as the opaque
 * argument. A hart HSM does not start never reports: smp.c says so. */
void smp_start_cpus(int cpus, unsigned self)
{
	for (int id = 0; id < cpus; id++) {
		if ((unsigned)id == self)
			continue;
		struct sbiret r = start_hart(hartids[id], (unsigned)id);

		if (r.error)
			kprintf("smp: hart %lu: hart_start error %ld\n",
				(unsigned long)hartids[id], r.error);
	}
}
