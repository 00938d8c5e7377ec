/* What riscv64's entry hands the rest: the boot hart, and a trap vector. */
#ifndef REF_RISCV64_BOOT_H
#define REF_RISCV64_BOOT_H

/* The hart OpenSBI entered the kernel on (not always hart 0: OpenSBI's
 * lottery picks it). Every hart keeps its own hartid in tp. */
extern unsigned long boot_hartid;
/* The DTB OpenSBI entered the kernel with. */
extern const void *boot_dtb;

static inline unsigned long current_hartid(void)
{
	unsigned long tp;

	asm volatile("mv %0, tp" : "=r"(tp));
	return tp;
}

#endif
