/* yaml.c - see yaml.h. */
#include "yaml.h"

#include <pthread.h>
#include <stdbool.h>

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

struct fy_parser *ts_yaml_open(const char *text, size_t len, struct fy_diag **diag)
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
	struct fy_parser *p = fy_parser_create(&cfg);
	if (p && fy_parser_set_string(p, text, len) == 0)
		return p;
	ts_yaml_close(p, *diag);
	*diag = NULL;
	return NULL;
}

void ts_yaml_close(struct fy_parser *p, struct fy_diag *diag)
{
	if (p)
		fy_parser_destroy(p);
	if (diag)
		fy_diag_destroy(diag);
}
