/* The console is virt's ns16550a at 0x10000000 (byte registers), the debug
 * channel semihosting, the stage codes a pci-serial UART. */
#include "arch.h"
#include "pci_serial.h"
#include "semihosting.h"
#include "uart16550.h"

#define UART ((volatile uint8_t *)0x10000000ul)

/* virt's PCI host: ECAM at 0x30000000, PCI I/O space at 0x03000000. */
const struct pci_host_window pci_host_window = { 0x30000000ul, 0x03000000ul, 0x1000 };

uint8_t uart_read(unsigned reg)
{
	return UART[reg];
}

void uart_write(unsigned reg, uint8_t value)
{
	UART[reg] = value;
}

/* OpenSBI has set the UART up already (it prints its banner there): the
 * divisor is left as it is. */
void console_init(void)
{
	uart_init(0);
}

void console_write_unpaced(const char *buf, size_t len)
{
	while (len--)
		UART[UART_DATA] = (uint8_t)*buf++;
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
