/* Runs the command-line script: actions left to right, unknown ones
 * reported and skipped. */
#ifndef REF_SCRIPT_H
#define REF_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

struct action_def {
	const char *name;
	void (*run)(const char *value);
	int needs_value;
};

void script_run(const char *cmdline);

/* Parses an action's numeric value; reports a malformed or out-of-range one
 * on the console and returns 0 so the action can be skipped. */
int script_number(const char *name, const char *value, uint64_t max,
		  uint64_t *out);

#endif
