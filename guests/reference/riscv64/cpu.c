/* riscv64's CPU primitives for the common code, and the trap vector. */
#include "arch.h"
#include "boot.h"
#include "fdt.h"
#include "fmt.h"
#include "sbi.h"

/*
 * A started hart stops itself through SBI HSM rather than sleeping, so the
 * next smp=N can start it again (hart_start fails on a started hart). The
 * boot hart, and any hart whose stop fails, waits with interrupts off:
 * nothing ever wakes the wfi for good.
 */
void halt_forever(void)
{
	if (current_hartid() != boot_hartid)
		sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	for (;;)
		asm volatile("wfi");
}

/* Zihintpause's pause, spelled as the FENCE encoding it is: assemblers
 * without the extension take it, and older harts see a plain fence. */
void cpu_relax(void)
{
	asm volatile(".4byte 0x0100000f" ::: "memory");
}

int cpu_count(void)
{
	return fdt_cpu_ids(0, 0);
}

/* No trap is expected (interrupts stay off): one means the guest went wrong,
 * e.g. semihosting's ebreak without -semihosting-config. Say so, then halt,
 * rather than leave stvec at 0 for the hart to spin on. */
void trap_report(unsigned long scause, unsigned long sepc, unsigned long stval)
{
	kprintf("reference: unexpected trap: scause 0x%lx sepc 0x%lx stval 0x%lx\n",
		scause, sepc, stval);
	halt_forever();
}

asm(".text\n"
    ".globl trap_entry\n"
    ".balign 4\n"
    "trap_entry:\n"
    "	csrr a0, scause\n"
    "	csrr a1, sepc\n"
    "	csrr a2, stval\n"
    "	j trap_report\n");
