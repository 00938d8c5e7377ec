/* The virt board's fixed addresses (QEMU's hw/arm/virt.c memory map) and
 * what main.c reads from its DTB before any action runs. */
#ifndef REF_BOARD_H
#define REF_BOARD_H

#include <stdint.h>

#include "smp.h"

#define VIRT_UART 0x09000000ul
#define VIRT_MMIO 0x0a000000ul		/* 32 virtio-mmio transports, 512 bytes apart */
#define VIRT_MMIO_SLOTS 32
#define VIRT_PCIE_PIO 0x3eff0000ul	/* PCI I/O space as the CPU sees it */
#define VIRT_PCIE_ECAM 0x4010000000ul	/* the highmem ECAM, bus 0 first */

#define MPIDR_AFFINITY 0xff00ffffffull

struct board {
	int cpus;			/* cpu@ nodes under /cpus, -1 if none */
	uint64_t mpidr[SMP_MAX_CPUS];	/* the first ones' reg (MPIDR affinity) */
	uint64_t boot_mpidr;		/* the CPU kmain ran on */
};

extern struct board board;

uint64_t current_mpidr(void);

#endif
