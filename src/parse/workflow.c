/*
 * workflow.c - the workflow and composite-action views over a parsed tree
 * (see parse.h): which jobs there are, which keys each has, and why a job
 * must not be edited.
 */
#include "parse.h"

#include <string.h>

enum { TS_DEREF_LIMIT = 64 };

const ts_node *ts_node_deref(const ts_node *n)
{
	for (int i = 0; n && n->kind == TS_NODE_ALIAS && i < TS_DEREF_LIMIT; i++)
		n = n->target;
	return n && n->kind == TS_NODE_ALIAS ? NULL : n;
}

bool ts_node_is(const ts_node *n, const char *text)
{
	n = ts_node_deref(n);
	return n && n->kind == TS_NODE_SCALAR && ts_streq(n->text, n->len, text);
}

const char *ts_node_str(const ts_node *n)
{
	n = ts_node_deref(n);
	return n && n->kind == TS_NODE_SCALAR ? n->text : NULL;
}

static ts_pair ts_map_pair(const ts_node *map, const char *name)
{
	ts_pair p = {NULL, NULL};
	map = ts_node_deref(map);
	if (!map || map->kind != TS_NODE_MAP)
		return p;
	for (size_t i = 0; i < map->n; i++)
		if (ts_node_is(map->keys[i], name)) {
			p.key = map->keys[i];
			p.value = map->vals[i];
		}
	return p;
}

const ts_node *ts_map_get(const ts_node *map, const char *name)
{
	return ts_node_deref(ts_map_pair(map, name).value);
}

/* Several keys of one mapping at once: one pass over its keys instead of
 * one per name (a workflow has many steps, each read for eight keys). As
 * with ts_map_pair, a repeated key's last value wins. */
typedef struct ts_field {
	const char *name;
	ts_pair *out;
} ts_field;

static void ts_read_fields(const ts_node *map, const ts_field *f, size_t nf)
{
	map = ts_node_deref(map);
	if (!map || map->kind != TS_NODE_MAP)
		return;
	for (size_t i = 0; i < map->n; i++) {
		const ts_node *k = ts_node_deref(map->keys[i]);
		if (!k || k->kind != TS_NODE_SCALAR)
			continue;
		for (size_t j = 0; j < nf; j++)
			if (ts_streq(k->text, k->len, f[j].name)) {
				f[j].out->key = map->keys[i];
				f[j].out->value = map->vals[i];
				break;
			}
	}
}

static void ts_read_step(const ts_node *node, int index, ts_step *s)
{
	memset(s, 0, sizeof(*s));
	s->node = ts_node_deref(node);
	s->index = index;
	ts_pair id = {0}, name = {0}, uses = {0}, with = {0}, run = {0}, shell = {0},
		env = {0}, wd = {0};
	const ts_field f[] = {
		{"id", &id}, {"name", &name}, {"uses", &uses}, {"with", &with},
		{"run", &run}, {"shell", &shell}, {"env", &env},
		{"working-directory", &wd},
	};
	ts_read_fields(node, f, sizeof(f) / sizeof(f[0]));
	s->id = ts_node_deref(id.value);
	s->name = ts_node_deref(name.value);
	s->uses = ts_node_deref(uses.value);
	s->with = ts_node_deref(with.value);
	s->run = ts_node_deref(run.value);
	s->shell = ts_node_deref(shell.value);
	s->env = ts_node_deref(env.value);
	s->working_dir = ts_node_deref(wd.value);
}

static ts_step *ts_read_steps(ts_arena *a, const ts_node *seq, size_t *n)
{
	seq = ts_node_deref(seq);
	*n = 0;
	if (!seq || seq->kind != TS_NODE_SEQ || seq->n == 0)
		return NULL;
	ts_step *v = ts_alloc_array(a, seq->n, sizeof(*v));
	for (size_t i = 0; i < seq->n; i++)
		ts_read_step(seq->vals[i], (int)i, &v[i]);
	*n = seq->n;
	return v;
}

/* GitHub's rule for job ids: a letter or `_`, then letters, digits, `-` or
 * `_`, fewer than 100 in all. A key outside it (a NUL, a control character, a space) is not a job
 * GitHub would run, and could not be matched again by verify. Letters
 * beyond ASCII are let through: whether GitHub takes them is not known
 * here, and skipping is for what is known to be unsafe. */
