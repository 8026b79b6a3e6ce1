package io.diveteacher.ingestion;

import org.springframework.core.retry.RetryPolicy;

import io.diveteacher.inference.ModelCallException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.validation.annotation.Validated;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param commitInterval chunks written to Neo4j per transaction (and per restart checkpoint; progress moves by it)
 *        when the model is slow. 16: a commit's cost in Neo4j barely grows with its size, so 8 made a large document's
 *        writes the bottleneck with a fast model; 32 moved progress only every minute or so on a GPU. A crash costs the
 *        writes of one interval, not its model calls (they come from the cache)
 * @param maxCommitInterval the most chunks per commit when the model is fast: a document's commits double from
 *        {@code commitInterval} up to this as long as a commit holds no more than a few seconds of extraction
 *        ({@link DocumentSteps}); with an instant model, commits of 64 took 15 % less CPU than commits of 16
 * @param concurrentDocuments documents ingested at the same time (partitions running at once)
 * @param retryAttempts retries of a failed model call before the document's step fails (resumable)
 * @param retryBackoff first pause before a retry; doubles each time
 * @param skipLimit chunks per document whose extraction output may be unusable before the document fails
 * @param jobsDirectory the job definitions folder ({@code DIVETEACHER_JOBS_DIR})
 * @param inbox where uploads are stored ({@code DIVETEACHER_INBOX})
 * @param allowedRoots folders besides the definitions' sources and the inbox that the admin API may ingest
 *        ({@code DIVETEACHER_ALLOWED_ROOTS}, comma-separated)
 * @param settle how long a file must keep its size and modification time before a scheduled or API run reads it
 * @param scheduleZone time zone of the definitions' cron schedules (default: the system's)
 * @param schedulingEnabled run the definitions on their schedules (web application only)
 * @param progressInterval how often the job events stream looks for progress
 * @param readAhead chunks of a document read and sent to extraction beyond the one the step processes, so that the
 *        model's slots have work while the step writes (a few kilobytes each)
 * @param resolution how the resolve step tells that two entities are one thing
 * @param mode where the documents' partitions run ({@code DIVETEACHER_INGESTION_MODE}): {@code local} on this
 *        process's threads, {@code remote} on workers that take them from RabbitMQ
 * @param worker this process is a worker ({@code java -jar diveteacher.jar worker}): it runs the partitions it takes
 *        from the broker and nothing else
 * @param remote the broker side of remote mode
 */
