/* Arm semihosting, which aarch64 and riscv64 share (only the trap differs):
 * the debug channel (SYS_WRITEC/SYS_WRITE0 to QEMU's -semihosting-config
 * chardev) and an exit with a status (SYS_EXIT). Needs QEMU's
 * -semihosting-config enable=on,target=native; without it the trap is an
 * exception these guests do not handle. */
#ifndef REF_SEMIHOSTING_H
#define REF_SEMIHOSTING_H

#include <stddef.h>
#include <stdint.h>

/* <arch>/: one semihosting call, `op` with its argument (a pointer). */
long semihosting_call(long op, const void *arg);

/* The bytes as they are on the debug channel. */
void semihosting_write(const char *buf, size_t len);

/* SYS_EXIT, ADP_Stopped_ApplicationExit with `status`: QEMU exits with it.
 * Returns only if QEMU did not exit. */
void semihosting_exit(uint8_t status);

/* The semihosting-exit=V action: SYS_EXIT with V. */
void act_semihosting_exit(const char *v);

#endif
