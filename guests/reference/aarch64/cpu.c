/* aarch64's CPU primitives for the common code, and smp=N's start-up through
 * PSCI CPU_ON (a CPU's ID is its index under the DTB's /cpus). */
#include "arch.h"
#include "board.h"
#include "fmt.h"
#include "psci.h"
#include "virtio.h"

const struct virtio_mmio_window virtio_mmio_window = { VIRT_MMIO, VIRT_MMIO_SLOTS, 0x200 };

/* virt's virtio consoles are on virtio-mmio only (virtio_mmio.c). */
const struct virtio_transport *virtio_arch_find_console(void)
{
	return 0;
}

uint64_t current_mpidr(void)
{
	uint64_t mpidr;

	asm volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return mpidr & MPIDR_AFFINITY;
}

/* A started CPU powers itself off (PSCI CPU_OFF), so a later smp=N can start
 * it again; the boot CPU waits with interrupts masked, so wfi waits for
 * nothing and the loop stays put. */
void halt_forever(void)
{
	asm volatile("msr daifset, #0xf");
	if (current_mpidr() != board.boot_mpidr)
		psci_call(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		asm volatile("wfi");
}

void cpu_relax(void)
{
	asm volatile("yield" ::: "memory");
}

int cpu_count(void)
{
	return board.cpus;
}

void secondary_entry(void);

int smp_usable_cpus(int cpus, unsigned *self)
{
	uint64_t mpidr = current_mpidr();

	for (int id = 0; id < cpus; id++)
		if (board.mpidr[id] == mpidr) {
			*self = (unsigned)id;
			return cpus;
		}
	kprintf("smp: boot CPU %lx is not among the first %d, only it runs\n",
		(unsigned long)mpidr, cpus);
	return 1;
}

/* A CPU from an earlier smp=N may still be on its way off: CPU_ON answers
 * ALREADY_ON until it is. */
void smp_start_cpus(int cpus, unsigned self)
{
	for (int id = 0; id < cpus; id++) {
		struct stopwatch w;
		int64_t status;

		if ((unsigned)id == self)
			continue;
		stopwatch_start(&w);
		do
			status = psci_call(PSCI_CPU_ON, board.mpidr[id],
					   (uintptr_t)secondary_entry,
					   (uint64_t)id);
		while (status == PSCI_ALREADY_ON && stopwatch_ms(&w) < 100);
		if (status)
			kprintf("smp: PSCI CPU_ON cpu %d: %ld\n", id, (long)status);
	}
}
