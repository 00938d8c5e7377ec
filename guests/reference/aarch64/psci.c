/* Power-off, reset and CPU start-up through PSCI. QEMU's virt, with no EL2 or
 * EL3 emulated (the default: the kernel starts in EL1), implements PSCI
 * itself behind hvc. */
#include "arch.h"
#include "psci.h"

int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn;
	register uint64_t x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = a3;

	asm volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return (int64_t)x0;
}

void request_poweroff(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}
