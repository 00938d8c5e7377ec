/*
 * Application-processor start-up path for smp=N. A STARTUP IPI with vector
 * SMP_TRAMPOLINE >> 12 starts an AP in real mode at CS = SMP_TRAMPOLINE >> 4,
 * IP = 0, where act_smp has copied smp_trampoline. The AP goes to 32-bit
 * protected mode with a GDT of its own, then to long mode with the BSP's page
 * tables (smp_boot_cr3) and GDT (smp_boot_gdtr), takes the stack its local
 * APIC ID selects and calls smp_ap_main(apic_id).
 */
#include "long_mode.h"
#include "smp.h"
#include "smp_trampoline.h"

	.section .rodata
	.code16
	.globl smp_trampoline, smp_trampoline_end
	/* Only CS-relative addressing, so the copy runs at any 4 KiB page
	 * below 1 MiB; the far jump leaves for the kernel image at once. */
smp_trampoline:
	cli
	cld
	lgdtl	%cs:ap_gdtr - smp_trampoline
	mov	%cr0, %eax
	and	$0x9fffffff, %eax	/* clear CD, NW: INIT leaves caching off */
	or	$0x1, %eax		/* PE */
	mov	%eax, %cr0
	ljmpl	$0x08, $ap_entry32
ap_gdtr:
	.word	ap_gdt_end - ap_gdt - 1
	.long	ap_gdt
smp_trampoline_end:
	.if smp_trampoline_end - smp_trampoline > 4096
	.error "smp_trampoline must fit in one page"
	.endif

	/* The BSP's GDT has no 32-bit code segment, so the protected-mode
	 * step uses this one (same data selector). */
	.balign 8
ap_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
ap_gdt_end:

	.text
	.code32
	.type ap_entry32, @function
ap_entry32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss

	enable_long_mode smp_boot_cr3

	/* Compatibility mode now; the BSP's GDT has the 64-bit code segment
	 * at 0x08. A 32-bit lgdt reads a 32-bit base, enough below 4 GiB. */
	lgdt	smp_boot_gdtr
	ljmp	$0x08, $ap_long_mode

	.code64
ap_long_mode:
	load_data_segments

	/* This CPU's index is its local APIC ID (ID register bits 31:24),
	 * read at the xAPIC base from IA32_APIC_BASE (below 4 GiB, so inside
	 * the identity map). */
	mov	$0x1b, %ecx
	rdmsr
	and	$0xfffff000, %eax
	mov	0x20(%rax), %edi
	shr	$24, %edi
	cmp	$SMP_MAX_CPUS, %edi
	jae	1f
	lea	1(%rdi), %eax
	imul	$SMP_STACK_SIZE, %rax, %rax
	lea	smp_ap_stacks(%rax), %rsp
	/* A zero frame pointer ends any backtrace a debugger attempts. */
	xor	%ebp, %ebp
	call	smp_ap_main
1:	cli
	hlt
	jmp	1b
	.size ap_entry32, . - ap_entry32

	.section .note.GNU-stack, "", @progbits