static bool ts_job_id_ok(const ts_node *key)
{
	if (key->null || key->len == 0 || key->len >= 100 || strlen(key->text) != key->len)
		return false;
	for (size_t i = 0; i < key->len; i++) {
		char c = key->text[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			     (c & 0x80);   /* letters beyond ASCII (compilación) */
		if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '-')))
			return false;
	}
	return true;
}

/* Why inserting into this job would be unsafe, or NULL. An alias job shares
 * its mapping with the anchor; a merge key brings keys we cannot see; an
 * anchored job that is aliased elsewhere would change the alias too. */
static const char *ts_job_skip(const ts_node *key, const ts_node *value)
{
	if (value && value->kind == TS_NODE_ALIAS)
		return "the job is an alias of another node; editing it would edit the anchor";
	const ts_node *v = ts_node_deref(value);
	if (!v || (v->kind == TS_NODE_SCALAR && v->null))
		return "the job is empty";
	if (v->kind != TS_NODE_MAP)
		return "the job is not a mapping";
	if (v->merge)
		return "the job uses a `<<` merge key, which GitHub does not accept";
	if (v->aliased)
		return "the job is anchored and reused by an alias elsewhere";
	if (key->kind != TS_NODE_SCALAR || !ts_job_id_ok(key))
		return "the job key is not a valid job id (a letter or _, then letters, digits, - or _, under 100)";
	if (!v->flow && v->n && v->line == key->line)
		return "the job's mapping starts on its own key's line";
	return NULL;
}

static void ts_read_job(ts_arena *a, const ts_node *key, const ts_node *value,
			ts_job *j)
{
	memset(j, 0, sizeof(*j));
	j->key = key;
	j->id = key->kind == TS_NODE_SCALAR ? key->text : "?";
	j->skip = ts_job_skip(key, value);
	j->value = ts_node_deref(value);
	if (!j->value || j->value->kind != TS_NODE_MAP)
		return;
	const ts_field f[] = {
		{"permissions", &j->permissions}, {"runs-on", &j->runs_on},
		{"steps", &j->steps}, {"uses", &j->uses}, {"with", &j->with},
		{"secrets", &j->secrets}, {"env", &j->env}, {"container", &j->container},
		{"services", &j->services}, {"defaults", &j->defaults}, {"name", &j->name},
	};
	ts_read_fields(j->value, f, sizeof(f) / sizeof(f[0]));
	j->stepv = ts_read_steps(a, j->steps.value, &j->nsteps);
}

int ts_workflow_read(ts_arena *a, const ts_node *root, ts_workflow *out,
		     ts_error *err)
{
	memset(out, 0, sizeof(*out));
	out->root = root;
	if (!root || root->kind != TS_NODE_MAP)
		return ts_fail(err, root ? root->line : 0, root ? root->col : 0,
			       "not a workflow: the top level is not a mapping");
	const ts_field f[] = {
		{"permissions", &out->permissions}, {"on", &out->on}, {"env", &out->env},
		{"jobs", &out->jobs}, {"defaults", &out->defaults}, {"name", &out->name},
	};
	ts_read_fields(root, f, sizeof(f) / sizeof(f[0]));
	if (!out->jobs.key)
		return ts_fail(err, root->line, root->col,
			       "not a workflow: no top-level `jobs:`");
	const ts_node *jobs = ts_node_deref(out->jobs.value);
	if (!jobs || jobs->kind != TS_NODE_MAP)
		return 0;   /* `jobs:` empty or odd: nothing to edit */
	out->jobv = ts_alloc_array(a, jobs->n ? jobs->n : 1, sizeof(*out->jobv));
	for (size_t i = 0; i < jobs->n; i++)
		ts_read_job(a, jobs->keys[i], jobs->vals[i], &out->jobv[i]);
	out->njobs = jobs->n;
	return 0;
}

int ts_action_read(ts_arena *a, const ts_node *root, ts_action_file *out,
		   ts_error *err)
{
	memset(out, 0, sizeof(*out));
	out->root = root;
	if (!root || root->kind != TS_NODE_MAP)
		return ts_fail(err, root ? root->line : 0, root ? root->col : 0,
			       "not an action: the top level is not a mapping");
	out->inputs = ts_map_get(root, "inputs");
	const ts_node *runs = ts_map_get(root, "runs");
	if (!runs)
		return ts_fail(err, root->line, root->col, "not an action: no `runs:`");
	out->using = ts_node_str(ts_map_get(runs, "using"));
	out->stepv = ts_read_steps(a, ts_map_get(runs, "steps"), &out->nsteps);
	return 0;
}
