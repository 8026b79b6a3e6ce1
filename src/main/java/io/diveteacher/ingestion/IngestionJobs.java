package io.diveteacher.ingestion;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentStatus;
import io.diveteacher.graph.StoredDocument;

/**
 * What an operator sees of ingestion executions: status, times, what they ingest, progress in documents and
 * chunks with a percentage and an estimate of the time left, each document's status with its reason, errors.
 * Read from the job repository (step counts are committed with every chunk) and the document catalogue.
 */
@Component
class IngestionJobs {

    private final JobRepository repository;
    private final DocumentCatalog catalog;
    private final IngestionLauncher launcher;
    // The executions before a running one have ended and never change: read once per running execution (not per
    // instance: a restart has one more of them than the execution it restarts).
    private final Map<Long, List<JobExecution>> earlierByExecution = new ConcurrentHashMap<>();
    // The highest percentage shown for each running execution.
    private final Map<Long, Double> shownPercent = new ConcurrentHashMap<>();

    IngestionJobs(JobRepository repository, DocumentCatalog catalog, IngestionLauncher launcher) {
        this.repository = repository;
        this.catalog = catalog;
        this.launcher = launcher;
    }

    /** The most recent executions, newest first. */
    List<JobView> recent(int limit) {
        List<JobView> views = new ArrayList<>();
        for (JobInstance instance : repository.getJobInstances(IngestionJobConfiguration.JOB, 0, limit)) {
            List<JobExecution> executions = repository.getJobExecutions(instance);
            for (JobExecution execution : executions) {
                views.add(view(execution, executions.stream().filter(e -> e.getId() < execution.getId()).toList(), false));
            }
        }
        views.sort((a, b) -> Long.compare(b.executionId(), a.executionId()));
        return views.size() > limit ? views.subList(0, limit) : views;
    }

    /**
     * The execution: the live one while this process runs it (no repository read), else from the repository;
     * empty when there is none with this id.
     */
    Optional<JobExecution> execution(long id) {
        return launcher.running(id).or(() -> {
            try {
                return Optional.ofNullable(repository.getJobExecution(id));
            } catch (EmptyResultDataAccessException e) {
                // Spring Batch 6's JDBC repository throws for an unknown id where its contract says null.
                return Optional.empty();
            }
        });
    }

    Optional<JobView> find(long id) {
        return execution(id).map(e -> view(e, true));
    }

    JobView view(JobExecution execution, boolean withDocuments) {
        return view(execution, earlier(execution), withDocuments);
    }

