/**
 * The Spring Batch {@code ingestion} job (discover, per-document partitions, resolve), its
 * command-line entry point and the summary it prints. Later: job definitions, scheduling, the admin
 * job API and uploads.
 */
@ApplicationModule(allowedDependencies = { "document", "inference", "extraction", "graph", "command" })
package io.diveteacher.ingestion;

import org.springframework.modulith.ApplicationModule;
