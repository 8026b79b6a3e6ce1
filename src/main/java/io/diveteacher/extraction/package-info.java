/**
 * Turning chunk text into entities and relationships: the ontology, the extraction prompt and its JSON
 * schema, parsing and safe repair of model output, the phrase-based fallback extractor, and entity name
 * normalisation so that the same thing named in two chunks becomes one node.
 */
@ApplicationModule(allowedDependencies = { "document", "inference" })
package io.diveteacher.extraction;

import org.springframework.modulith.ApplicationModule;
