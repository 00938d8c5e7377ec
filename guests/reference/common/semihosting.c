#include "ends.h"
#include "semihosting.h"

#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

/* SYS_WRITE0 takes a NUL-terminated string: bytes go out in chunks copied
 * here, and a NUL in the data goes alone through SYS_WRITEC. */
void semihosting_write(const char *buf, size_t len)
{
	static char chunk[4096];
	size_t n = 0;

	for (size_t i = 0; i <= len; i++) {
		if (n && (i == len || !buf[i] || n + 1 == sizeof(chunk))) {
			chunk[n] = '\0';
			semihosting_call(SYS_WRITE0, chunk);
			n = 0;
		}
		if (i == len)
			break;
		if (!buf[i])
			semihosting_call(SYS_WRITEC, &buf[i]);
		else
			chunk[n++] = buf[i];
	}
}

/* 64-bit semihosting passes SYS_EXIT a block {reason, subcode}; the 32-bit
 * form (the reason itself as the argument) does not exit on QEMU 7.2. */
void semihosting_exit(uint8_t status)
{
	static uint64_t block[2];

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = status;
	semihosting_call(SYS_EXIT, block);
}

/* semihosting-exit=V, so that one command line ends the run with a status on
 * aarch64 and riscv64 alike. */
void act_semihosting_exit(const char *v)
{
	end_with_status("semihosting-exit", v, semihosting_exit,
			"semihosting exit returned");
}
