/*
 * yaml.h - libfyaml, set up the one way tokenscope reads YAML.
 *
 * Contract: ts_yaml_open gives a parser over text[0, len) with the flags
 * every reader of a workflow uses (quiet, errors collected in *diag,
 * sloppy flow indentation), or NULL (then nothing is left to free).
 * ts_yaml_close frees what ts_yaml_open made. parse and verify both read
 * through it: verify must read the output exactly as parse read the
 * input, or it would report differences that are not there.
 */
#ifndef TS_YAML_H
#define TS_YAML_H

#include <libfyaml.h>
#include <stddef.h>

struct fy_parser *ts_yaml_open(const char *text, size_t len, struct fy_diag **diag);
void ts_yaml_close(struct fy_parser *p, struct fy_diag *diag);

#endif
