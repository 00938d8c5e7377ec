/* What aarch64 offers beyond the common actions: a PSCI reset,
 * semihosting-exit (the same as exit=V here) so that one command line ends
 * the run with a status on aarch64 and riscv64 alike, and selfstep. */
#include "arch.h"
#include "ends.h"
#include "fmt.h"
#include "psci.h"
#include "selfstep.h"
#include "semihosting.h"

static void act_reset(const char *v);
static void act_selfstep(const char *v);

const char arch_name[] = "aarch64";

const struct action_def arch_actions[] = {
	{ "reset", act_reset, 0 },
	{ "semihosting-exit", act_semihosting_exit, 1 },
	{ "selfstep", act_selfstep, 0 },
};
const size_t arch_action_count = sizeof(arch_actions) / sizeof(arch_actions[0]);

/* PSCI SYSTEM_RESET: QEMU resets the board, or exits 0 under -no-reboot. */
static void act_reset(const char *v)
{
	(void)v;
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	end_unanswered("reset");
}

/* The guest steps guest_self_stepped's first instruction itself (selfstep.S); the step exception is taken
 * after it: `selfstep: step exception at guest_self_stepped+0x4`. */
static void act_selfstep(const char *v)
{
	(void)v;
	self_step_call(guest_self_stepped);
	kprintf("selfstep: step exception at guest_self_stepped+0x%lx\n",
		(unsigned long)(self_step_elr - (uintptr_t)guest_self_stepped));
}
