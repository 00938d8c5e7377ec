/* The common command-line actions (script.c's table). Each takes the text
 * after '=' (NULL if none); the dispatcher has already checked that actions
 * needing a value got one. */
#ifndef REF_ACTIONS_H
#define REF_ACTIONS_H

/* actions_io.c */
void act_print(const char *v);
void act_raw(const char *v);
void act_e9(const char *v);
void act_code(const char *v);
void act_sleep(const char *v);
void act_stages(const char *v);
void act_flood(const char *v);
void act_e9flood(const char *v);
void act_codeflood(const char *v);
void act_echo(const char *v);
void act_cpus(const char *v);

/* hooks.c */
void act_check(const char *v);
void act_loop(const char *v);
void act_emulated(const char *v);

/* ends.c */
void act_exit(const char *v);
void act_poweroff(const char *v);
void act_hang(const char *v);
void act_spin(const char *v);

/* virtio_console.c */
void act_vprint(const char *v);
void act_vflood(const char *v);
void act_vrate(const char *v);

/* smp.c */
void act_smp(const char *v);

/* uktest.c, ktap.c, panic.c, crash_screen.c; crashloop's register dump is
 * the architecture's (crash.c there) */
void act_uktest(const char *v);
void act_uktest_old(const char *v);
void act_ktap(const char *v);
void act_panic(const char *v);
void act_crashloop(const char *v);

#endif
