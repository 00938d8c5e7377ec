/* One of each instruction riscv64 functions start with that the debugger client leaves a breakpoint on by
 * emulating (src/arch/riscv64/emulation.ts), each under a label of its own (emu_*), so a test can put a
 * breakpoint on each and compare the client's emulation with QEMU's own step: the full forms (norvc, as
 * gcc emits them without the C extension) and the compressed ones. emulated_results() returns a checksum
 * of everything they leave (stack pointer moves, the frame pointer, stored words, a moved register,
 * constants, an address from sp; auipc says where the checksum is stored), printed by the `emulated` action: 0x163455789abcdef unless one of them went wrong, with or without
 * breakpoints on them. */
	.text
	.globl emulated_instructions, emulated_results
	.globl emu_addi_sp, emu_sd_ra, emu_sd_s0, emu_addi_s0, emu_nop
	.globl emu_c_addi16sp, emu_c_addi, emu_c_sdsp, emu_c_nop, emu_c_mv
	.globl emu_lui, emu_c_lui, emu_c_li, emu_c_addi4spn, emu_auipc
	.type emulated_instructions, @function
	.balign 4
emulated_instructions:
	mv t0, sp		/* the entry sp, the caller's s0 and s1 */
	mv t3, s0
	mv t4, s1
	.option push
	.option norvc
emu_addi_sp:
	addi sp, sp, -64
emu_sd_ra:
	sd ra, 56(sp)
emu_sd_s0:
	sd s0, 48(sp)
emu_addi_s0:
	addi s0, sp, 64
emu_nop:
	nop
	.option pop
	mv t1, sp
emu_c_addi16sp:
	c.addi16sp sp, -32
emu_c_addi:
	c.addi sp, -16
emu_c_sdsp:
	c.sdsp s1, 8(sp)
	li a0, 0x0123456789abcdef
emu_c_nop:
	c.nop
emu_c_mv:
	c.mv s1, a0

	/* Each quantity in a field of its own: (entry sp - sp after addi) << 48 = 64, (that - sp after the
	 * compressed moves) << 32 = 48, the moved register whole; every other term is 0 when right. */
	sub a1, t0, t1
	slli a1, a1, 48
	sub a2, t1, sp
	slli a2, a2, 32
	xor a0, a1, a2
	xor a0, a0, s1
	sub a1, s0, t0		/* addi s0: the frame pointer is the entry sp */
	xor a0, a0, a1
	ld a1, 56(t1)		/* sd ra */
	sub a1, a1, ra
	xor a0, a0, a1
	ld a1, 48(t1)		/* sd s0 */
	sub a1, a1, t3
	slli a1, a1, 8
	xor a0, a0, a1
	ld a1, 8(sp)		/* c.sdsp */
	sub a1, a1, t4
	slli a1, a1, 16
	xor a0, a0, a1

	/* Constants and addresses, each term 0 when right: lui + c.lui + c.li make 0xffffffff7ffe1ffd,
	 * c.addi4spn is sp + 16, and lla (auipc, addi) is where the checksum goes. */
emu_lui:
	lui a2, 0x80001		/* 0xffffffff80001000: sign-extended */
emu_c_lui:
	c.lui a3, 0xfffe1	/* -0x1f000 */
emu_c_li:
	c.li a4, -3
	add a2, a2, a3
	add a2, a2, a4
	li a3, 0xffffffff7ffe1ffd
	xor a2, a2, a3
	xor a0, a0, a2
emu_c_addi4spn:
	c.addi4spn a2, sp, 16
	sub a2, a2, sp
	addi a2, a2, -16
	xor a0, a0, a2
emu_auipc:
	lla a1, emu_checksum
	sd a0, 0(a1)

	ld s1, 8(sp)
	addi sp, sp, 48
	ld s0, 48(sp)
	ld ra, 56(sp)
	addi sp, sp, 64
	ret
	.size emulated_instructions, . - emulated_instructions

	.type emulated_results, @function
emulated_results:
	la a0, emu_checksum
	ld a0, 0(a0)
	ret
	.size emulated_results, . - emulated_results

	.data
	.balign 8
emu_checksum:
	.quad 0

	.section .note.GNU-stack, "", @progbits
