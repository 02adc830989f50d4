/* discover.c - see discover.h. */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool ts_is_workflow_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' &&
	       ((n > 4 && !strcmp(name + n - 4, ".yml")) ||
		(n > 5 && !strcmp(name + n - 5, ".yaml")));
}

static char *ts_join(ts_arena *a, const char *dir, const char *name)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return ts_sprintf(a, "%.*s/%s", (int)n, dir, name);
}

static bool ts_exists(const char *path, bool dir)
{
	struct stat st;
	return stat(path, &st) == 0 && (!dir || S_ISDIR(st.st_mode));
}

const char *ts_discover_root(ts_arena *a, const char *path)
{
	char abs[PATH_MAX];
	struct stat st;
	/* A file's repository is found from its own folder, not from where a
	 * symlink points: a link into another repository is not inside it. */
	const char *dir = path;
	if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		char *copy = ts_strdup(a, path);
		char *slash = strrchr(copy, '/');
		if (!slash)
			dir = ".";
		else if (slash == copy)
			dir = "/";
		else
			*slash = '\0', dir = copy;
	}
	if (!realpath(dir, abs))
		return NULL;
	for (;;) {
		char *git = ts_join(a, abs, ".git");
		if (ts_exists(git, false))
			return ts_strdup(a, abs);
		char *slash = strrchr(abs, '/');
		if (!slash || slash == abs)
			return NULL;
		*slash = '\0';
	}
}

/* The path relative to the root, so `git apply` takes the diff from there. */
static const char *ts_display(ts_arena *a, const char *path, const char *root)
{
	char abs[PATH_MAX];
	const char *p = path;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (!root)
		return ts_strdup(a, p);
	/* realpath of the folder, not the file: a symlinked file keeps its name */
	char *dir = ts_strdup(a, path);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : path;
	if (slash)
		*slash = '\0';
	if (!realpath(slash ? (dir[0] ? dir : "/") : ".", abs))
		return ts_strdup(a, p);
	size_t n = strlen(root);
	if (strncmp(abs, root, n) || (abs[n] != '/' && abs[n] != '\0'))
		return ts_strdup(a, p);
	const char *rel = abs + n + (abs[n] == '/');
	return rel[0] ? ts_sprintf(a, "%s/%s", rel, base) : ts_strdup(a, base);
}

static void ts_add(ts_arena *a, ts_targets *out, const char *path,
		   const char *root, const char *error)
{
	out->v = ts_grow(a, out->v, &out->cap, out->n + 1, sizeof(*out->v));
	ts_target *t = &out->v[out->n++];
	t->path = path;
	t->root = root;
	t->display = ts_display(a, path, root);
	t->error = error;
}

static int ts_cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Adds the *.yml and *.yaml entries of one folder, sorted. */
static void ts_add_folder(ts_arena *a, const char *dir, const char *root,
			  ts_targets *out)
{
	DIR *d = opendir(dir);
	if (!d) {
		ts_add(a, out, dir, NULL,
		       ts_sprintf(a, "cannot list folder: %s", strerror(errno)));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (ts_is_workflow_name(e->d_name)) {
			names = ts_grow(a, names, &cap, n + 1, sizeof(*names));
			names[n++] = ts_strdup(a, e->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), ts_cmp_str);
	for (size_t i = 0; i < n; i++)
		ts_add(a, out, ts_join(a, dir, names[i]), root, NULL);
}

void ts_discover(ts_arena *a, const char *path, ts_targets *out)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		struct stat ls;
		const char *why = lstat(path, &ls) == 0 ? "dangling symlink"
							: strerror(errno);
		ts_add(a, out, path, NULL, ts_sprintf(a, "cannot read: %s", why));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		ts_add(a, out, path, ts_discover_root(a, path), NULL);
		return;
	}
	/* A folder holding .github/workflows is a repository root by
	 * definition, .git or not: diffs are relative to it. */
	char *wf = ts_join(a, path, ".github/workflows");
	char abs[PATH_MAX];
	if (ts_exists(wf, true) && realpath(path, abs))
		ts_add_folder(a, wf, ts_strdup(a, abs), out);
	else
		ts_add_folder(a, path, ts_discover_root(a, path), out);
}
