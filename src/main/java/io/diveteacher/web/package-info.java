/**
 * The web application, served at {@code /} by the same jar: server-rendered pages (Thymeleaf) for asking, the
 * library, jobs, the graph and the system's health, with htmx and small ES modules of our own; third-party assets
 * come as WebJars. English and French. The pages read the other modules through their public services and, from
 * the browser, through the same REST API scripts use.
 */
@ApplicationModule(allowedDependencies = { "question", "graph", "ingestion", "system" })
package io.diveteacher.web;

import org.springframework.modulith.ApplicationModule;
