package io.diveteacher.ingestion;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param commitInterval chunks written to Neo4j per transaction (and per restart checkpoint)
 * @param concurrentDocuments documents ingested at the same time (partitions running at once)
 * @param retryAttempts retries of a failed model call before the document's step fails (resumable)
 * @param retryBackoff first pause before a retry; doubles each time
 * @param skipLimit chunks per document whose extraction output may be unusable before the document fails
 */
@ConfigurationProperties("diveteacher.ingestion")
public record IngestionProperties(@DefaultValue("8") int commitInterval, @DefaultValue("2") int concurrentDocuments,
        @DefaultValue("3") int retryAttempts, @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("25") int skipLimit) {

    public IngestionProperties {
        if (commitInterval < 1 || concurrentDocuments < 1 || retryAttempts < 0 || skipLimit < 0) {
            throw new IllegalArgumentException("diveteacher.ingestion: commit-interval and concurrent-documents must be "
                    + "at least 1, retry-attempts and skip-limit at least 0");
        }
    }
}
