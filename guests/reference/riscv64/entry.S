/* OpenSBI enters here in S-mode, MMU off, interrupts off: a0 = hartid,
 * a1 = the DTB. Harts started by SBI HSM (smp_start.c) enter at
 * secondary_entry with a0 = hartid, a1 = their CPU ID. */
#include "smp.h"

	.section .text.boot, "ax"
	.globl _start
_start:
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

	/* CPU n's stack ends at smp_ap_stacks[n + 1] (smp.h). */
	.globl secondary_entry
secondary_entry:
	mv tp, a0
	la t0, trap_entry
	csrw stvec, t0
	la sp, smp_ap_stacks
	addi t0, a1, 1
	li t1, SMP_STACK_SIZE
	mul t0, t0, t1
	add sp, sp, t0
	mv a0, a1
	call smp_ap_main
4:	wfi
	j 4b

	.bss
	.balign 16
	.space 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
