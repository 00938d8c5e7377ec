/* PSCI calls (psci.c). */
#ifndef REF_PSCI_H
#define REF_PSCI_H

#include <stdint.h>

#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0xc4000003
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009

#define PSCI_ALREADY_ON (-4)

/* Returns PSCI's status: 0 for success. */
int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
