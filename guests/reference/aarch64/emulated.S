/* One of each instruction arm64 functions start with that the debugger client can emulate to leave a
 * breakpoint instead of single-stepping it (src/arch/aarch64/emulation.ts), each under a label of its own
 * (emu_*), so a test can put a breakpoint on each and compare the client's emulation with QEMU's own step.
 * paciasp and bti c are written as the HINT instructions they are (#25, #34), so no -march is needed; with
 * SCTLR_EL1.EnIA clear, as this guest leaves it, paciasp changes nothing. emulated_results() returns a
 * checksum of what they leave (the frame's size, x29's place in it, the saved x29/x30 read back, x30 after
 * paciasp, a movz constant; adrp and adr say where the checksum is stored and read), printed by the
 * `emulated` action: 0x205000 when all is right, with or without breakpoints. */
	.text
	.globl emulated_instructions, emulated_results
	.globl emu_paciasp, emu_bti_c, emu_nop, emu_stp_pre, emu_mov_x29_sp, emu_sub_sp, emu_movz, emu_adrp, emu_adr
	.globl emu_bti_c_blr, emu_stp_offset, emu_str_pre, emu_str_offset, emu_add_x29_sp, emu_mov_x9_x10, emu_add_w9
	.globl emu_stp_post
	.type emulated_instructions, %function
	.balign 4
emulated_instructions:
	mov	x9, sp			/* sp on entry */
	mov	x10, x30		/* x30 before paciasp */
	mov	x15, x29		/* x29 before the frame */
emu_paciasp:
	hint	#25			/* paciasp */
emu_bti_c:
	hint	#34			/* bti c */
emu_nop:
	nop
emu_stp_pre:
	stp	x29, x30, [sp, #-48]!
emu_mov_x29_sp:
	mov	x29, sp
emu_sub_sp:
	sub	sp, sp, #32
	mov	x16, sp
	sub	x11, x9, x16		/* 80: both stack adjustments */
	sub	x12, x29, x16		/* 32: x29 at the stp's frame */
	ldp	x13, x14, [x29]		/* what the stp stored */
	eor	x13, x13, x15		/* 0 if x29 was stored */
	eor	x14, x14, x30		/* 0 if x30 was stored */
	eor	x0, x30, x10		/* 0 unless paciasp signed x30 */
	eor	x0, x0, x11, lsl #8
	eor	x0, x0, x12, lsl #16
	eor	x0, x0, x13
	eor	x0, x0, x14
emu_movz:
	mov	x17, #0x50000		/* movz, lsl #16 */
	sub	x0, x0, x17
	add	x0, x0, #0x50, lsl #12	/* x0 as it was, unless x17 was wrong */
emu_adrp:
	adrp	x1, emu_checksum
	add	x1, x1, :lo12:emu_checksum
	str	x0, [x1]
	/* The other forms the client emulates, each compared with QEMU's step (the checksum is stored; x9,
	 * x10 and x29 are scratch now, x29 being restored below); sp is back where it was after them. */
emu_stp_offset:
	stp	x29, x30, [sp, #16]	/* no writeback */
emu_str_pre:
	str	x30, [sp, #-16]!
emu_str_offset:
	str	xzr, [sp, #8]
emu_add_x29_sp:
	add	x29, sp, #16
emu_mov_x9_x10:
	mov	x9, x10
emu_add_w9:
	add	w9, w9, #1
emu_stp_post:
	stp	x9, x10, [sp], #16
	adr	x16, emu_bti_c_blr
	blr	x16			/* a call through a register: x30 is restored below */
	add	sp, sp, #32
	ldp	x29, x30, [sp], #48
	hint	#29			/* autiasp */
	ret
	.size emulated_instructions, . - emulated_instructions

	/* Reached by blr: PSTATE.BTYPE is 10 there, which bti c accepts (the emulation checks it and clears
	 * it, as running the instruction does). */
	.type emu_bti_c_blr, %function
emu_bti_c_blr:
	hint	#34			/* bti c */
	ret
	.size emu_bti_c_blr, . - emu_bti_c_blr

	.type emulated_results, %function
emulated_results:
emu_adr:
	adr	x1, emu_checksum
	ldr	x0, [x1]
	ret
	.size emulated_results, . - emulated_results

	.data
	.balign 8
emu_checksum:
	.quad 0

	.section .note.GNU-stack, "", %progbits
