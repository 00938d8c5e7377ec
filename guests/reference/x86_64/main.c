#include <stdint.h>

#include "arch.h"
#include "script.h"

#define PVH_MAGIC 0x336ec578
#define MULTIBOOT_MAGIC 0x2badb002
#define MULTIBOOT_INFO_CMDLINE 0x4

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
};

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
};

/* qboot enters PVH kernels with the multiboot magic in eax, so the PVH magic
 * at *ebx is the only reliable discriminator and is checked first. */
static const char *boot_cmdline(uint32_t eax, uint32_t ebx)
{
	const struct hvm_start_info *pvh = (const void *)(uintptr_t)ebx;

	if (pvh->magic == PVH_MAGIC && pvh->cmdline_paddr)
		return (const char *)(uintptr_t)pvh->cmdline_paddr;

	const struct multiboot_info *mbi = (const void *)(uintptr_t)ebx;

	if (eax == MULTIBOOT_MAGIC && (mbi->flags & MULTIBOOT_INFO_CMDLINE)) {
		/* QEMU prefixes the -append text with the kernel's path. */
		const char *s = (const char *)(uintptr_t)mbi->cmdline;

		while (*s && *s != ' ')
			s++;
		return s;
	}
	return "";
}

void kmain(uint32_t eax, uint32_t ebx)
{
	console_init();
	script_run(boot_cmdline(eax, ebx));
	halt_forever();
}