    /** @param earlier the executions of the same instance before this one: a restart continues them */
    private JobView view(JobExecution execution, List<JobExecution> earlier, boolean withDocuments) {
        Discovery discovery = Discovery.of(execution.getExecutionContext());
        List<String> documents = discovery.documents();
        Set<String> pending = new HashSet<>(discovery.pending());
        Set<String> skipped = new HashSet<>(discovery.skipped());
        ChunkCounts chunks = chunkCounts(execution, earlier);
        // Repairs were counted by discovery; whole documents by their partition, as PDFBox reads them.
        Map<String, Integer> chunksTotal = new HashMap<>(chunks.counted());
        chunksTotal.putAll(discovery.chunksTotal());

        Map<String, StoredDocument> stored = catalog.findAll(documents);
        int done = 0;
        int failed = 0;
        int counting = 0;
        long total = 0;
        List<DocumentState> states = new ArrayList<>();
        for (String id : documents) {
            StoredDocument document = stored.get(id);
            DocumentStatus status = skipped.contains(id) ? DocumentStatus.SKIPPED
                    : document == null ? DocumentStatus.DELETED : document.status();
            if (status == DocumentStatus.FAILED && execution.getStatus().isRunning() && !chunks.endedHere().contains(id)) {
                // Failed in an earlier run; this one has not finished it yet (its partition waits, runs, or is not
                // even made yet): not failed, nor done.
                status = DocumentStatus.PENDING;
            }
            if (pending.contains(id) && status != null && status.finished()) {
                done++;
            } else if (pending.contains(id) && status == DocumentStatus.FAILED) {
                failed++;
            }
            if (pending.contains(id)) {
                Integer counted = chunksTotal.get(id);
                if (counted != null) {
                    total += counted;
                } else if (status == null || !status.finished() && status != DocumentStatus.FAILED) {
                    counting++;
                }
            }
            if (withDocuments) {
                states.add(new DocumentState(id, document == null ? null : document.name(), status,
                        document == null ? null : document.reason(), chunksTotal.getOrDefault(id, 0),
                        chunks.workers().get(id)));
            }
        }
        boolean finished = !execution.getStatus().isRunning();
        double percent;
        if (execution.getStatus().name().equals("COMPLETED")) {
            percent = 100;
        } else if (total > 0 && counting == 0) {
            percent = Math.min(100, 100.0 * (chunks.done() + chunks.failed()) / total);
        } else if (!pending.isEmpty()) {
            // Some documents are not counted yet: each pending document weighs the same, counted ones by their chunks.
            double share = 0;
            for (String id : pending) {
                StoredDocument document = stored.get(id);
                Integer counted = chunksTotal.get(id);
                boolean failedHere = document != null && document.status() == DocumentStatus.FAILED
                        && (!execution.getStatus().isRunning() || chunks.endedHere().contains(id));
                if (document != null && document.status() != null
                        && (document.status().finished() || failedHere)) {
                    share += 1;
                } else if (counted != null && counted > 0) {
                    share += Math.min(1.0, chunks.read().getOrDefault(id, 0) / (double) counted);
                }
            }
            percent = 100.0 * share / pending.size();
        } else {
            percent = documents.isEmpty() ? 0 : 100;
        }
        if (finished) {
            shownPercent.remove(execution.getId());
        } else {
            // The share goes by documents until all are counted, then by chunks: never show less than before.
            percent = shownPercent.merge(execution.getId(), percent, Math::max);
        }
        Long eta = null;
        LocalDateTime started = execution.getStartTime();
        if (!finished && started != null && chunks.processedHere() > 0 && total > 0) {
            long elapsed = Duration.between(started, LocalDateTime.now()).toSeconds();
            if (counting == 0) {
                long remaining = Math.max(0, total - chunks.done() - chunks.failed());
                eta = elapsed * remaining / chunks.processedHere();
            } else if (percent > 0) {
                eta = Math.round(elapsed * (100 - percent) / percent); // by the share of the documents done
            }
        }
        Progress progress = new Progress(documents.size(), done, failed, skipped.size(), counting, total, chunks.done(),
                chunks.failed(), Math.round(percent * 10) / 10.0, eta);
        IngestionRequest request = IngestionRequest.of(execution.getJobParameters());
        ExtractionCounts counts = ExtractionCounts.of(execution);
        return new JobView(execution.getId(), execution.getStatus().name(), execution.getExitStatus().getExitCode(),
                time(execution.getCreateTime()), time(execution.getStartTime()), time(execution.getEndTime()),
                request.definition(), IngestionSources.paths(request.sources()).stream().map(Object::toString).toList(),
                request.noCache(), progress, counts.cached(), counts.extracted(), counts.slotEfficiencyOrNull(),
                withDocuments ? states : null, errors(execution));
    }

