#include "cmdline.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Returns the byte an escape stands for, or 0 for an unknown escape, whose
 * backslash is then kept literally. */
static char unescape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'e':
		return '\x1b';
	case '\\':
	case '"':
		return c;
	default:
		return 0;
	}
}

int cmdline_next(const char **cursor, struct action *a, char *buf,
		 size_t size)
{
	const char *p = *cursor;
	size_t len = 0;
	int quoted = 0;
	long eq = -1;

	while (is_space(*p))
		p++;
	if (!*p) {
		*cursor = p;
		return 0;
	}

	for (; *p && (quoted || !is_space(*p)); p++) {
		char c = *p;

		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted && c == '\\' && unescape(p[1])) {
			c = unescape(*++p);
		} else if (!quoted && c == '=' && eq < 0 && len + 1 < size) {
			eq = (long)len;
			c = '\0';
		}
		if (len + 1 < size)
			buf[len++] = c;
	}
	buf[len] = '\0';
	*cursor = p;

	a->name = buf;
	a->value = eq >= 0 ? buf + eq + 1 : NULL;
	return 1;
}
