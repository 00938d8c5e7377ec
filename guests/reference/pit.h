/* Real-time delays from the 8254 PIT, which QEMU clocks from host time. */
#ifndef REF_PIT_H
#define REF_PIT_H

#include <stdint.h>

void pit_sleep_ms(uint64_t ms);

#endif
