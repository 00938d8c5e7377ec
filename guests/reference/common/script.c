#include "actions.h"
#include "arch.h"
#include "cmdline.h"
#include "fmt.h"
#include "lib.h"
#include "script.h"

/* The actions every architecture offers; arch_actions[] adds its own. */
static const struct action_def actions[] = {
	{ "print", act_print, 1 },
	{ "raw", act_raw, 1 },
	{ "e9", act_e9, 1 },
	{ "code", act_code, 1 },
	{ "sleep", act_sleep, 1 },
	{ "stages", act_stages, 1 },
	{ "uktest", act_uktest, 1 },
	{ "uktest-old", act_uktest_old, 1 },
	{ "ktap", act_ktap, 1 },
	{ "check", act_check, 0 },
	{ "loop", act_loop, 1 },
	{ "emulated", act_emulated, 0 },
	{ "smp", act_smp, 1 },
	{ "panic", act_panic, 1 },
	{ "hang", act_hang, 0 },
	{ "spin", act_spin, 0 },
	{ "flood", act_flood, 1 },
	{ "e9flood", act_e9flood, 1 },
	{ "codeflood", act_codeflood, 1 },
	{ "crashloop", act_crashloop, 0 },
	{ "exit", act_exit, 1 },
	{ "poweroff", act_poweroff, 0 },
	{ "vprint", act_vprint, 1 },
	{ "vflood", act_vflood, 1 },
	{ "vrate", act_vrate, 1 },
	{ "echo", act_echo, 0 },
	{ "cpus", act_cpus, 0 },
};

/* Actions some architecture offers: elsewhere they are reported as not
 * available rather than unknown. */
static const char *const other_arch_actions[] = {
	"fw", "fwflood", "exit501", "poweroff-exit", "pvpanic", "rdrand",
	"triplefault", "reset", "semihosting-exit", "selfstep",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct action_def *find(const struct action_def *defs,
				     size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (streq(defs[i].name, name))
			return &defs[i];
	return NULL;
}

static int offered_elsewhere(const char *name)
{
	for (size_t i = 0; i < COUNT(other_arch_actions); i++)
		if (streq(other_arch_actions[i], name))
			return 1;
	return 0;
}

/* One word at a time, so the longest usable value is this minus its name. */
static char word[4096];

int script_number(const char *name, const char *value, uint64_t max,
		  uint64_t *out)
{
	if (parse_u64(value, out) && *out <= max)
		return 1;
	kprintf("reference: bad value for '%s': '%s'\n", name, value);
	return 0;
}

void script_run(const char *cmdline)
{
	struct action a;
	int ran = 0;

	while (cmdline_next(&cmdline, &a, word, sizeof(word))) {
		const struct action_def *def =
			find(arch_actions, arch_action_count, a.name);

		ran = 1;
		if (!def)
			def = find(actions, COUNT(actions), a.name);
		if (!def && offered_elsewhere(a.name))
			kprintf("reference: action '%s' is not available on %s\n",
				a.name, arch_name);
		else if (!def)
			kprintf("reference: unknown action '%s'\n", a.name);
		else if (def->needs_value && !a.value)
			kprintf("reference: action '%s' needs a value\n",
				a.name);
		else
			def->run(a.value);
	}
	if (!ran)
		kprintf("reference: no actions\n");
}
