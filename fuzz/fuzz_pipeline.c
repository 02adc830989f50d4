/*
 * fuzz_pipeline.c - libFuzzer harness over the whole pipeline:
 *
 *     load -> parse -> workflow -> infer -> plan -> splice -> verify
 *
 * Crashes, hangs, leaks and sanitizer reports are found by libFuzzer itself.
 * On top of that the harness checks what the tool promises about a file it
 * would write, and aborts (a "crash" libFuzzer saves) when a promise breaks:
 *
 *  - the plan is insertions only: sorted, inside the file, and the output
 *    minus the inserted texts is the input, byte for byte;
 *  - when verify accepts the output: tests/oracle.c (two plain libfyaml
 *    parses compared by text) accepts it too, a block-only change adds
 *    lines and removes none, the output loads and parses again, and a
 *    second pass plans no insertion (idempotence).
 *
 * With the default options the result also goes through every report
 * (diff, check, fix, explain, explain --summary) into /dev/null, since job
 * names and reasons taken from the input end up in their text.
 *
 * A verify failure is not a crash: the tool then reports an error and
 * leaves the file alone. It is still a planner bug, so each distinct
 * message is printed once, all are counted, and the inputs can be kept:
 *
 *   TS_FUZZ_VERIFY_DIR=dir      save each input that fails verification
 *   TS_FUZZ_VERIFY_ABORT=1      abort instead, to minimise one with
 *                               -minimize_crash=1
 *
 * Each input runs twice, with the default options and with
 * --no-top-level --no-comments, since those take different planner paths.
 */
#include "emit/emit.h"
#include "infer/infer.h"
#include "load.h"
#include "parse/parse.h"
#include "plan.h"
#include "splice.h"
#include "verify.h"
#include "../tests/oracle.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ts_map *g_map;
static FILE *g_null;    /* where the reports go */

/* Counters, printed at exit so a run says how much reached each stage. */
static struct {
	unsigned long inputs, loaded, workflows, planned, verified, verify_failed;
} g_count;

enum { TS_MAX_SEEN = 256 };
static char *g_seen[TS_MAX_SEEN];   /* distinct verify messages printed */
static size_t g_nseen;

static const char *const ts_fuzz_path = "fuzz.yml";

