/* The console is virt's ns16550a at 0x10000000 (byte registers), the debug
 * channel semihosting, the stage codes a pci-serial UART. */
#include "arch.h"
#include "pci_serial.h"
#include "semihosting.h"

#define UART ((volatile uint8_t *)0x10000000ul)
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define LSR_DATA_READY 0x01
#define LSR_THRE 0x20

/* virt's PCI host: ECAM at 0x30000000, PCI I/O space at 0x03000000. */
const struct pci_host_window pci_host_window = { 0x30000000ul, 0x03000000ul, 0x1000 };

/* OpenSBI has set the UART up already (it prints its banner there); the
 * divisor is left as it is, interrupts off. */
void console_init(void)
{
	UART[UART_IER] = 0x00;
	UART[UART_LCR] = 0x03;	/* 8N1 */
	UART[UART_FCR] = 0xc7;
	UART[UART_MCR] = 0x03;	/* DTR, RTS; OUT2 off: no IRQs */
}

void console_putc(char c)
{
	while (!(UART[UART_LSR] & LSR_THRE))
		;
	UART[UART_DATA] = (uint8_t)c;
}

void console_write_unpaced(const char *buf, size_t len)
{
	while (len--)
		UART[UART_DATA] = (uint8_t)*buf++;
}

int console_getc(void)
{
	while (!(UART[UART_LSR] & LSR_DATA_READY))
		;
	return UART[UART_DATA];
}

void debug_write(const char *buf, size_t len)
{
	semihosting_write(buf, len);
}

/* Without a pci-serial the codes go nowhere, as port 0x80's do on x86 with no
 * debugcon there. */
void codes_write(const uint8_t *codes, size_t len)
{
	volatile uint8_t *data = pci_serial_data();

	while (data && len--)
		*data = *codes++;
}
