#include "arch.h"
#include "uart16550.h"

#define LCR_8N1 0x03
#define LCR_DLAB 0x80	/* the divisor registers replace DATA and IER */
#define LSR_DATA_READY 0x01
#define LSR_THRE 0x20

void uart_init(uint16_t divisor)
{
	uart_write(UART_IER, 0x00);
	if (divisor) {
		uart_write(UART_LCR, LCR_DLAB);
		uart_write(UART_DLL, (uint8_t)divisor);
		uart_write(UART_DLM, (uint8_t)(divisor >> 8));
	}
	uart_write(UART_LCR, LCR_8N1);
	uart_write(UART_FCR, 0xc7);
	uart_write(UART_MCR, 0x03);	/* DTR, RTS; OUT2 off: no IRQs */
}

/* An absent UART reads 0xff, so THRE looks set and this never hangs. */
void console_putc(char c)
{
	while (!(uart_read(UART_LSR) & LSR_THRE))
		;
	uart_write(UART_DATA, (uint8_t)c);
}

int console_getc(void)
{
	while (!(uart_read(UART_LSR) & LSR_DATA_READY))
		;
	return uart_read(UART_DATA);
}
