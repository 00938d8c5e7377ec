#include "arch.h"
#include "console.h"
#include "io.h"
#include "uart16550.h"

uint8_t uart_read(unsigned reg)
{
	return inb(PORT_COM1 + reg);
}

void uart_write(unsigned reg, uint8_t value)
{
	outb(PORT_COM1 + reg, value);
}

void console_init(void)
{
	uart_init(1);	/* 115200 baud */
}

/* QEMU's UART accepts a byte whenever it is written, so bulk output skips the
 * LSR read that would double the number of port exits per byte. */
void port_write_unpaced(uint16_t port, const char *buf, size_t len)
{
	asm volatile("rep outsb"
		     : "+S"(buf), "+c"(len)
		     : "d"(port)
		     : "memory");
}

void console_write_unpaced(const char *buf, size_t len)
{
	port_write_unpaced(PORT_COM1, buf, len);	/* the data register is at offset 0 */
}

void debug_write(const char *buf, size_t len)
{
	port_write_unpaced(PORT_E9, buf, len);
}

void codes_write(const uint8_t *codes, size_t len)
{
	port_write_unpaced(PORT_POST, (const char *)codes, len);
}
