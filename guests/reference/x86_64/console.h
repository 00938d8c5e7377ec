/* x86's channels: COM1 (16550) and the write-only debug ports. */
#ifndef REF_CONSOLE_H
#define REF_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define PORT_COM1 0x3f8
#define PORT_E9 0xe9
#define PORT_FW_DEBUG 0x402
#define PORT_POST 0x80

/* Each byte to the port with one `rep outsb`. */
void port_write_unpaced(uint16_t port, const char *buf, size_t len);

#endif
