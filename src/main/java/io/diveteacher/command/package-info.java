/**
 * What the command-line commands ({@code ingest}, {@code evaluate}) share: reading their arguments one way, and
 * their outcome (output and exit code). The commands themselves belong to the modules whose work they run.
 */
@ApplicationModule(allowedDependencies = {})
package io.diveteacher.command;

import org.springframework.modulith.ApplicationModule;
