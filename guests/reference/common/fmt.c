#include <stdint.h>

#include "arch.h"
#include "fmt.h"

struct sink {
	void (*emit)(struct sink *s, char c);
	char *buf;
	size_t size;
	size_t len;
};

static void emit_console(struct sink *s, char c)
{
	(void)s;
	console_putc(c);
}

static void emit_buf(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void emit_padded(struct sink *s, const char *str, size_t n,
			int width, char pad, int left)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			s->emit(s, pad);
	while (n--)
		s->emit(s, *str++);
	if (left)
		while (fill-- > 0)
			s->emit(s, ' ');
}

static void vformat(struct sink *s, const char *fmt, va_list ap)
{
	char digits[24];

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			s->emit(s, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int left = 0, width = 0, is_long = 0;

		for (; *fmt == '0' || *fmt == '-'; fmt++) {
			if (*fmt == '0')
				pad = '0';
			else
				left = 1;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		if (*fmt == 'l') {
			is_long = 1;
			fmt++;
		}

		uint64_t u;
		unsigned base = 10;
		int negative = 0;

		switch (*fmt) {
		case 's': {
			const char *str = va_arg(ap, const char *);
			size_t n = 0;

			while (str[n])
				n++;
			emit_padded(s, str, n, width, ' ', left);
			continue;
		}
		case 'c':
			digits[0] = (char)va_arg(ap, int);
			emit_padded(s, digits, 1, width, ' ', left);
			continue;
		case 'd': {
			int64_t v = is_long ? va_arg(ap, long) : va_arg(ap, int);

			negative = v < 0;
			u = negative ? -(uint64_t)v : (uint64_t)v;
			break;
		}
		case 'u':
			u = is_long ? va_arg(ap, unsigned long)
				    : va_arg(ap, unsigned);
			break;
		case 'x':
			u = is_long ? va_arg(ap, unsigned long)
				    : va_arg(ap, unsigned);
			base = 16;
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			base = 16;
			s->emit(s, '0');
			s->emit(s, 'x');
			width = 16;
			pad = '0';
			break;
		case '\0':
			return;
		default:
			s->emit(s, *fmt);
			continue;
		}

		size_t n = sizeof(digits);

		do {
			digits[--n] = "0123456789abcdef"[u % base];
			u /= base;
		} while (u);
		if (negative) {
			if (pad == '0') {
				s->emit(s, '-');
				width--;
			} else {
				digits[--n] = '-';
			}
		}
		emit_padded(s, digits + n, sizeof(digits) - n, width, pad, left);
	}
}

void kprintf(const char *fmt, ...)
{
	struct sink s = { .emit = emit_console };
	va_list ap;

	va_start(ap, fmt);
	vformat(&s, fmt, ap);
	va_end(ap);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .emit = emit_buf, .buf = buf, .size = size };

	vformat(&s, fmt, ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
}
