/* common.c - see common.h. */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int ts_fail(ts_error *err, int line, int col, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->line = line;
		err->col = col;
	}
	return -1;
}

void ts_error_prefix(ts_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	char buf[sizeof(err->msg) * 2];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%s", err->msg);
	memcpy(err->msg, buf, sizeof(err->msg) - 1);
	err->msg[sizeof(err->msg) - 1] = '\0';
}

const char *ts_level_name(ts_level l)
{
	switch (l) {
	case TS_LEVEL_READ:
		return "read";
	case TS_LEVEL_WRITE:
		return "write";
	default:
		return "none";
	}
}

bool ts_strcaseeq(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}
