/* Ending the run: the architecture's exit and power-off requests, halts. */
#include "actions.h"
#include "arch.h"
#include "ends.h"
#include "fmt.h"
#include "script.h"

void end_with_status(const char *action, const char *v,
		     void (*request)(uint8_t), const char *unanswered)
{
	uint64_t code;

	if (!script_number(action, v, 255, &code))
		return;
	request((uint8_t)code);
	kprintf("reference: %s\n", unanswered);
	halt_forever();
}

void end_unanswered(const char *end)
{
	/*
	 * QEMU may act on the request from its main loop, not in the write:
	 * this vCPU runs on meanwhile, and printing at once put the message
	 * below into the log of runs that did power off.
	 */
	sleep_ms(1000);
	kprintf("reference: %s unsupported on this machine\n", end);
	halt_forever();
}

void act_exit(const char *v)
{
	end_with_status("exit", v, request_exit, "exit device absent");
}

void act_poweroff(const char *v)
{
	(void)v;
	request_poweroff();
	end_unanswered("poweroff");
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
