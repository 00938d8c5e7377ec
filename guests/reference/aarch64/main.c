/* aarch64 kmain: the command line is the DTB's /chosen/bootargs. For an ELF
 * -kernel QEMU puts the DTB at physical 0 and starts with x0 = 0; an Image
 * would get its address in x0. Either way x0 is where it is. */
#include <stdint.h>

#include "arch.h"
#include "board.h"
#include "fdt.h"
#include "script.h"

struct board board;

void kmain(uint64_t dtb)
{
	console_init();
	board.boot_mpidr = current_mpidr();
	fdt_init((const void *)dtb);
	board.cpus = fdt_cpu_ids(board.mpidr, SMP_MAX_CPUS);
	script_run(fdt_bootargs());
	halt_forever();
}
