/*
 * baseline.c - the parse-only baseline of the benchmark (see bench/run.sh
 * and docs/performance.md).
 *
 * Reads every file it is given and runs it through libfyaml's event API,
 * doing nothing with the events. This is the floor any YAML tool built on
 * libfyaml pays; tokenscope is measured against it.
 *
 * To make the baseline strong rather than a straw man:
 *  - one parser and one diagnostic object serve the whole run (a parser
 *    that reached the end of its stream takes the next string as is), so
 *    set-up costs are paid once; only a file libfyaml rejects costs a new
 *    parser;
 *  - one read buffer is reused and grown only when a larger file comes;
 *  - the parser flags are the ones tokenscope uses (quiet, errors
 *    collected rather than printed, sloppy flow indentation).
 *
 * Usage: baseline PATH...
 *   A PATH that is a folder is walked (symbolic links are not followed)
 *   for files ending in .yml or .yaml; any other PATH is read as a file.
 *
 * Output: one line on stdout, "FILES BYTES ERRORS": the files parsed, their
 * total size, and how many of them libfyaml rejected. Exit status 0, or 2
 * if a file or folder could not be read.
 */
#define _XOPEN_SOURCE 700
#include <libfyaml.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct bl_state {
	struct fy_parser *fyp;
	struct fy_diag *diag;
	char *buf;
	size_t cap;
	unsigned long long files, bytes, errors, events;
	int status;
} bl_state;

static int bl_open(bl_state *s)
{
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.colorize = false;
	s->diag = fy_diag_create(&dc);
	if (!s->diag)
		return -1;
	fy_diag_set_collect_errors(s->diag, true);
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_SLOPPY_FLOW_INDENTATION,
		.diag = s->diag,
	};
	s->fyp = fy_parser_create(&cfg);
	return s->fyp ? 0 : -1;
}

static void bl_close(bl_state *s)
{
	if (s->fyp)
		fy_parser_destroy(s->fyp);
	if (s->diag)
		fy_diag_destroy(s->diag);
	free(s->buf);
}

/* Reads the whole file into s->buf; returns its length or -1. */
static long long bl_read(bl_state *s, const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	size_t want = (size_t)st.st_size + 1;
	if (want > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (cap < want)
			cap *= 2;
		char *nb = realloc(s->buf, cap);
		if (!nb) {
			close(fd);
			return -1;
		}
		s->buf = nb;
		s->cap = cap;
	}
	size_t len = 0;
	for (;;) {
		if (len + 1 >= s->cap) { /* the file grew under us */
			char *nb = realloc(s->buf, s->cap * 2);
			if (!nb) {
				close(fd);
				return -1;
			}
			s->buf = nb;
			s->cap *= 2;
		}
		ssize_t n = read(fd, s->buf + len, s->cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	s->buf[len] = '\0';
	return (long long)len;
}

/*
 * After an error the parser is replaced: fy_parser_reset() in libfyaml
 * 0.7.12 leaves a freed input on the parser, which the next
 * fy_parser_set_string() reads (seen with valgrind). A parser that reached
 * the end of its stream takes the next string without a reset.
 */
static void bl_renew(bl_state *s)
{
	fy_parser_destroy(s->fyp);
	fy_diag_destroy(s->diag);
	s->fyp = NULL;
	s->diag = NULL;
	if (bl_open(s) < 0) {
		fprintf(stderr, "baseline: cannot create the YAML parser\n");
		exit(2);
	}
}

static void bl_parse_file(bl_state *s, const char *path)
{
	long long len = bl_read(s, path);
	if (len < 0) {
		fprintf(stderr, "baseline: %s: %s\n", path, strerror(errno));
		s->status = 2;
		return;
	}
	s->files++;
	s->bytes += (unsigned long long)len;
	if (fy_parser_set_string(s->fyp, s->buf, (size_t)len) != 0) {
		s->errors++;
		bl_renew(s);
		return;
	}
	struct fy_event *ev;
	while ((ev = fy_parser_parse(s->fyp))) {
		s->events++;
		fy_parser_event_free(s->fyp, ev);
	}
	if (fy_parser_get_stream_error(s->fyp)) {
		s->errors++;
		bl_renew(s);
	}
}

static bool bl_is_yaml(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && !strcmp(name + n - 4, ".yml")) ||
	       (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

static void bl_walk(bl_state *s, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "baseline: %s: %s\n", dir, strerror(errno));
		s->status = 2;
		return;
	}
	size_t dlen = strlen(dir);
	char *path = NULL;
	size_t pcap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		size_t need = dlen + strlen(de->d_name) + 2;
		if (need > pcap) {
			char *np = realloc(path, need);
			if (!np) {
				s->status = 2;
				break;
			}
			path = np;
			pcap = need;
		}
		snprintf(path, pcap, "%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			bl_walk(s, path);
		else if (S_ISREG(st.st_mode) && bl_is_yaml(de->d_name))
			bl_parse_file(s, path);
	}
	free(path);
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: baseline PATH...\n");
		return 2;
	}
	bl_state s = {0};
	if (bl_open(&s) < 0) {
		fprintf(stderr, "baseline: cannot create the YAML parser\n");
		bl_close(&s);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "baseline: %s: %s\n", argv[i], strerror(errno));
			s.status = 2;
		} else if (S_ISDIR(st.st_mode)) {
			bl_walk(&s, argv[i]);
		} else {
			bl_parse_file(&s, argv[i]);
		}
	}
	printf("%llu %llu %llu\n", s.files, s.bytes, s.errors);
	bl_close(&s);
	return s.status;
}
