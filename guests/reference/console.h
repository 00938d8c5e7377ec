/* Text output channels: COM1 (16550) and the write-only debug ports. */
#ifndef REF_CONSOLE_H
#define REF_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define PORT_COM1 0x3f8
#define PORT_E9 0xe9
#define PORT_FW_DEBUG 0x402
#define PORT_POST 0x80

void com1_init(void);
void com1_putc(char c);
void com1_puts(const char *s);
void port_write_unpaced(uint16_t port, const char *buf, size_t len);
int com1_getc(void);
void debugport_puts(uint16_t port, const char *s);

#endif
