/* What the boot CPU's entry (entry.S) and an application processor's
 * (smp_entry.S) both do on the way from 32-bit protected mode to long mode.
 * Assembler macros: include from .S files only. */
#ifndef REF_LONG_MODE_H
#define REF_LONG_MODE_H

/* PAE, the page tables whose root `pml4` names (an immediate or a memory
 * operand), EFER.LME and paging: compatibility mode until a far jump to a
 * 64-bit code segment. PE is set already. Clobbers eax, ecx, edx. */
.macro enable_long_mode pml4
	mov	%cr4, %eax
	or	$0x20, %eax		/* PAE */
	mov	%eax, %cr4
	mov	\pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx	/* EFER */
	rdmsr
	or	$0x100, %eax		/* LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80000000, %eax	/* PG */
	mov	%eax, %cr0
.endm

/* In 64-bit code: every data segment register to the GDT's data selector
 * (0x10 in both GDTs). */
.macro load_data_segments
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs
.endm

#endif
