/* load.c - see load.h. */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when it is invalid. */
static size_t ts_utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned min;
	unsigned cp;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2, min = 0x80, cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3, min = 0x800, cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4, min = 0x10000, cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Whether none of the 8 * n bytes at s is NUL or above 0x7F, in one test
 * for all n words: the loop below spends most of its time here. */
static inline bool ts_ascii_words(const unsigned char *s, int n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t bad = 0;
	for (int k = 0; k < n; k++) {
		uint64_t w;
		memcpy(&w, s + 8 * k, sizeof(w));
		bad |= w | ((w - ones) & ~w);
	}
	return (bad & highs) == 0;
}

/* Offset of the first NUL or invalid UTF-8 byte, or len. Workflows are
 * nearly all ASCII, so 32 or 8 bytes are checked at a time. */
static size_t ts_first_bad(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		while (len - i >= 32 && ts_ascii_words(s + i, 4))
			i += 32;
		if (len - i >= 8 && ts_ascii_words(s + i, 1)) {
			i += 8;
			continue;
		}
		if (s[i] == 0)
			return i;
		size_t n = ts_utf8_len(s + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

/* Finds the first NUL or invalid UTF-8 byte; reports its line and column
 * (columns count characters, as editors do). The position is counted only
 * once an error is found, from the start: every byte before it is valid. */
static void ts_position(const unsigned char *s, size_t len, size_t at, int *line,
			int *col)
{
	*line = 1, *col = 1;
	for (size_t i = 0; i < at; i += ts_utf8_len(s + i, len - i)) {
		if (s[i] == '\n')
			(*line)++, *col = 1;
		else
			(*col)++;
	}
}

/* A carriage return must end a CRLF pair: YAML reads a lone one as a line
 * break, which every offset computed from LF would then miss. */
static int ts_check_cr(const char *text, size_t len, ts_error *err)
{
	for (const char *p = text; (p = memchr(p, '\r', (size_t)(text + len - p))); p++) {
		if (p + 1 < text + len && p[1] == '\n')
			continue;
		int line, col;
		ts_position((const unsigned char *)text, len, (size_t)(p - text), &line, &col);
		return ts_fail(err, line, col,
			       "a carriage return that does not end a line: use LF or CRLF line ends");
	}
	return 0;
}

static int ts_check_text(const char *text, size_t len, ts_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t bad = ts_first_bad(s, len);
	if (bad == len)
		return ts_check_cr(text, len, err);
	int line, col;
	ts_position(s, len, bad, &line, &col);
	if (s[bad] == 0)
		return ts_fail(err, line, col, "NUL byte: a workflow is text");
	return ts_fail(err, line, col,
		       "invalid UTF-8 (byte 0x%02x): GitHub reads workflows as UTF-8",
		       s[bad]);
}

static void ts_describe(ts_source *out, const char *text, size_t len)
{
	/* Line ends are counted only when there is a CR at all: most files
	 * have none, and a memchr per line is most of this function. */
	size_t crlf = 0, lf = 0;
	bool any_cr = memchr(text, '\r', len) != NULL;
	for (const char *p = text; any_cr && (p = memchr(p, '\n', (size_t)(text + len - p)));
	     p++) {
		if (p > text && p[-1] == '\r')
			crlf++;
		else
			lf++;
	}
	out->text = text;
	out->len = len;
	out->bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3);
	out->crlf = crlf > lf;
	out->final_newline = len > 0 && text[len - 1] == '\n';
}

int ts_load_bytes(const char *path, const char *text, size_t len,
		  const ts_load_opts *opts, ts_source *out, ts_error *err)
{
	size_t max = opts && opts->max_size ? opts->max_size : TS_DEFAULT_MAX_SIZE;
	memset(out, 0, sizeof(*out));
	out->path = path;
	if (len > max)
		return ts_fail(err, 0, 0, "file is %zu bytes, over the limit of %zu (--max-size)",
			       len, max);
	size_t body = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	bool blank = true;
	for (size_t i = body; i < len && blank; i++)
		blank = text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t';
	if (blank)
		return ts_fail(err, 0, 0, "empty file: no workflow in it");
	if (ts_check_text(text, len, err) < 0)
		return -1;
	ts_describe(out, text, len);
	return 0;
}

/* A symlink is read only when its target is a regular file inside the
 * repository: following one out of the tree could read anything. */
static int ts_check_link(const char *path, const char *root, ts_error *err)
{
	char target[PATH_MAX], top[PATH_MAX];
	if (!realpath(path, target))
		return ts_fail(err, 0, 0, "symlink does not resolve: %s", strerror(errno));
	if (!root || !realpath(root, top))
		return ts_fail(err, 0, 0, "symlink outside a repository: not followed");
	size_t n = strlen(top);
	if (strncmp(target, top, n) || (target[n] != '/' && target[n] != '\0'))
		return ts_fail(err, 0, 0, "symlink points outside the repository: not followed");
	return 0;
}

static int ts_read_fd(ts_arena *a, int fd, size_t size, size_t max,
		      char **text, size_t *len, ts_error *err)
{
	if (size > max)
		return ts_fail(err, 0, 0, "file is %zu bytes, over the limit of %zu (--max-size)",
			       size, max);
	char *buf = ts_alloc_raw(a, size + 1);    /* read over, then ended */
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return ts_fail(err, 0, 0, "read error: %s", strerror(errno));
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
}

int ts_load(ts_arena *a, const char *path, const ts_load_opts *opts,
	    ts_source *out, ts_error *err)
{
	struct stat ls, st;
	size_t max = opts && opts->max_size ? opts->max_size : TS_DEFAULT_MAX_SIZE;
	memset(out, 0, sizeof(*out));
	if (lstat(path, &ls) < 0)
		return ts_fail(err, 0, 0, "cannot read: %s", strerror(errno));
	bool link = S_ISLNK(ls.st_mode);
	if (link && ts_check_link(path, opts ? opts->root : NULL, err) < 0)
		return -1;
	if (!link)
		st = ls;        /* the same answer, one system call fewer a file */
	else if (stat(path, &st) < 0)
		return ts_fail(err, 0, 0, "cannot read: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return ts_fail(err, 0, 0, "is a directory, not a workflow file");
	if (!S_ISREG(st.st_mode))
		return ts_fail(err, 0, 0, "not a regular file (a FIFO, socket or device): not read");
	/* O_NONBLOCK: if the file was swapped for a FIFO since stat, the open
	 * must not hang the whole batch. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ts_fail(err, 0, 0, "cannot open: %s", strerror(errno));
	char *text = NULL;
	size_t len = 0;
	int rc = fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)
			 ? ts_fail(err, 0, 0, "not a regular file: not read")
			 : ts_read_fd(a, fd, (size_t)st.st_size, max, &text, &len, err);
	close(fd);
	if (rc < 0)
		return -1;
	if (ts_load_bytes(path, text, len, opts, out, err) < 0)
		return -1;
	out->symlink = link;
	out->mode = st.st_mode & 07777;
	return 0;
}
