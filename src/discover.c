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

/* Where folder `dir` is relative to the root ("" at the root), or NULL
 * when it is not under it. realpath of the folder, not the file: a
 * symlinked file keeps its name. */
static const char *ts_rel_dir(ts_arena *a, const char *dir, const char *root)
{
	char abs[PATH_MAX];
	if (!root || !realpath(dir[0] ? dir : "/", abs))
		return NULL;
	size_t n = strlen(root);
	if (strncmp(abs, root, n) || (abs[n] != '/' && abs[n] != '\0'))
		return NULL;
	return ts_strdup(a, abs + n + (abs[n] == '/'));
}

/* The path relative to the root, so `git apply` takes the diff from
 * there; `rel_dir` is its folder's (ts_rel_dir), or NULL. */
static const char *ts_display(ts_arena *a, const char *path, const char *rel_dir)
{
	const char *p = path;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (!rel_dir)
		return ts_strdup(a, p);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	return rel_dir[0] ? ts_sprintf(a, "%s/%s", rel_dir, base) : ts_strdup(a, base);
}

/* The folder part of `path`, as realpath takes it. */
static const char *ts_dir_of(ts_arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	return slash == path ? "/" : ts_strndup(a, path, (size_t)(slash - path));
}

static void ts_add_at(ts_arena *a, ts_targets *out, const char *path,
		      const char *root, const char *rel_dir, const char *error)
{
	out->v = ts_grow(a, out->v, &out->cap, out->n + 1, sizeof(*out->v));
	ts_target *t = &out->v[out->n++];
	t->path = path;
	t->root = root;
	t->display = ts_display(a, path, rel_dir);
	t->rel = rel_dir ? t->display : NULL;
	t->error = error;
}

static void ts_add(ts_arena *a, ts_targets *out, const char *path,
		   const char *root, const char *error)
{
	ts_add_at(a, out, path, root, ts_rel_dir(a, ts_dir_of(a, path), root), error);
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
	/* one realpath for the folder, not one per file */
	const char *rel_dir = n ? ts_rel_dir(a, dir, root) : NULL;
	for (size_t i = 0; i < n; i++)
		ts_add_at(a, out, ts_join(a, dir, names[i]), root, rel_dir, NULL);
}

static void ts_discover_path(ts_arena *a, const char *path, ts_targets *out)
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

void ts_discover(ts_arena *a, const char *path, size_t path_no, ts_targets *out)
{
	size_t first = out->n;
	ts_discover_path(a, path, out);
	for (size_t i = first; i < out->n; i++)
		out->v[i].path_no = path_no;
}
