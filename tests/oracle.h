/*
 * oracle.h - a second, slow and simple judge of what ts_verify judges, for
 * the fuzzer and the corpus test only.
 *
 * Contract: tl_oracle parses the input and the output with libfyaml, each
 * from scratch, asks libfyaml for the text of every scalar, anchor, tag and
 * alias, drops from the output every event whose token starts inside an
 * inserted range (and the ends of the collections those opened), and
 * compares what is left event by event. It returns NULL when the two
 * agree, else a message that says where they part. It shares nothing with
 * the parse stage or with verify: verify skips the input's second parse
 * and compares source bytes where it can, and this checks that those
 * short cuts never accept what a plain comparison would refuse.
 */
#ifndef TL_ORACLE_H
#define TL_ORACLE_H

#include <stddef.h>

/* at[k], len[k]: the k-th insertion's place and length in `out`. The
 * message is static; it stays valid until the next call. */
const char *tl_oracle(const char *in, size_t inlen, const char *out, size_t outlen,
		      const size_t *at, const size_t *len, size_t nins);

#endif
