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

void com1_init(void)
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
void com1_putc(char c)
{
	while (!(inb(PORT_COM1 + UART_LSR) & LSR_THRE))
		;
	outb(PORT_COM1 + UART_DATA, (uint8_t)c);
}

void com1_puts(const char *s)
{
	while (*s)
		com1_putc(*s++);
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

int com1_getc(void)
{
	while (!(inb(PORT_COM1 + UART_LSR) & LSR_DATA_READY))
		;
	return inb(PORT_COM1 + UART_DATA);
}

void debugport_puts(uint16_t port, const char *s)
{
	while (*s)
		outb(port, (uint8_t)*s++);
}
