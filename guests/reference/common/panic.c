/* Linux's panic() text, the same on every architecture. */
#include "actions.h"
#include "arch.h"
#include "crash.h"
#include "fmt.h"

void linux_panic(const char *reason)
{
	kprintf("Kernel panic - not syncing: %s\n", reason);
	kprintf("CPU: 0 PID: 1 Comm: reference Not tainted 6.1.0-reference #1\n");
	kprintf("Hardware name: QEMU reference guest\n");
	kprintf("Call Trace:\n");
	kprintf(" <TASK>\n");
	kprintf(" dump_stack_lvl+0x44/0x5c\n");
	kprintf(" panic+0x118/0x2c8\n");
	kprintf(" kernel_init+0x15a/0x160\n");
	kprintf(" </TASK>\n");
	kprintf("---[ end Kernel panic - not syncing: %s ]---\n", reason);
	halt_forever();
}

void act_panic(const char *v)
{
	linux_panic(v);
}
