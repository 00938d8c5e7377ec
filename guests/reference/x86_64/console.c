#include "arch.h"
#include "console.h"
#include "io.h"

#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0
#define UART_DLM 1

#define LSR_DATA_READY 0x01
#define LSR_THRE 0x20

void console_init(void)
{
	outb(PORT_COM1 + UART_IER, 0x00);
	outb(PORT_COM1 + UART_LCR, 0x80);	/* DLAB: divisor follows */
	outb(PORT_COM1 + UART_DLL, 0x01);	/* 115200 baud */
	outb(PORT_COM1 + UART_DLM, 0x00);
	outb(PORT_COM1 + UART_LCR, 0x03);	/* 8N1 */
	outb(PORT_COM1 + UART_FCR, 0xc7);
	outb(PORT_COM1 + UART_MCR, 0x03);	/* DTR, RTS; OUT2 off: no IRQs */
}

/* An absent UART reads 0xff, so THRE looks set and this never hangs. */
void console_putc(char c)
{
	while (!(inb(PORT_COM1 + UART_LSR) & LSR_THRE))
		;
	outb(PORT_COM1 + UART_DATA, (uint8_t)c);
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

int console_getc(void)
{
	while (!(inb(PORT_COM1 + UART_LSR) & LSR_DATA_READY))
		;
	return inb(PORT_COM1 + UART_DATA);
}

void debug_write(const char *buf, size_t len)
{
	port_write_unpaced(PORT_E9, buf, len);
}

void codes_write(const uint8_t *codes, size_t len)
{
	port_write_unpaced(PORT_POST, (const char *)codes, len);
}
