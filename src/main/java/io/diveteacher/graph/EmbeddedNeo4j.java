package io.diveteacher.graph;

import java.net.URI;

/** An in-process Neo4j reachable over Bolt on localhost; only the local build has one. */
interface EmbeddedNeo4j {

    URI boltUri();
}
