/* The actions only x86_64 offers (actions.c's table). */
#ifndef REF_X86_ACTIONS_H
#define REF_X86_ACTIONS_H

/* actions.c */
void act_fw(const char *v);
void act_fwflood(const char *v);

/* power.c */
void act_exit501(const char *v);
void act_poweroff_exit(const char *v);
void act_pvpanic(const char *v);
void act_triplefault(const char *v);

/* cpu_features.c */
void act_rdrand(const char *v);

#endif
