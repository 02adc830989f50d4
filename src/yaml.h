/*
 * yaml.h - libfyaml, set up the one way tokenscope reads YAML.
 *
 * Contract: ts_yaml_open gives a parser over text[0, len) with the flags
 * every reader of a workflow uses (quiet, errors collected in *diag,
 * sloppy flow indentation), or NULL (then nothing is left to free).
 * ts_yaml_close frees what ts_yaml_open made; with `ended` (the stream
 * was read to its end without an error) the parser is kept instead, for
 * the thread's next ts_yaml_open. parse and verify both read through it:
 * verify must read the output exactly as parse read the input, or it
 * would report differences that are not there. ts_yaml_release frees the
 * calling thread's kept parser (worker threads' go when they exit).
 */
#ifndef TS_YAML_H
#define TS_YAML_H

#include <libfyaml.h>
#include <stdbool.h>
#include <stddef.h>

struct fy_parser *ts_yaml_open(const char *text, size_t len, struct fy_diag **diag);
void ts_yaml_close(struct fy_parser *p, struct fy_diag *diag, bool ended);
void ts_yaml_release(void);

/* Whether a collection's start token (NULL: none) opens a flow
 * collection, `{` or `[`. */
bool ts_yaml_flow(struct fy_token *start);

#endif
