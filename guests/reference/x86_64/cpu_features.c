#include "x86_actions.h"
#include "fmt.h"

/*
 * RDRAND is in QEMU's `max` CPU model under TCG but not in its default
 * `qemu64`: there the instruction raises #UD, which with no IDT becomes a
 * triple fault, before anything is printed. A guest built for a newer CPU
 * than the one QEMU emulates ends the same way.
 */
void act_rdrand(const char *v)
{
	unsigned long value;
	unsigned char ok;

	(void)v;
	asm volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(ok));
	kprintf("rdrand: %s\n", ok ? "ok" : "no entropy");
}
