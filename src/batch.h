/*
 * batch.h - a run's PATHs, through the pipeline, on worker threads.
 *
 * Contract: every file of every PATH goes through ts_process and then to
 * the emitter, in the order the PATHs were given and their files found,
 * so output is the same bytes whatever the number of threads. PATHs are
 * discovered as the run reaches them, and each result is freed once it is
 * emitted: memory does not grow with the number of files or PATHs.
 *
 * With more than one thread (the calling thread and nthreads - 1 more),
 * workers find the PATHs' files one PATH at a time as they need work and
 * fill result slots; the worker that finishes the next file to emit emits
 * it and the done files after it, one worker at a time. Workers run at
 * most a window of files ahead of emission, and keep to one repository
 * while it has files.
 */
#ifndef TS_BATCH_H
#define TS_BATCH_H

#include "pipeline.h"

void ts_batch_run(const ts_config *cfg, const char *const *paths, size_t npaths,
		  ts_emitter *em, unsigned nthreads);

#endif
