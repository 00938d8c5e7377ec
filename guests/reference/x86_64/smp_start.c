/* x86 CPU start-up for smp=N: INIT, then two STARTUP IPIs through the xAPIC
 * to each APIC ID; an AP's ID is its local APIC ID. */
#include "arch.h"
#include "fmt.h"
#include "smp.h"
#include "smp_trampoline.h"

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

uint32_t smp_boot_cr3;
struct smp_gdtr smp_boot_gdtr;

static uintptr_t lapic;

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

int smp_usable_cpus(int cpus, unsigned *self)
{
	uint64_t apic_base = rdmsr(MSR_APIC_BASE);

	if (!(apic_base & APIC_BASE_ENABLE) || (apic_base & APIC_BASE_X2APIC)) {
		kprintf("smp: local APIC not in xAPIC mode, only the BSP runs\n");
		return 1;
	}
	lapic = (uintptr_t)(apic_base & APIC_BASE_ADDR);
	*self = lapic_read(LAPIC_ID) >> 24;
	if (*self >= (unsigned)cpus) {
		kprintf("smp: BSP has APIC ID %u, only the BSP runs\n", *self);
		*self = 0;
		return 1;
	}
	return cpus;
}

void smp_start_cpus(int cpus, unsigned self)
{
	volatile char *dst = (volatile char *)SMP_TRAMPOLINE;
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
		if ((unsigned)id != self)
			lapic_ipi(id, ICR_INIT | ICR_ASSERT);
	sleep_ms(10);
	for (int sipi = 0; sipi < 2; sipi++) {
		for (int id = 0; id < cpus; id++)
			if ((unsigned)id != self)
				lapic_ipi(id, ICR_STARTUP | ICR_ASSERT |
						      SMP_TRAMPOLINE >> 12);
		sleep_ms(1);	/* the classic 200 us, rounded up */
	}
}
