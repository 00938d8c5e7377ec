/* Calls into OpenSBI (the SBI spec's ecall convention). */
#ifndef REF_RISCV64_SBI_H
#define REF_RISCV64_SBI_H

#define SBI_EXT_HSM 0x48534d
#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1

#define SBI_EXT_SRST 0x53525354
#define SBI_SRST_RESET 0
#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_NO_REASON 0

#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_ALREADY_AVAILABLE (-6)

struct sbiret {
	long error;	/* 0 on success, a negative SBI_ERR_* otherwise */
	long value;
};

struct sbiret sbi_call(long ext, long fn, long a0, long a1, long a2);

#endif
