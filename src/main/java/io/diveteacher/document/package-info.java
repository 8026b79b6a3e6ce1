/**
 * Reading source documents: PDF pages streamed one at a time with PDFBox, document metadata, SHA-256
 * checksums, the reasons a document cannot be read, and structure-aware, token-bounded chunking. It
 * knows nothing of models, graphs or jobs.
 */
@ApplicationModule(allowedDependencies = {})
package io.diveteacher.document;

import org.springframework.modulith.ApplicationModule;