@ConfigurationProperties("diveteacher.ingestion")
@Validated
public record IngestionProperties(
        @Min(value = 1, message = "diveteacher.ingestion.commit-interval must be at least 1, was ${validatedValue}")
        @DefaultValue("16") int commitInterval,
        @Min(value = 1, message = "diveteacher.ingestion.max-commit-interval must be at least 1, was ${validatedValue}")
        @DefaultValue(IngestionProperties.DEFAULT_MAX_COMMIT_INTERVAL) int maxCommitInterval,
        @Min(value = 1, message = "diveteacher.ingestion.concurrent-documents must be at least 1, was ${validatedValue}")
        @DefaultValue("2") int concurrentDocuments,
        @PositiveOrZero(message = "diveteacher.ingestion.retry-attempts must be 0 or more, was ${validatedValue}")
        @DefaultValue("3") int retryAttempts,
        @DefaultValue("2s") Duration retryBackoff,
        @PositiveOrZero(message = "diveteacher.ingestion.skip-limit must be 0 or more, was ${validatedValue}")
        @DefaultValue("25") int skipLimit,
        @NotNull Path jobsDirectory,
        @NotNull Path inbox,
        List<Path> allowedRoots,
        @DefaultValue("2s") Duration settle,
        ZoneId scheduleZone,
        @DefaultValue("true") boolean schedulingEnabled,
        @DefaultValue("1s") Duration progressInterval,
        @Min(value = 0, message = "diveteacher.ingestion.read-ahead must be at least 0, was ${validatedValue}")
        @DefaultValue("64") int readAhead,
        @Valid @DefaultValue Resolution resolution,
        @NotNull @DefaultValue("local") Mode mode,
        @DefaultValue("false") boolean worker,
        @Valid @DefaultValue Remote remote) {

    /** The most chunks a commit holds unless configured otherwise (the tests that time the pipeline use it). */
    static final String DEFAULT_MAX_COMMIT_INTERVAL = "64";

    /** Where the partitions of the ingest step run. */
    public enum Mode { LOCAL, REMOTE }

    /**
     * Remote partitioning over RabbitMQ (the broker itself is Spring Boot's {@code spring.rabbitmq.*}).
     *
     * @param queue the queue of partition requests ({@code DIVETEACHER_PARTITION_QUEUE}); every manager and worker of
     *        one deployment use the same
     * @param pollInterval how often the manager reads the job repository for its partitions' progress
     * @param workerName how this worker is shown in the job's progress and logs ({@code DIVETEACHER_WORKER_NAME};
     *        default: host name and process id)
     * @param consumerTimeout how long the broker lets a worker hold a request unacknowledged (the queue's
     *        {@code x-consumer-timeout}, RabbitMQ 3.12 and later): longer than the largest document takes, since a
     *        request is acknowledged only when its document is done
     * @param lease how long a partition another worker began must go without a commit before a worker given its
     *        request again takes it over ({@code DIVETEACHER_PARTITION_LEASE}): the broker redelivers the request of a
     *        worker cut off from it, which may still be running the document; longer than a chunk takes to commit
     */
    public record Remote(@NotNull @DefaultValue("diveteacher.partitions") String queue,
            @NotNull @DefaultValue("1s") Duration pollInterval, String workerName,
            @NotNull @DefaultValue("24h") Duration consumerTimeout, @NotNull @DefaultValue("2m") Duration lease) {
    }

    /**
     * Entity resolution by name and name embedding, among entities of one type whose numbers are the same (EAN32 and
     * EAN36 are never one thing): two whose names are spelled alike (Jaro-Winkler similarity of the lower-case,
     * accent-free names at least {@code spellingSimilarity}) and whose name embeddings agree (cosine at least
     * {@code spellingCosine}) become one entity; two named differently whose embeddings are very close (cosine at
     * least {@code sameAsCosine}: a thing named in two languages, "palier de sécurité" and "safety stop") stay two,
     * linked by {@code SAME_AS}. Each entity is compared with its {@code neighbours} nearest names.
     */
    public record Resolution(@DefaultValue("true") boolean enabled,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.92") double spellingSimilarity,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.85") double spellingCosine,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.9") double sameAsCosine,
            @Min(1) @DefaultValue("5") int neighbours) {
    }

    public IngestionProperties {
        jobsDirectory = jobsDirectory == null ? null : jobsDirectory.toAbsolutePath().normalize();
        inbox = inbox == null ? null : inbox.toAbsolutePath().normalize();
        allowedRoots = allowedRoots == null ? List.of()
                : allowedRoots.stream().filter(p -> !p.toString().isBlank()).map(p -> p.toAbsolutePath().normalize()).toList();
        scheduleZone = scheduleZone == null ? ZoneId.systemDefault() : scheduleZone;
    }

    /** How a step retries a failed model call: transient failures only, {@code retryAttempts} times, backing off. */
    RetryPolicy modelCallRetry() {
        return RetryPolicy.builder()
                .maxRetries(retryAttempts)
                .delay(retryBackoff)
                .multiplier(2)
                .maxDelay(Duration.ofMinutes(2))
                .predicate(t -> t instanceof ModelCallException m && m.transientFailure())
                .build();
    }

    @AssertTrue(message = "diveteacher.ingestion: settle must not be negative, progress-interval positive")
    public boolean isDurationsPositive() {
        return !settle.isNegative() && !progressInterval.isNegative() && !progressInterval.isZero();
    }
}
