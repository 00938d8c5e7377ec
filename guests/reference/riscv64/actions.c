/* What riscv64 offers beyond the common actions: a reset, and semihosting's
 * exit beside the finisher's. */
#include "arch.h"
#include "riscv_actions.h"

const char arch_name[] = "riscv64";

const struct action_def arch_actions[] = {
	{ "reset", act_reset, 0 },
	{ "semihosting-exit", act_semihosting_exit, 1 },
};
const size_t arch_action_count = sizeof(arch_actions) / sizeof(arch_actions[0]);
