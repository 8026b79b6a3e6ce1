/**
 * The Spring Batch {@code ingestion} job (discover, per-document partitions, resolve) and everything that starts
 * or watches it: the {@code ingest} command and its summary, job definitions and their schedules, the inbox
 * watcher, the admin job API, uploads and progress streams.
 */
@ApplicationModule(allowedDependencies = { "document", "inference", "extraction", "graph", "command" })
package io.diveteacher.ingestion;

import org.springframework.modulith.ApplicationModule;
