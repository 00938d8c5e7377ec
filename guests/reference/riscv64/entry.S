/* OpenSBI enters here in S-mode, MMU off, interrupts off: a0 = hartid,
 * a1 = the DTB. Harts started by SBI HSM (smp_start.c) enter at
 * secondary_entry with a0 = hartid.
 *
 * OpenSBI 1.1's hart_start marks the hart START_PENDING before it stores the
 * hart's entry and argument, so a hart that reaches its wait loop in between
 * (it was still in OpenSBI's warm boot: seen under host load) jumps to what
 * its scratch held: this _start, with the DTB in a1. The first hart here
 * claims the boot; any later one is such a started hart and goes to
 * secondary_entry, which takes nothing from a1 for the same reason. */
#include "smp.h"

	.section .text.boot, "ax"
	.globl _start
_start:
	la t0, boot_claimed
	li t1, 1
	amoswap.w t1, t1, (t0)
	bnez t1, secondary_entry
	mv tp, a0
	la t0, trap_entry
	csrw stvec, t0
	la sp, boot_stack_top
	la t0, __bss_start
	la t1, __bss_end
1:	bgeu t0, t1, 2f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 1b
2:	call kmain
3:	wfi
	j 3b

	/* The CPU ID is the hart's index in smp_hartids (smp_start.c), filled
	 * before any hart was started; CPU n's stack ends at
	 * smp_ap_stacks[n + 1] (smp.h). */
	.globl secondary_entry
secondary_entry:
	mv tp, a0
	la t0, trap_entry
	csrw stvec, t0
	la t0, smp_hartids
	li a1, 0
	li t2, SMP_MAX_CPUS
5:	ld t3, 0(t0)
	beq t3, a0, 6f
	addi t0, t0, 8
	addi a1, a1, 1
	bltu a1, t2, 5b
	/* A hart smp=N did not start: nothing for it to do. */
7:	wfi
	j 7b
6:	la sp, smp_ap_stacks
	addi t0, a1, 1
	li t1, SMP_STACK_SIZE
	mul t0, t0, t1
	add sp, sp, t0
	mv a0, a1
	call smp_ap_main
4:	wfi
	j 4b

	/* In .data, not .bss: the boot hart clears .bss after claiming. */
	.data
	.balign 4
boot_claimed:
	.word 0

	.bss
	.balign 16
	.space 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
