package io.diveteacher.ingestion;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What an ingestion run of the API or the scheduler is asked to do: the sources (already resolved and
 * allowed), the job definition it comes from, the file pattern, whether files gone from the source are deleted
 * from the graph, how long files must stay unchanged before they are read, and whether the model result cache is
 * bypassed ({@code noCache}: every chunk goes to the model again; the fresh results replace the stored ones).
 */
public record IngestionRequest(String sources, String definition, String pattern, boolean deleteMissing, Duration settle,
        boolean noCache) {

    static final String DEFINITION = "definition";
    static final String PATTERN = "pattern";
    static final String DELETE_MISSING = "deleteMissing";
    static final String SETTLE = "settleMillis";
    static final String NO_CACHE = "noCache";
    static final String DEFAULT_PATTERN = "**/*.pdf";

    public IngestionRequest(String sources, String definition, String pattern, boolean deleteMissing, Duration settle) {
        this(sources, definition, pattern, deleteMissing, settle, false);
    }

    public IngestionRequest {
        Objects.requireNonNull(sources, "sources");
        pattern = pattern == null || pattern.isBlank() ? DEFAULT_PATTERN : pattern;
        settle = settle == null ? Duration.ZERO : settle;
    }

    /** A folder or file given by path through the API. */
    public static IngestionRequest ofPaths(List<String> paths, Duration settle) {
        return new IngestionRequest(IngestionSources.parameter(paths), null, null, false, settle);
    }

    /** The same request, bypassing the model result cache or not. */
    public IngestionRequest withNoCache(boolean bypass) {
        return new IngestionRequest(sources, definition, pattern, deleteMissing, settle, bypass);
    }

    /** The request a job's parameters were made from. */
    static IngestionRequest of(JobParameters parameters) {
        Long settle = parameters.getLong(SETTLE);
        return new IngestionRequest(parameters.getString(IngestionSources.PARAMETER), parameters.getString(DEFINITION),
                parameters.getString(PATTERN), Boolean.parseBoolean(parameters.getString(DELETE_MISSING)),
                Duration.ofMillis(settle == null ? 0 : settle), Boolean.parseBoolean(parameters.getString(NO_CACHE)));
    }

    JobParameters parameters() {
        JobParametersBuilder builder = new JobParametersBuilder()
                .addString(IngestionSources.PARAMETER, sources)
                .addString(PATTERN, pattern)
                .addString(DELETE_MISSING, String.valueOf(deleteMissing), false)
                .addLong(SETTLE, settle.toMillis(), false)
                .addString(NO_CACHE, String.valueOf(noCache), false)
                .addLong("run.id", System.currentTimeMillis());
        if (definition != null) {
            builder.addString(DEFINITION, definition);
        }
        return builder.toJobParameters();
    }

    /** Whether an earlier run was of the same request (so that it may be resumed instead). */
    boolean sameAs(JobParameters parameters) {
        IngestionRequest earlier = of(parameters);
        if (definition != null) {
            return definition.equals(earlier.definition());
        }
        return earlier.definition() == null && sources.equals(earlier.sources()) && pattern.equals(earlier.pattern());
    }

    String describe() {
        return definition != null ? "definition " + definition : String.join(", ", IngestionSources.paths(sources).stream()
                .map(Object::toString).toList());
    }
}
