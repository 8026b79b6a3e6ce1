/**
 * Model access: Ollama through Spring AI (structured chat and batched embeddings), the start-up probe
 * that decides between Ollama and the in-process fallback models, model pulls, the limit on
 * concurrent model calls that matches the Ollama server's parallel slots, and the content-addressed cache of model
 * results (in the job repository's database).
 */
@ApplicationModule(allowedDependencies = {})
package io.diveteacher.inference;

import org.springframework.modulith.ApplicationModule;
