/* The console: virt's PL011, polled. */
#include "arch.h"
#include "board.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_CR 0x30
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

static volatile uint32_t *const uart = (volatile uint32_t *)VIRT_UART;

void console_init(void)
{
	uart[UART_CR / 4] = CR_UARTEN | CR_TXE | CR_RXE;
}

void console_putc(char c)
{
	while (uart[UART_FR / 4] & FR_TXFF)
		;
	uart[UART_DR / 4] = (uint8_t)c;
}

/* QEMU's PL011 passes each byte to its chardev as it is written. */
void console_write_unpaced(const char *buf, size_t len)
{
	while (len--)
		uart[UART_DR / 4] = (uint8_t)*buf++;
}

int console_getc(void)
{
	while (uart[UART_FR / 4] & FR_RXFE)
		;
	return (int)(uart[UART_DR / 4] & 0xff);
}
