/*
 * measure.c - runs one command and reports its wall-clock time and peak
 * resident set size, for bench/run.sh.
 *
 * Usage: measure OUTFILE COMMAND [ARG...]
 *
 * The command inherits stdin, stdout and stderr. When it ends, one line is
 * written to OUTFILE (appended):
 *
 *   WALL_SECONDS MAXRSS_KIB USER_SECONDS SYS_SECONDS EXIT
 *
 * WALL is measured with CLOCK_MONOTONIC around fork and wait4; MAXRSS,
 * USER and SYS come from the rusage wait4 returns, so they cover the
 * command alone (its threads included), not this wrapper. EXIT is the
 * command's exit status, or 128+N if signal N ended it. measure itself
 * exits with the same status, or 125 if it could not run the command.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ms_tv(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: measure OUTFILE COMMAND [ARG...]\n");
		return 125;
	}
	FILE *out = fopen(argv[1], "a");
	if (!out) {
		fprintf(stderr, "measure: %s: %s\n", argv[1], strerror(errno));
		return 125;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "measure: fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) {
		fclose(out);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "measure: %s: %s\n", argv[2], strerror(errno));
		_exit(125);
	}
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
			return 125;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int code = WIFEXITED(st) ? WEXITSTATUS(st)
		 : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 125;
	fprintf(out, "%.6f %ld %.6f %.6f %d\n", wall, ru.ru_maxrss,
		ms_tv(ru.ru_utime), ms_tv(ru.ru_stime), code);
	if (fclose(out) != 0) {
		fprintf(stderr, "measure: %s: %s\n", argv[1], strerror(errno));
		return 125;
	}
	return code;
}
