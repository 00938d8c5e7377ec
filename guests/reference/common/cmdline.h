/* Splits the kernel command line into name[=value] actions. */
#ifndef REF_CMDLINE_H
#define REF_CMDLINE_H

#include <stddef.h>

struct action {
	const char *name;
	const char *value;	/* NULL when the word has no '=' */
};

/* Parses the next word at *cursor into buf (quotes and escapes resolved) and
 * points a's fields into buf. Returns 0 when no words are left. Words longer
 * than the buffer are truncated. */
int cmdline_next(const char **cursor, struct action *a, char *buf,
		 size_t size);

#endif
