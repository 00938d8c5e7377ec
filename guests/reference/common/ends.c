/* Ending the run: the architecture's exit and power-off requests, halts. */
#include "actions.h"
#include "arch.h"
#include "fmt.h"
#include "script.h"

void act_exit(const char *v)
{
	uint64_t code;

	if (!script_number("exit", v, 255, &code))
		return;
	request_exit((uint8_t)code);
	kprintf("reference: exit device absent\n");
	halt_forever();
}

void act_poweroff(const char *v)
{
	(void)v;
	request_poweroff();
	/*
	 * QEMU may act on the request from its main loop, not in the write:
	 * this vCPU runs on meanwhile, and printing at once put the message
	 * below into the log of runs that did power off.
	 */
	sleep_ms(1000);
	kprintf("reference: poweroff unsupported on this machine\n");
	halt_forever();
}

void act_hang(const char *v)
{
	(void)v;
	halt_forever();
}

/* Interrupts are never enabled, so this loop is all the CPU does. */
void act_spin(const char *v)
{
	(void)v;
	for (;;)
		asm volatile("");
}
