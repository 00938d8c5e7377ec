/* Unikraft uktest report text (lib/uktest, 0.11+ and the older form). */
#ifndef REF_UKTEST_H
#define REF_UKTEST_H

/* Prints one current-form assertion line: TAB, message, dots to column 80,
 * [ PASSED ] or [ FAILED ]. */
void uktest_assert_line(int passed, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
