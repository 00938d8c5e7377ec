/* One of each instruction the debugger client can emulate to leave a breakpoint instead of single-stepping
 * it (src/arch/x86-emulation.ts), each under a label of its own (emu_*), so a test can put a breakpoint on
 * each and compare the client's emulation with QEMU's own step. The values are chosen to set and clear the
 * flags ADD and SUB compute (carry, parity, adjust, zero, sign, overflow); emulated_results() returns a
 * checksum of everything they leave, printed by the `emulated` action, which must not change whether a
 * debugger emulated them or not. */
	.text
	.globl emulated_instructions, emulated_results
	.globl emu_endbr64, emu_nop1, emu_nop5, emu_nopw, emu_push_rbp, emu_mov_rsp_rbp, emu_push_r12
	.globl emu_sub_rsp, emu_add_eax, emu_sub_ecx, emu_sub_edx, emu_lock_addq, emu_addl_mem, emu_lock_subq, emu_subl_mem
	.globl emu_call, emu_add_rsp, emu_leaf
	.type emulated_instructions, @function
emulated_instructions:
emu_endbr64:
	endbr64
emu_nop1:
	nop
emu_nop5:
	.byte 0x0f, 0x1f, 0x44, 0x00, 0x00	/* nopl 0x0(%rax,%rax,1), the 5-byte NOP of ftrace sites */
emu_nopw:
	.byte 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00	/* data16 cs nopw 0x0(%rax,%rax,1) */
emu_push_rbp:
	push %rbp
emu_mov_rsp_rbp:
	mov %rsp, %rbp
emu_push_r12:
	push %r12
emu_sub_rsp:
	sub $0x18, %rsp
	movabs $0xffffffff7ffffff8, %rax
emu_add_eax:
	add $8, %eax			/* 0x7ffffff8 + 8: overflow, sign, adjust (8 + 8 carries out of bit 3), parity; rax's upper half cleared */
	mov $0x80000000, %ecx
emu_sub_ecx:
	sub $1, %ecx			/* signed overflow, adjust */
	mov $5, %edx
emu_sub_edx:
	sub $5, %edx			/* equal operands: zero, no borrow */
	mov %rax, 0(%rsp)
	mov %rcx, 8(%rsp)
emu_lock_addq:
	lock addq $1, emu_counter(%rip)	/* 0xffffffffffffffff + 1: carry, zero, adjust */
	pushf
	pop %rax
	mov %rax, 16(%rsp)
emu_addl_mem:
	addl $0x7f, emu_word(%rip)	/* 0x7fffff81 + 0x7f: signed overflow */
emu_lock_subq:
	lock subq $2, emu_counter(%rip)	/* 0 - 2: borrow, sign */
emu_subl_mem:
	subl $-128, emu_word(%rip)	/* minus a negative immediate */
	pushf
	pop %rax
	xor %rax, 16(%rsp)
emu_call:
	call emu_leaf
	mov 0(%rsp), %rax
	xor 8(%rsp), %rax
	xor 16(%rsp), %rax
	mov %rax, emu_checksum(%rip)
emu_add_rsp:
	add $0x18, %rsp
	pop %r12
	pop %rbp
	ret
	.size emulated_instructions, . - emulated_instructions

	.type emu_leaf, @function
emu_leaf:
	ret
	.size emu_leaf, . - emu_leaf

	/* The checksum, the counter and the word, and the arithmetic flags after the last SUB (the checksum
	 * holds the flags after the first memory ADD XORed with those, so both count). */
	.type emulated_results, @function
emulated_results:
	mov emu_checksum(%rip), %rax
	xor emu_counter(%rip), %rax
	xor emu_word(%rip), %rax
	ret
	.size emulated_results, . - emulated_results

	.data
	.balign 8
emu_counter:
	.quad 0xffffffffffffffff
emu_word:
	.long 0x7fffff81
	.long 0
emu_checksum:
	.quad 0

	.section .note.GNU-stack, "", @progbits
