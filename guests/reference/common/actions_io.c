/* Actions that only move bytes through the architecture's channels or wait. */
#include "actions.h"
#include "arch.h"
#include "flood.h"
#include "fmt.h"
#include "lib.h"
#include "script.h"

#define MAX_SLEEP_MS 0xffffffffULL

static void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void act_print(const char *v)
{
	console_puts(v);
	console_putc('\n');
}

/* Bytes given in hex, sent to the console as they are: invalid UTF-8, NULs, escapes and other control bytes
 * that a broken guest prints and the host must survive. */
void act_raw(const char *v)
{
	for (const char *p = v; p[0] && p[1]; p += 2) {
		int hi = hex_digit(p[0]), lo = hex_digit(p[1]);

		if (hi < 0 || lo < 0) {
			kprintf("reference: bad value for 'raw': '%s'\n", v);
			return;
		}
		console_putc((char)(hi << 4 | lo));
	}
}

void act_e9(const char *v)
{
	debug_write(v, strlen(v));
	debug_write("\n", 1);
}

void act_code(const char *v)
{
	char item[24];

	/* Validate the whole list first so a typo emits no partial sequence. */
	for (int pass = 0; pass < 2; pass++) {
		const char *p = v;

		for (;;) {
			size_t n = 0;
			uint64_t code;

			while (*p && *p != ',') {
				if (n + 1 < sizeof(item))
					item[n++] = *p;
				p++;
			}
			item[n] = '\0';
			if (!script_number("code", item, 255, &code))
				return;
			if (pass)
				codes_write(&(uint8_t){ (uint8_t)code }, 1);
			if (!*p++)
				break;
		}
	}
}

void act_sleep(const char *v)
{
	uint64_t ms;

	if (script_number("sleep", v, MAX_SLEEP_MS, &ms))
		sleep_ms(ms);
}

void act_stages(const char *v)
{
	static const uint8_t stages[] = { 0x00, 0x20, 0x40, 0x60 };
	uint64_t ms[sizeof(stages)];
	size_t given = 0;
	char item[24];

	/* One time for every stage, or one per stage (firmware, bootloader, kernel, userspace). */
	while (given < sizeof(stages)) {
		size_t n = 0;

		while (*v && *v != ',') {
			if (n + 1 < sizeof(item))
				item[n++] = *v;
			v++;
		}
		item[n] = '\0';
		if (!script_number("stages", item, MAX_SLEEP_MS, &ms[given++]))
			return;
		if (!*v++)
			break;
	}
	if (given != 1 && given != sizeof(stages)) {
		kprintf("reference: stages takes 1 or 4 times, got %d\n", (int)given);
		return;
	}
	for (size_t i = 0; i < sizeof(stages); i++) {
		codes_write(&stages[i], 1);
		sleep_ms(ms[given == 1 ? 0 : i]);
	}
}

#define FLOOD_LINE 65	/* 64 printable characters and a newline */
#define FLOOD_LINES 94	/* one line per start offset into '!'..'~' */

static char flood_buf[FLOOD_LINE * FLOOD_LINES];

void flood(const char *name, const char *v,
		  void (*write)(const char *buf, size_t len))
{
	int forever = streq(v, "forever");
	uint64_t left = 0;

	if (!forever && !script_number(name, v, UINT64_MAX, &left))
		return;
	for (int line = 0; line < FLOOD_LINES; line++) {
		char *l = flood_buf + line * FLOOD_LINE;

		for (int i = 0; i < FLOOD_LINE - 1; i++)
			l[i] = (char)('!' + (line + i) % FLOOD_LINES);
		l[FLOOD_LINE - 1] = '\n';
	}
	while (forever || left) {
		size_t n = sizeof(flood_buf);

		if (!forever && left < n)
			n = (size_t)left;
		write(flood_buf, n);
		left -= forever ? 0 : n;
	}
}

void act_flood(const char *v)
{
	flood("flood", v, console_write_unpaced);
}

void act_e9flood(const char *v)
{
	flood("e9flood", v, debug_write);
}

static void codes_write_text(const char *buf, size_t len)
{
	codes_write((const uint8_t *)buf, len);
}

/* The same bytes as stage codes: each is one code. */
void act_codeflood(const char *v)
{
	flood("codeflood", v, codes_write_text);
}

void act_echo(const char *v)
{
	char line[256];
	size_t n = 0;
	int last = 0;

	(void)v;
	/* A shell-like prompt without a newline, as real shells print them. */
	console_puts("echo> ");
	for (;;) {
		int c = console_getc();

		if (c == 0x03) {
			/* Ctrl-C drops the line being typed, as a shell does. */
			n = 0;
			kprintf("^C\n");
			console_puts("echo> ");
			continue;
		}
		if (c == '\n' && last == '\r') {
			last = c;
			continue;	/* second half of a CRLF */
		}
		last = c;
		if (c != '\r' && c != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = (char)c;
			continue;
		}
		line[n] = '\0';
		n = 0;
		if (streq(line, "exit"))
			act_exit("0");
		kprintf("echo: %s\n", line);
		console_puts("echo> ");
	}
}

void act_cpus(const char *v)
{
	int n = cpu_count();

	(void)v;
	if (n < 0)
		kprintf("cpus: unknown\n");
	else
		kprintf("cpus: %d\n", n);
}
