/* x86 application-processor start-up (smp_start.c, smp_entry.S). */
#ifndef REF_SMP_TRAMPOLINE_H
#define REF_SMP_TRAMPOLINE_H

/* Page below 1 MiB the real-mode start code is copied to; the SIPI vector
 * is its page number. Nothing the guest still reads lives there: the command
 * line is at 0x11c0 (PVH via SeaBIOS), 0xefc70 (PVH via qboot) or just above
 * the kernel (multiboot), whose info block at 0x9000 is read before any
 * action runs. */
#define SMP_TRAMPOLINE 0x8000

#ifndef __ASSEMBLER__
#include <stdint.h>

/* smp_entry.S: the position-independent real-mode code, copied to SMP_TRAMPOLINE. */
extern const char smp_trampoline[], smp_trampoline_end[];

/* Filled in by the BSP before it sends SIPIs; read by smp_entry.S. */
struct smp_gdtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern uint32_t smp_boot_cr3;
extern struct smp_gdtr smp_boot_gdtr;
#endif

#endif
