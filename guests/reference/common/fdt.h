/* The flattened device tree QEMU hands a kernel on aarch64 and riscv64 (-M
 * virt): only what the actions need, read in place. */
#ifndef REF_FDT_H
#define REF_FDT_H

#include <stdint.h>

/* Keeps `blob` if it starts with the FDT magic; returns 0 (and every lookup
 * below then finds nothing) otherwise. */
int fdt_init(const void *blob);

/* /chosen/bootargs (QEMU's -append), "" without one. */
const char *fdt_bootargs(void);

/* The CPU nodes under /cpus (cpu@...): how many (-1 without /cpus), with the
 * first `max` of their `reg` values (hartid, MPIDR) in `ids`, in tree order. */
int fdt_cpu_ids(uint64_t *ids, int max);

/* A 32-bit property of /cpus itself (riscv64's timebase-frequency); 0 if
 * absent. */
uint32_t fdt_cpus_u32(const char *prop);

#endif
