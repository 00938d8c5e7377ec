#include "actions.h"
#include "cmdline.h"
#include "fmt.h"
#include "lib.h"
#include "script.h"

struct action_def {
	const char *name;
	void (*run)(const char *value);
	int needs_value;
};

static const struct action_def actions[] = {
	{ "print", act_print, 1 },
	{ "raw", act_raw, 1 },
	{ "e9", act_e9, 1 },
	{ "fw", act_fw, 1 },
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
	{ "fwflood", act_fwflood, 1 },
	{ "codeflood", act_codeflood, 1 },
	{ "crashloop", act_crashloop, 0 },
	{ "triplefault", act_triplefault, 0 },
	{ "exit", act_exit, 1 },
	{ "exit501", act_exit501, 1 },
	{ "poweroff", act_poweroff, 0 },
	{ "poweroff-exit", act_poweroff_exit, 1 },
	{ "pvpanic", act_pvpanic, 0 },
	{ "vprint", act_vprint, 1 },
	{ "vflood", act_vflood, 1 },
	{ "vrate", act_vrate, 1 },
	{ "echo", act_echo, 0 },
	{ "cpus", act_cpus, 0 },
	{ "rdrand", act_rdrand, 0 },
};

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
		const struct action_def *def = NULL;

		ran = 1;
		for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
			if (streq(actions[i].name, a.name))
				def = &actions[i];
		if (!def)
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
