/* Multiboot v1 header, linked only into reference-multiboot.elf: QEMU checks
 * for it before the PVH note and refuses 64-bit ELFs that carry it. With no
 * address fields (flag bit 16 clear) QEMU loads the ELF32 program headers and
 * jumps to e_entry, which is the same _start the PVH note names. */
	.section .multiboot, "a"
	.balign 4
	.long 0x1badb002
	.long 0
	.long -0x1badb002

	.section .note.GNU-stack, "", @progbits
