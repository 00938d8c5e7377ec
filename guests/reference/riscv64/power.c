/* riscv64's ends: the sifive_test finisher at 0x100000 for a status (S-mode
 * may write it: OpenSBI 1.1 leaves it outside its PMP regions), SBI SRST for
 * power-off and reset (OpenSBI writes the same finisher). Semihosting's
 * SYS_EXIT, the other status exit, is common/semihosting.c's. */
#include "arch.h"
#include "ends.h"
#include "riscv_actions.h"
#include "sbi.h"

#define SIFIVE_TEST ((volatile uint32_t *)0x100000ul)
#define FINISHER_FAIL 0x3333	/* QEMU exits with the value's upper 16 bits */
#define FINISHER_PASS 0x5555	/* QEMU exits 0 */

/* 0 goes as PASS: FAIL with 0 exits 0 too, but as a failure. QEMU exits in
 * the store itself (no SHUTDOWN event on QMP). */
void request_exit(uint8_t value)
{
	*SIFIVE_TEST = value ? (uint32_t)value << 16 | FINISHER_FAIL : FINISHER_PASS;
}

/* OpenSBI writes FINISHER_PASS: QEMU exits 0, with no SHUTDOWN event. */
void request_poweroff(void)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN,
		 SBI_SRST_NO_REASON, 0);
}

/* OpenSBI writes the finisher's RESET: QEMU emits SHUTDOWN(guest-reset) and,
 * under -no-reboot, exits 0; without it the machine boots again. */
void act_reset(const char *v)
{
	(void)v;
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_COLD_REBOOT,
		 SBI_SRST_NO_REASON, 0);
	end_unanswered("reset");
}
