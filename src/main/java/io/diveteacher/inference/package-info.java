/**
 * Model access: Ollama through Spring AI (structured chat and batched embeddings), the start-up probe
 * that decides between Ollama and the in-process fallback models, model pulls, and the limit on
 * concurrent model calls that matches the Ollama server's parallel slots.
 */
@ApplicationModule(allowedDependencies = {})
package io.diveteacher.inference;

import org.springframework.modulith.ApplicationModule;
