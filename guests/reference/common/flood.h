/* flood=N's bytes for any channel (actions_io.c). */
#ifndef REF_FLOOD_H
#define REF_FLOOD_H

#include <stddef.h>

/* Exactly N bytes (the value, or "forever") of 64-character lines, each ended
 * by a newline, written unpaced with `write`. */
void flood(const char *name, const char *v,
	   void (*write)(const char *buf, size_t len));

#endif