__attribute__((noreturn, format(printf, 1, 2)))
static void ts_fuzz_abort(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tokenscope-fuzz: broken promise: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

static void ts_fuzz_report(void)
{
	fprintf(stderr,
		"tokenscope-fuzz: %lu runs, %lu loaded, %lu workflows, %lu planned, "
		"%lu verified, %lu verify failures (%zu distinct messages)\n",
		g_count.inputs, g_count.loaded, g_count.workflows, g_count.planned,
		g_count.verified, g_count.verify_failed, g_nseen);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ts_error err;
	g_map = ts_map_new();
	if (ts_map_load_builtin(g_map, &err) < 0 || ts_map_finish(g_map, &err) < 0)
		ts_fuzz_abort("the built-in map does not load: %s", err.msg);
	g_null = fopen("/dev/null", "w");
	if (!g_null)
		ts_fuzz_abort("cannot open /dev/null");
	atexit(ts_fuzz_report);
	return 0;
}

/* ---- verify failures: counted, printed once, optionally kept ---- */

static bool ts_seen_before(const char *msg)
{
	for (size_t i = 0; i < g_nseen; i++)
		if (!strcmp(g_seen[i], msg))
			return true;
	if (g_nseen < TS_MAX_SEEN)
		g_seen[g_nseen++] = strdup(msg);
	return false;
}

static void ts_save_input(const uint8_t *data, size_t size)
{
	const char *dir = getenv("TS_FUZZ_VERIFY_DIR");
	if (!dir)
		return;
	uint64_t h = 1469598103934665603ull;   /* FNV-1a: a stable file name */
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211ull;
	char path[4096];
	snprintf(path, sizeof(path), "%s/verify-%016llx.yml", dir, (unsigned long long)h);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
}

static void ts_verify_failed(const ts_error *err, const uint8_t *data, size_t size)
{
	g_count.verify_failed++;
	if (getenv("TS_FUZZ_VERIFY_ABORT"))
		ts_fuzz_abort("verify refused the output: %d:%d: %s", err->line, err->col,
			      err->msg);
	if (!ts_seen_before(err->msg))
		fprintf(stderr, "tokenscope-fuzz: verify failure #%lu: %d:%d: %s\n",
			g_count.verify_failed, err->line, err->col, err->msg);
	ts_save_input(data, size);
}

/* ---- one pass: parse -> workflow -> infer -> plan ---- */

typedef struct ts_pass {
	ts_source src;
	ts_yevents events;
	ts_workflow wf;
	ts_inference inf;
	ts_plan plan;
} ts_pass;

/* Returns false when the text is not a workflow the tool would touch. */
static bool ts_analyse(ts_arena *a, ts_pass *p, const ts_plan_opts *po, ts_error *err)
{
	const ts_node *root;
	ts_parse_opts popts = {.events = &p->events};
	if (ts_parse(a, p->src.text, p->src.len, &popts, &root, err) < 0 ||
	    ts_workflow_read(a, root, &p->wf, err) < 0)
		return false;
	/* designated: the context grows; read NULL leaves local files unresolved */
	ts_infer_ctx ic = {.map = g_map, .arena = a, .path = ts_fuzz_path};
	ts_infer(&ic, &p->wf, &p->inf);
	ts_plan_make(a, g_map, &p->src, &p->wf, &p->inf, po, &p->plan);
	return true;
}

/* ---- the promises ---- */

/* The plan: sorted, inside the text, one top-level insertion at most. */
static void ts_check_plan(const ts_plan *plan, size_t len)
{
	size_t top = 0;
	for (size_t i = 0; i < plan->nins; i++) {
		const ts_insertion *ins = &plan->ins[i];
		if (ins->at > len)
			ts_fuzz_abort("insertion %zu at %zu, past the end (%zu)", i, ins->at, len);
		if (i && ins->at < plan->ins[i - 1].at)
			ts_fuzz_abort("insertion %zu at %zu comes before %zu", i, ins->at,
				      plan->ins[i - 1].at);
		if (ins->len == 0 || !ins->text)
			ts_fuzz_abort("insertion %zu has no text", i);
		top += ins->job < 0;
	}
	if (top > 1)
		ts_fuzz_abort("%zu top-level insertions", top);
}

/* Pure insertion: removing each inserted text from the output gives back
 * the input, and nothing else was touched. */
static void ts_check_splice(const char *in, size_t inlen, const ts_plan *plan,
			    const ts_spliced *sp)
{
	size_t from = 0, pos = 0;
	for (size_t i = 0; i < plan->nins; i++) {
		const ts_insertion *ins = &plan->ins[i];
		size_t keep = ins->at - from;
		if (sp->at[i] != pos + keep || memcmp(sp->text + pos, in + from, keep))
			ts_fuzz_abort("input bytes before insertion %zu were changed", i);
		pos += keep;
		if (memcmp(sp->text + pos, ins->text, ins->len))
			ts_fuzz_abort("insertion %zu is not its planned text", i);
		pos += ins->len;
		from = ins->at;
	}
	if (sp->len - pos != inlen - from || memcmp(sp->text + pos, in + from, inlen - from))
		ts_fuzz_abort("input bytes after the last insertion were changed");
}

/* A verified output is what fix writes: the next run must read it back
 * and find nothing left to do. */
static void ts_check_second_pass(const ts_spliced *sp, const ts_plan_opts *po)
{
	ts_arena a = TS_ARENA_INIT;
	ts_pass *p = ts_alloc(&a, sizeof(*p));
	ts_error err;
	if (ts_load_bytes(ts_fuzz_path, sp->text, sp->len, NULL, &p->src, &err) < 0)
		ts_fuzz_abort("a verified output does not load: %s", err.msg);
	if (!ts_analyse(&a, p, po, &err))
		ts_fuzz_abort("a verified output is not read back as a workflow: %d:%d: %s",
			      err.line, err.col, err.msg);
	if (p->plan.nins != 0)
		ts_fuzz_abort("not idempotent: a second pass plans %zu insertion(s)",
			      p->plan.nins);
	ts_arena_free(&a);
}

/* verify compares against the recorded input events and by source bytes
 * where it can; a plain comparison must agree with it. */
static void ts_check_oracle(const ts_pass *p, const ts_spliced *sp)
{
	size_t n = p->plan.nins;
	size_t *len = malloc((n + 1) * sizeof(*len));
	if (!len)
		abort();
	for (size_t k = 0; k < n; k++)
		len[k] = p->plan.ins[k].len;
	const char *why = tl_oracle(p->src.text, p->src.len, sp->text, sp->len, sp->at, len, n);
	free(len);
	if (why)
		ts_fuzz_abort("verify accepted an output the oracle refuses: %s", why);
}

static void ts_check_output(const ts_pass *p, const ts_spliced *sp, const ts_plan_opts *po)
{
	ts_check_oracle(p, sp);
	bool flow = false;
	for (size_t i = 0; i < p->plan.nins; i++)
		flow |= p->plan.ins[i].flow;
	size_t changed = 0;
	if (!flow && !ts_diff_only_adds(p->src.text, p->src.len, sp->text, sp->len, &changed))
		ts_fuzz_abort("a block-only change alters %zu line(s)", changed);
	ts_check_second_pass(sp, po);
}

/* ---- the reports: every mode with a text format, into /dev/null ---- */

static void ts_emit_all(const ts_pass *p, const ts_spliced *sp, const ts_error *err)
{
	/* designated: the options grow; what is not named stays off */
	static const ts_emit_opts modes[] = {
		{.mode = TS_MODE_DIFF, .format = TS_FORMAT_DIFF, .color = true},
		{.mode = TS_MODE_CHECK, .format = TS_FORMAT_TEXT},
		{.mode = TS_MODE_FIX, .format = TS_FORMAT_TEXT},
		{.mode = TS_MODE_EXPLAIN, .format = TS_FORMAT_TEXT},
		{.mode = TS_MODE_EXPLAIN, .format = TS_FORMAT_TEXT, .summary_only = true},
	};
	ts_file_result r;
	memset(&r, 0, sizeof(r));
	r.path = r.display = ts_fuzz_path;
	r.map = g_map;
	r.src = &p->src;
	r.wf = &p->wf;
	r.inf = &p->inf;
	r.plan = &p->plan;
	r.status = p->plan.nins == 0 ? TS_FILE_UNCHANGED : TS_FILE_CHANGED;
	if (err) {
		r.status = TS_FILE_ERROR;
		r.err = *err;
		r.internal = true;
	} else if (sp) {
		r.out_text = sp->text;
		r.out_len = sp->len;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ts_emitter *e = ts_emitter_new(g_null, g_null, &modes[i]);
		ts_totals t;
		ts_emitter_file(e, &r);
		ts_emitter_end(e, &t);
		ts_emitter_free(e);
	}
}

/* ---- one run ---- */

/* The pipeline with one set of options; `emit` also runs the reports. */
static void ts_run(const char *text, size_t len, const ts_plan_opts *po,
		   const uint8_t *data, bool emit)
{
	ts_arena a = TS_ARENA_INIT;
	ts_pass *p = ts_alloc(&a, sizeof(*p));
	ts_spliced sp;
	ts_error err;
	g_count.inputs++;
	if (ts_load_bytes(ts_fuzz_path, text, len, NULL, &p->src, &err) < 0)
		goto out;
	g_count.loaded++;
	if (!ts_analyse(&a, p, po, &err))
		goto out;
	g_count.workflows++;
	ts_check_plan(&p->plan, p->src.len);
	if (p->plan.nins == 0) {
		if (emit)
			ts_emit_all(p, NULL, NULL);
		goto out;
	}
	g_count.planned++;
	ts_splice(&a, p->src.text, p->src.len, &p->plan, &sp);
	ts_check_splice(p->src.text, p->src.len, &p->plan, &sp);
	if (ts_verify(g_map, p->src.text, p->src.len, &p->events, &sp, &p->plan, &err) < 0) {
		ts_verify_failed(&err, data, len);
		if (emit)
			ts_emit_all(p, &sp, &err);
		goto out;
	}
	g_count.verified++;
	ts_check_output(p, &sp, po);
	if (emit)
		ts_emit_all(p, &sp, NULL);
out:
	ts_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private NUL-terminated copy, as ts_load makes: libFuzzer's buffer
	 * has no terminator, and a heap copy of the exact size keeps reads
	 * past the end visible to AddressSanitizer. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	static const ts_plan_opts opts[] = {
		{.no_top_level = false, .no_comments = false},
		{.no_top_level = true, .no_comments = true},
	};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		ts_run(text, size, &opts[i], data, i == 0);
	free(text);
	return 0;
}
