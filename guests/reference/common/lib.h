/* The few libc pieces the kernel needs. gcc may emit calls to memset/memcpy
 * for large copies or zeroing; none occur today, so a link error naming them
 * means it is time to add them here. */
#ifndef REF_LIB_H
#define REF_LIB_H

#include <stddef.h>
#include <stdint.h>

size_t strlen(const char *s);
int streq(const char *a, const char *b);

/* Decimal or 0x-prefixed hex; returns 0 on malformed input or overflow. */
/* 0-15 for a hex digit, -1 for anything else. */
int hex_digit(char c);
int parse_u64(const char *s, uint64_t *out);

#endif