    /**
     * Chunks written and skipped so far. A resumed execution continues its instance's earlier ones: per document,
     * the newest step execution's reader position is how far the document got (it is restored on restart, so it
     * counts what earlier runs committed, once); skipped chunks are counted by every execution that skipped them.
     */
    private static ChunkCounts chunkCounts(JobExecution execution, List<JobExecution> earlier) {
        Map<String, StepExecution> newest = new HashMap<>();
        long failed = 0;
        long processedHere = 0;
        List<JobExecution> executions = new ArrayList<>(earlier);
        executions.add(execution);
        for (JobExecution each : executions) {
            for (StepExecution step : each.getStepExecutions()) {
                if (!step.getStepName().startsWith(DocumentPartition.WORKER_STEP)) {
                    continue;
                }
                long skipped = step.getProcessSkipCount() + step.getWriteSkipCount() + step.getReadSkipCount();
                failed += skipped;
                newest.merge(step.getStepName(), step, (a, b) -> a.getJobExecutionId() >= b.getJobExecutionId() ? a : b);
                if (each.getId() == execution.getId()) {
                    processedHere += step.getWriteCount() + skipped;
                }
            }
        }
        long read = newest.values().stream().mapToLong(step -> step.getExecutionContext()
                .getInt(DocumentChunkReader.READ, 0)).sum();
        Map<String, Integer> counted = new HashMap<>();
        Map<String, Integer> readOf = new HashMap<>();
        Map<String, String> workers = new HashMap<>();
        Set<String> endedHere = new HashSet<>();
        newest.values().forEach(step -> {
            var context = step.getExecutionContext();
            if (context.containsKey(DocumentPartition.DOCUMENT_ID)) {
                String id = context.getString(DocumentPartition.DOCUMENT_ID);
                if (context.containsKey(PartitionRequests.WORKER)) {
                    workers.put(id, context.getString(PartitionRequests.WORKER));
                }
                if (step.getJobExecutionId() == execution.getId() && !step.getStatus().isRunning()) {
                    endedHere.add(id);
                }
                readOf.put(id, context.getInt(DocumentChunkReader.READ, 0));
                if (context.containsKey(DocumentChunkReader.CHUNKS_TOTAL)) {
                    counted.put(id, context.getInt(DocumentChunkReader.CHUNKS_TOTAL));
                }
            }
        });
        return new ChunkCounts(Math.max(0, read - failed), failed, processedHere, counted, readOf, workers, endedHere);
    }

    /**
     * {@code processedHere}: written or skipped by this execution itself (what its rate is measured by);
     * {@code counted}: the chunks of each document its partition has counted, and {@code read} those it has read, by
     * document id; {@code workers}: the worker that runs (or ran) each document of a remote ingestion;
     * {@code endedHere}: the documents whose partition in this execution has ended.
     */
    private record ChunkCounts(long done, long failed, long processedHere, Map<String, Integer> counted,
            Map<String, Integer> read, Map<String, String> workers, Set<String> endedHere) {
    }

    /** The executions of the same instance before this one (a restart continues them). */
    private List<JobExecution> earlier(JobExecution execution) {
        boolean live = launcher.running(execution.getId()).isPresent();
        if (live && earlierByExecution.containsKey(execution.getId())) {
            return earlierByExecution.get(execution.getId());
        }
        List<JobExecution> earlier = repository.getJobExecutions(execution.getJobInstance()).stream()
                .filter(e -> e.getId() < execution.getId()).toList();
        if (live) {
            earlierByExecution.keySet().removeIf(id -> launcher.running(id).isEmpty());
            earlierByExecution.put(execution.getId(), earlier);
        } else {
            earlierByExecution.remove(execution.getId());
        }
        return earlier;
    }

    static OffsetDateTime time(LocalDateTime time) {
        // Spring Batch keeps local times of this JVM's zone.
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** What failed an execution, each message once: the job view and the command's summary show them. */
    static List<String> errors(JobExecution execution) {
        return execution.getAllFailureExceptions().stream()
                .map(e -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()).distinct().toList();
    }

    /**
     * An execution as the admin API shows it. {@code documents} is left out of lists. {@code cachedChunks}: chunks
     * this execution wrote with an extraction from the cache; {@code modelChunks}: with one from the model;
     * {@code slotEfficiency}: how busy its extractions kept the model's parallel slots (0 to 1), once known.
     */
    record JobView(long executionId, String status, String exitStatus, OffsetDateTime createTime, OffsetDateTime startTime,
            OffsetDateTime endTime, String definition, List<String> sources, boolean noCache, Progress progress,
            long cachedChunks, long modelChunks, Double slotEfficiency, List<DocumentState> documents,
            List<String> errors) {
    }

    /**
     * Progress in documents and chunks; {@code etaSeconds} is null until there is a rate to go by.
     * {@code documentsCounting}: documents whose chunks are not counted yet (PDFBox is still reading them, or their
     * turn has not come): {@code chunksTotal} leaves them out, and the percentage goes by documents until they are.
     */
    record Progress(int documentsTotal, int documentsDone, int documentsFailed, int documentsSkipped,
            int documentsCounting, long chunksTotal, long chunksDone, long chunksFailed, double percent, Long etaSeconds) {
    }

    /** {@code worker}: in remote mode, the worker that runs (or ran) the document's partition; null locally. */
    record DocumentState(String documentId, String file, DocumentStatus status, String reason, int chunks,
            String worker) {
    }
}
