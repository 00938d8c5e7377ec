/* The actions only riscv64 offers (actions.c's table). */
#ifndef REF_RISCV_ACTIONS_H
#define REF_RISCV_ACTIONS_H

/* power.c */
void act_reset(const char *v);
void act_semihosting_exit(const char *v);

/* smp_start.c */
void act_hsm_stale_entry(const char *v);

#endif
