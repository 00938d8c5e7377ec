/* What x86_64 offers beyond the common actions: the firmware debug port 0x402
 * and the x86-only ends. */
#include "arch.h"
#include "console.h"
#include "flood.h"
#include "lib.h"
#include "x86_actions.h"

const char arch_name[] = "x86_64";

const struct action_def arch_actions[] = {
	{ "fw", act_fw, 1 },
	{ "fwflood", act_fwflood, 1 },
	{ "triplefault", act_triplefault, 0 },
	{ "exit501", act_exit501, 1 },
	{ "poweroff-exit", act_poweroff_exit, 1 },
	{ "pvpanic", act_pvpanic, 0 },
	{ "rdrand", act_rdrand, 0 },
};
const size_t arch_action_count = sizeof(arch_actions) / sizeof(arch_actions[0]);

static void fw_write(const char *buf, size_t len)
{
	port_write_unpaced(PORT_FW_DEBUG, buf, len);
}

void act_fw(const char *v)
{
	fw_write(v, strlen(v));
	fw_write("\n", 1);
}

void act_fwflood(const char *v)
{
	flood("fwflood", v, fw_write);
}
