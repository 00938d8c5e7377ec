/*
 * aarch64 entry: QEMU starts the boot CPU here in EL1 with the MMU off (the
 * others stay off until PSCI CPU_ON sends them to secondary_entry). Sets a
 * stack, zeroes .bss, installs the exception vectors and calls kmain.
 */
#include "smp.h"

#define FRAME_SIZE (34 * 8)	/* x0-x30, ELR, SPSR, padding to 16 */

	.section .text.boot, "ax"
	.globl _start
	.type _start, %function
_start:
	ldr	x1, =boot_stack_top
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adr	x1, exception_vectors
	msr	vbar_el1, x1
	isb
	/* Zero frame pointer and link register end any backtrace. */
	mov	x29, #0
	mov	x30, #0
	bl	kmain
3:	wfi
	b	3b
	.size _start, . - _start

	/* PSCI CPU_ON's entry: x0 is the context ID, the CPU's index. */
	.globl secondary_entry
	.type secondary_entry, %function
secondary_entry:
	cmp	x0, #SMP_MAX_CPUS
	b.hs	3b
	add	x1, x0, #1
	mov	x2, #SMP_STACK_SIZE
	mul	x1, x1, x2
	ldr	x2, =smp_ap_stacks
	add	sp, x2, x1
	adr	x1, exception_vectors
	msr	vbar_el1, x1
	isb
	mov	x29, #0
	mov	x30, #0
	bl	smp_ap_main
	b	3b
	.size secondary_entry, . - secondary_entry

	/* Every vector saves the registers and calls exception_handler(frame,
	 * vector index); returning from it resumes at the frame's ELR. */
	.macro vector index
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	exception_entry
	.endm

	.text
	.balign 2048
	.globl exception_vectors
exception_vectors:
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector \i
	.endr

	.type exception_entry, %function
exception_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el1
	stp	x30, x2, [sp, #240]
	mrs	x2, spsr_el1
	str	x2, [sp, #256]
	mov	x0, sp
	bl	exception_handler
	ldr	x2, [sp, #256]
	msr	spsr_el1, x2
	ldp	x30, x2, [sp, #240]
	msr	elr_el1, x2
	ldp	x28, x29, [sp, #224]
	ldp	x26, x27, [sp, #208]
	ldp	x24, x25, [sp, #192]
	ldp	x22, x23, [sp, #176]
	ldp	x20, x21, [sp, #160]
	ldp	x18, x19, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
	.size exception_entry, . - exception_entry

	.bss
	.balign 16
boot_stack:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", %progbits
