/* What an exception does in this guest (entry.S's vectors): a semihosting
 * call QEMU does not answer is skipped and returns -1, the selfstep action's
 * software step is noted; anything else is reported on the console and the
 * CPU halts. */
#include <stdint.h>

#include "arch.h"
#include "fmt.h"
#include "selfstep.h"

struct exception_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* hlt #0xf000: the semihosting trap. */
#define SEMIHOSTING_HLT 0xd45e0000u

#define ESR_EC(esr) ((esr) >> 26)
#define EC_UNKNOWN 0x00
#define EC_SOFTWARE_STEP_SAME_EL 0x33
#define VECTOR_CURRENT_SPX_SYNC 4

static const char *const vector_names[4] = { "sync", "irq", "fiq", "serror" };

void exception_handler(struct exception_frame *f, unsigned vector);

volatile uintptr_t self_step_elr;

void exception_handler(struct exception_frame *f, unsigned vector)
{
	uint64_t esr, far;

	asm volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
	if (vector == VECTOR_CURRENT_SPX_SYNC && ESR_EC(esr) == EC_UNKNOWN &&
	    *(const uint32_t *)f->elr == SEMIHOSTING_HLT) {
		f->x[0] = (uint64_t)-1;
		f->elr += 4;
		return;
	}
	/* The selfstep action's step: note where, stop stepping, resume there. */
	if (vector == VECTOR_CURRENT_SPX_SYNC && ESR_EC(esr) == EC_SOFTWARE_STEP_SAME_EL) {
		uint64_t mdscr;

		self_step_elr = f->elr;
		asm volatile("mrs %0, mdscr_el1" : "=r"(mdscr));
		asm volatile("msr mdscr_el1, %0; isb" : : "r"(mdscr & ~1ul));
		return;
	}
	kprintf("reference: unexpected %s exception (vector %u): ESR %08lx ELR %016lx FAR %016lx\n",
		vector_names[vector % 4], vector, (unsigned long)esr,
		(unsigned long)f->elr, (unsigned long)far);
	halt_forever();
}
