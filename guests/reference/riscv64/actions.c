/* What riscv64 offers beyond the common actions: a reset, semihosting's exit
 * beside the finisher's, and OpenSBI 1.1's mistaken hart entry on purpose. */
#include "arch.h"
#include "riscv_actions.h"
#include "semihosting.h"

const char arch_name[] = "riscv64";

const struct action_def arch_actions[] = {
	{ "reset", act_reset, 0 },
	{ "semihosting-exit", act_semihosting_exit, 1 },
	{ "hsm-stale-entry", act_hsm_stale_entry, 0 },
};
const size_t arch_action_count = sizeof(arch_actions) / sizeof(arch_actions[0]);
