/* The guest single-stepping itself, as a kernel debugger (kgdb, ptrace at EL0) does: MDSCR_EL1.SS and KDE
 * on, then an eret with SPSR_EL1.SS set runs one instruction of guest_self_stepped before the software step
 * exception (exceptions.c) reports where it was taken. A debugger client that left a breakpoint there by
 * emulating the instruction would move the exception one instruction on (src/arch/aarch64/profile.ts: the
 * emulation's self-step check). */
	.text
	.globl self_step_call, guest_self_stepped

/* self_step_call(fn): runs fn() with its first instruction self-stepped; returns when fn returns. */
	.type self_step_call, %function
	.balign 4
self_step_call:
	stp	x29, x30, [sp, #-16]!
	msr	oslar_el1, xzr		/* the OS lock, set at reset, holds debug exceptions back */
	mrs	x1, mdscr_el1
	orr	x1, x1, #1		/* SS */
	orr	x1, x1, #(1 << 13)	/* KDE: debug exceptions at EL1 */
	msr	mdscr_el1, x1
	msr	elr_el1, x0
	mov	x1, #0x1c5		/* EL1h, A, I and F masked, D clear */
	orr	x1, x1, #(1 << 21)	/* PSTATE.SS: one instruction, then the step exception */
	msr	spsr_el1, x1
	adr	x30, 1f			/* where fn returns to */
	isb
	eret
1:	ldp	x29, x30, [sp], #16
	ret
	.size self_step_call, . - self_step_call

	.type guest_self_stepped, %function
guest_self_stepped:
	nop				/* the instruction stepped */
	nop
	ret
	.size guest_self_stepped, . - guest_self_stepped

	.section .note.GNU-stack, "", %progbits
