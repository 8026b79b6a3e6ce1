package io.diveteacher.document;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Chunk size bounds. {@code maxTokens} is an upper bound in approximate model tokens; {@code overlap} is
 * the share of a chunk repeated at the start of the next one (sentence-aligned).
 */
@ConfigurationProperties("diveteacher.chunking")
public record ChunkingProperties(@DefaultValue("400") int maxTokens, @DefaultValue("0.15") double overlap) {

    // Checked here rather than by annotations: job definitions make their own chunking from YAML, outside binding.
    public ChunkingProperties {
        if (maxTokens < 32) {
            throw new IllegalArgumentException("diveteacher.chunking.max-tokens must be at least 32, was " + maxTokens);
        }
        if (overlap < 0 || overlap >= 0.5) {
            throw new IllegalArgumentException("diveteacher.chunking.overlap must be in [0, 0.5), was " + overlap);
        }
    }

    int overlapTokens() {
        return (int) Math.round(maxTokens * overlap);
    }
}
