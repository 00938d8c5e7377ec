/* QEMU's fw_cfg interface, present on pc, q35 and microvm. */
#ifndef REF_FWCFG_H
#define REF_FWCFG_H

/* Returns the -smp CPU count, or -1 when there is no fw_cfg device. */
int fwcfg_cpu_count(void);

#endif
