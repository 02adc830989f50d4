/*
 * test_graphql.c - ts_graphql_fields: the top-level fields of a GraphQL
 * document and whether each is a mutation.
 *
 * Covers anonymous and named queries, mutations, several operations in one
 * document, aliases, arguments holding braces, strings (also block strings)
 * and variables, directives, comments, fragment definitions (their fields
 * are not top-level), and the documents it must refuse: a fragment spread
 * or inline fragment at the top, unbalanced braces, nothing selected.
 */
#include "testlib.h"

#include "infer/graphql.h"

/* The fields as "m:name,q:name" (m for a mutation), or "ERR". */
static const char *fields(const char *doc)
{
	ts_gql_field *f = NULL;
	size_t n = 0;
	if (ts_graphql_fields(tl_arena(), doc, strlen(doc), &f, &n) < 0)
		return "ERR";
	ts_buf b;
	ts_buf_init(&b, tl_arena());
	for (size_t i = 0; i < n; i++)
		ts_buf_addf(&b, "%s%c:%s", i ? "," : "", f[i].mutation ? 'm' : 'q', f[i].name);
	return ts_buf_cstr(&b);
}

static void anonymous_query(void **state)
{
	(void)state;
	assert_string_equal(fields("{ viewer { login } }"), "q:viewer");
	assert_string_equal(fields("{ viewer { login } rateLimit { remaining } }"),
			    "q:viewer,q:rateLimit");
}

static void named_query_with_variables(void **state)
{
	(void)state;
	assert_string_equal(fields("query($owner: String!, $name: String!) {\n"
				   "  repository(owner: $owner, name: $name) {\n"
				   "    issues(first: 10) { nodes { title } }\n"
				   "  }\n"
				   "}"),
			    "q:repository");
	assert_string_equal(fields("query Labels { repository(owner: \"o\", name: \"r\") { id } }"),
			    "q:repository");
}

static void mutation_fields(void **state)
{
	(void)state;
	assert_string_equal(fields("mutation { addComment(input: {subjectId: \"x\", body: \"hi\"})"
				   " { clientMutationId } }"),
			    "m:addComment");
	assert_string_equal(fields("mutation Merge($id: ID!) {\n"
				   "  enablePullRequestAutoMerge(input: {pullRequestId: $id}) { clientMutationId }\n"
				   "  addLabelsToLabelable(input: {labelableId: $id, labelIds: [\"a\"]}) { clientMutationId }\n"
				   "}"),
			    "m:enablePullRequestAutoMerge,m:addLabelsToLabelable");
}

static void query_then_mutation_in_one_document(void **state)
{
	(void)state;
	assert_string_equal(fields("query A { viewer { id } }\n"
				   "mutation B { closeIssue(input: {issueId: \"1\"}) { issue { id } } }\n"
				   "query C { repository(owner: \"o\", name: \"r\") { id } }"),
			    "q:viewer,m:closeIssue,q:repository");
}

static void aliases_resolve_to_the_field(void **state)
{
	(void)state;
	assert_string_equal(fields("mutation { first: addComment(input: {subjectId: \"a\", body: \"1\"}) { clientMutationId }"
				   " second : addComment(input: {subjectId: \"b\", body: \"2\"}) { clientMutationId } }"),
			    "m:addComment,m:addComment");
	assert_string_equal(fields("{ me: viewer { login } }"), "q:viewer");
}

static void arguments_with_braces_and_strings(void **state)
{
	(void)state;
	/* braces, parens and quotes inside strings and nested input objects
	 * do not change the depth */
	assert_string_equal(fields("mutation { addComment(input: {subjectId: \"x\", body: \"} { ) ( \\\" }\"}) {\n"
				   "  commentEdge { node { id } } } }"),
			    "m:addComment");
	assert_string_equal(fields("mutation { addComment(input: {body: \"\"\"\nblock } { \"quoted\"\n\"\"\"}) { clientMutationId } }"),
			    "m:addComment");
	assert_string_equal(fields("query { search(query: \"repo:o/r is:pr\", type: ISSUE, first: 5) { issueCount } }"),
			    "q:search");
}

static void comments_are_skipped(void **state)
{
	(void)state;
	assert_string_equal(fields("# mutation { deleteRepository }\n"
				   "query {\n"
				   "  # notAField { x }\n"
				   "  viewer { login } # trailing } }\n"
				   "}"),
			    "q:viewer");
}

static void directives_are_not_fields(void **state)
{
	(void)state;
	assert_string_equal(fields("query($x: Boolean!) { viewer @include(if: $x) { login } rateLimit @skip(if: $x) { cost } }"),
			    "q:viewer,q:rateLimit");
}

static void fragment_definitions_add_no_top_level_fields(void **state)
{
	(void)state;
	/* a fragment's selections belong to wherever it is spread */
	assert_string_equal(fields("query { repository(owner: \"o\", name: \"r\") { ...Repo } }\n"
				   "fragment Repo on Repository { name owner { login } }"),
			    "q:repository");
	assert_string_equal(fields("fragment Repo on Repository { name }\n"
				   "query { repository(owner: \"o\", name: \"r\") { ...Repo } }"),
			    "q:repository");
}

static void fragment_after_mutation_is_not_a_mutation_field(void **state)
{
	(void)state;
	assert_string_equal(fields("mutation { addComment(input: {subjectId: \"x\", body: \"y\"}) { ...C } }\n"
				   "fragment C on AddCommentPayload { clientMutationId }"),
			    "m:addComment");
}

static void top_level_fragments_refused(void **state)
{
	(void)state;
	assert_string_equal(fields("query { ...Everything }\nfragment Everything on Query { viewer { id } }"),
			    "ERR");
	assert_string_equal(fields("mutation { ... on Mutation { deleteIssue(input: {issueId: \"1\"}) { clientMutationId } } }"),
			    "ERR");
}

static void unreadable_documents_refused(void **state)
{
	(void)state;
	assert_string_equal(fields(""), "ERR");
	assert_string_equal(fields("   # only a comment\n"), "ERR");
	assert_string_equal(fields("query { viewer { login }"), "ERR");     /* unclosed */
	assert_string_equal(fields("query { viewer } }"), "ERR");           /* extra brace */
	assert_string_equal(fields("mutation { addComment(input: {body: \"x\"} { id } }"), "ERR");
	assert_string_equal(fields("query {}"), "ERR");                     /* nothing selected */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(anonymous_query),
		TL_TEST(named_query_with_variables),
		TL_TEST(mutation_fields),
		TL_TEST(query_then_mutation_in_one_document),
		TL_TEST(aliases_resolve_to_the_field),
		TL_TEST(arguments_with_braces_and_strings),
		TL_TEST(comments_are_skipped),
		TL_TEST(directives_are_not_fields),
		TL_TEST(fragment_definitions_add_no_top_level_fields),
		TL_TEST(fragment_after_mutation_is_not_a_mutation_field),
		TL_TEST(top_level_fragments_refused),
		TL_TEST(unreadable_documents_refused),
	};
	return cmocka_run_group_tests_name("graphql", tests, NULL, NULL);
}
