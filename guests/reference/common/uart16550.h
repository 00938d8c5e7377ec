/* The console on a 16550 UART (x86_64's COM1 in I/O space, riscv64's virt
 * UART in MMIO): polled, interrupts off. The architecture reaches its
 * registers; common/uart16550.c is the console's putc and getc on them. */
#ifndef REF_UART16550_H
#define REF_UART16550_H

#include <stdint.h>

/* Register offsets from the UART's base, one byte apart. */
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0	/* with LCR_DLAB set */
#define UART_DLM 1

/* <arch>/console.c: one register's read and write. */
uint8_t uart_read(unsigned reg);
void uart_write(unsigned reg, uint8_t value);

/* 8N1, FIFOs on, no interrupts; `divisor` sets the baud rate (1: 115200),
 * 0 keeps the one firmware set. */
void uart_init(uint16_t divisor);

#endif
