/* yaml.c - see yaml.h. */
#include "yaml.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* libfyaml's default diagnostics settings ask isatty(2), a system call,
 * each time: made once, they serve every parser. */
static struct fy_diag_cfg ts_diag_cfg;
static pthread_once_t ts_diag_once = PTHREAD_ONCE_INIT;

static void ts_diag_init(void)
{
	fy_diag_cfg_default(&ts_diag_cfg);
	ts_diag_cfg.fp = NULL;
	ts_diag_cfg.colorize = false;
}

/* A parser kept per thread between texts: making one (fy_parse_setup)
 * costs about as much as parsing a small workflow. libfyaml takes a new
 * string on a parser that read its last stream to the end; after an error
 * fy_parser_reset leaves a freed input behind (0.7.12, seen with valgrind
 * in bench/baseline.c), so such a parser is never kept. */
typedef struct ts_kept {
	struct fy_parser *p;
	struct fy_diag *diag;
} ts_kept;

static pthread_key_t ts_kept_key;
static pthread_once_t ts_kept_once = PTHREAD_ONCE_INIT;

static void ts_kept_free(void *v)
{
	ts_kept *k = v;
	if (k->p)
		fy_parser_destroy(k->p);
	if (k->diag)
		fy_diag_destroy(k->diag);
	free(k);
}

static void ts_kept_init(void)
{
	if (pthread_key_create(&ts_kept_key, ts_kept_free) != 0)
		abort();
}

static ts_kept *ts_kept_get(void)
{
	pthread_once(&ts_kept_once, ts_kept_init);
	ts_kept *k = pthread_getspecific(ts_kept_key);
	if (!k && (k = calloc(1, sizeof(*k))) && pthread_setspecific(ts_kept_key, k) != 0) {
		free(k);
		k = NULL;
	}
	return k;
}

static struct fy_parser *ts_yaml_create(struct fy_diag **diag)
{
	pthread_once(&ts_diag_once, ts_diag_init);
	struct fy_diag_cfg dc = ts_diag_cfg;
	*diag = fy_diag_create(&dc);
	if (!*diag)
		return NULL;
	fy_diag_set_collect_errors(*diag, true);
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_SLOPPY_FLOW_INDENTATION,
		.diag = *diag,
	};
	return fy_parser_create(&cfg);
}

struct fy_parser *ts_yaml_open(const char *text, size_t len, struct fy_diag **diag)
{
	ts_kept *k = ts_kept_get();
	struct fy_parser *p = NULL;
	if (k && k->p) {
		p = k->p;
		*diag = k->diag;
		k->p = NULL;
		k->diag = NULL;
	} else {
		p = ts_yaml_create(diag);
	}
	if (p && fy_parser_set_string(p, text, len) == 0)
		return p;
	ts_yaml_close(p, *diag, false);
	*diag = NULL;
	return NULL;
}

void ts_yaml_close(struct fy_parser *p, struct fy_diag *diag, bool ended)
{
	ts_kept *k = ended && p ? ts_kept_get() : NULL;
	if (k && !k->p) {
		k->p = p;
		k->diag = diag;
		return;
	}
	if (p)
		fy_parser_destroy(p);
	if (diag)
		fy_diag_destroy(diag);
}

void ts_yaml_release(void)
{
	pthread_once(&ts_kept_once, ts_kept_init);
	ts_kept *k = pthread_getspecific(ts_kept_key);
	if (k) {
		pthread_setspecific(ts_kept_key, NULL);
		ts_kept_free(k);
	}
}

bool ts_yaml_flow(struct fy_token *start)
{
	enum fy_token_type tt = start ? fy_token_get_type(start) : FYTT_NONE;
	return tt == FYTT_FLOW_MAPPING_START || tt == FYTT_FLOW_SEQUENCE_START;
}
