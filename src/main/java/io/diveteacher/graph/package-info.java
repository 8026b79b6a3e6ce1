/**
 * Neo4j: the driver (embedded server for local runs, Bolt server in production), schema creation,
 * every Cypher statement of the application (batched writes, document catalogue, deletes, entity
 * resolution, statistics) and the read-only graph endpoints.
 */
@ApplicationModule(allowedDependencies = { "document", "extraction" })
package io.diveteacher.graph;

import org.springframework.modulith.ApplicationModule;
