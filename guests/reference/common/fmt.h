/* A printf subset: %d %u %x %s %c %p %%, flags '0' and '-', a width, and the
 * 'l' length modifier. Enough for register dumps and test reports. */
#ifndef REF_FMT_H
#define REF_FMT_H

#include <stdarg.h>
#include <stddef.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
