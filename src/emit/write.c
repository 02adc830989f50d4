/* write.c - atomic replacement of a workflow file (see emit.h). */
#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int ts_write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int ts_emit_write(const char *path, const char *text, size_t len,
		  unsigned mode, ts_error *err)
{
	struct stat ls;
	if (lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode))
		return ts_fail(err, 0, 0, "not written: it is a symlink (fix its target instead)");
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 32);
	if (!tmp)
		return ts_fail(err, 0, 0, "out of memory");
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	/* Same folder, so the rename is atomic; hidden, so a crash leaves no
	 * file that GitHub would read as a workflow. */
	memcpy(tmp, path, dirlen);
	snprintf(tmp + dirlen, plen + 32 - dirlen, ".%s.tokenscope-XXXXXX", path + dirlen);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return ts_fail(err, 0, 0, "cannot create a temporary file: %s", strerror(errno));
	}
	int rc = 0;
	if (ts_write_all(fd, text, len) < 0 || fchmod(fd, mode & 07777) < 0 || fsync(fd) < 0)
		rc = ts_fail(err, 0, 0, "cannot write: %s", strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = ts_fail(err, 0, 0, "cannot write: %s", strerror(errno));
	if (rc == 0 && rename(tmp, path) < 0)
		rc = ts_fail(err, 0, 0, "cannot replace the file: %s", strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
