#include "arch.h"
#include "boot.h"
#include "fdt.h"
#include "script.h"

unsigned long boot_hartid;
const void *boot_dtb;

/* The command line is the DTB's /chosen/bootargs (QEMU's -append). */
void kmain(unsigned long hartid, const void *dtb)
{
	boot_hartid = hartid;
	boot_dtb = dtb;
	fdt_init(dtb);
	console_init();
	script_run(fdt_bootargs());
	halt_forever();
}
