/*
 * PVH (and multiboot v1) entry: the loader leaves us in 32-bit protected mode
 * with paging off, so we build identity-mapped page tables, switch to long
 * mode and call kmain(eax, ebx) with the loader's registers.
 */
#include "long_mode.h"

	.section .note.Xen, "a"
	.balign 4
	.long 4				/* namesz: "Xen\0" */
	.long 8				/* descsz: 64-bit entry address */
	.long 18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad _start

	.section .text.boot, "ax"
	.code32
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	/* eax/ebx identify the boot protocol; park them while we clobber. */
	mov	%eax, %esi
	mov	%ebx, %ebp

	/* Loaders differ in whether they zero .bss; the page tables live
	 * there and must start empty. */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb

	mov	$boot_stack_top, %esp

	mov	$pdpt, %eax
	or	$0x3, %eax
	mov	%eax, pml4

	/* 4 page directories of 2 MiB pages: 0-4 GiB, which covers RAM, the
	 * loader's start info and the MMIO holes (e.g. microvm's GED). */
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$12, %eax
	add	$pd, %eax
	or	$0x3, %eax
	mov	%eax, pdpt(,%ecx,8)
	inc	%ecx
	cmp	$4, %ecx
	jb	1b

	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax		/* present, writable, 2 MiB page */
	mov	%eax, pd(,%ecx,8)
	inc	%ecx
	cmp	$2048, %ecx
	jb	2b

	/* The top 32 MiB (0xfe000000-0xffffffff) hold only MMIO and the BIOS
	 * flash: the IOAPIC, HPET, local APIC (0xfee00000, used by smp=N) and
	 * microvm's GED. PCD|PWT makes them uncached whatever the MTRRs say.
	 * Under TCG caching attributes have no effect either way. */
	mov	$(0xfe000000 >> 21), %ecx
4:	orl	$0x18, pd(,%ecx,8)	/* PWT | PCD */
	inc	%ecx
	cmp	$2048, %ecx
	jb	4b

	enable_long_mode $pml4

	lgdt	gdt_ptr
	ljmp	$0x08, $long_mode

	.code64
long_mode:
	load_data_segments
	mov	$boot_stack_top, %rsp
	mov	%esi, %edi
	mov	%ebp, %esi
	/* A zero frame pointer ends any backtrace a debugger attempts. */
	xor	%ebp, %ebp
	call	kmain
3:	cli
	hlt
	jmp	3b
	.size _start, . - _start

	.section .rodata
	.balign 8
gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
gdt_end:
gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt

	.bss
	.balign 4096
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4096 * 4
	.balign 16
boot_stack:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
