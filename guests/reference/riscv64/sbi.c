#include "sbi.h"

/* a7 = extension, a6 = function, arguments from a0; error in a0, value in a1. */
struct sbiret sbi_call(long ext, long fn, long a0, long a1, long a2)
{
	register long r0 asm("a0") = a0;
	register long r1 asm("a1") = a1;
	register long r2 asm("a2") = a2;
	register long r6 asm("a6") = fn;
	register long r7 asm("a7") = ext;

	asm volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r6), "r"(r7)
		     : "memory");
	return (struct sbiret){ r0, r1 };
}
