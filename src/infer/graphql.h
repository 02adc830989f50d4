/*
 * graphql.h - the top-level fields of a GraphQL document, which is all the
 * map can say anything about (`mutation { addComment(...) }` -> addComment).
 *
 * Contract: ts_graphql_fields lists, for each operation in the text, whether
 * it is a mutation and the names of its top-level selections (aliases
 * resolved to the field name). Fragments spread at the top level, variables
 * used as operation names, or text it cannot read make it return -1: the
 * caller then treats the call as not understood. Internal to infer.
 */
#ifndef TS_GRAPHQL_H
#define TS_GRAPHQL_H

#include "../arena.h"
#include "../common.h"

typedef struct ts_gql_field {
	bool mutation;
	const char *name;
} ts_gql_field;

int ts_graphql_fields(ts_arena *a, const char *text, size_t len,
		      ts_gql_field **out, size_t *n);

#endif
