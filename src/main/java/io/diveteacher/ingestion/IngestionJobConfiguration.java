package io.diveteacher.ingestion;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.MDC;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.skip.LimitCheckingExceptionHierarchySkipPolicy;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.ExtractionCache;
import io.diveteacher.extraction.ExtractionRejectedException;
import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.EntityResolution;
import io.diveteacher.graph.GraphWriter;
import io.diveteacher.inference.EmbeddingCache;
import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelResults;
import io.diveteacher.inference.ModelRuntime;

/**
 * The {@code ingestion} job: {@code discover} (list, checksum, register documents), {@code ingest}
 * (one partition per pending document, each a chunk-oriented step: read chunks, extract concurrently,
 * embed and write per commit interval) and {@code resolve} (entity descriptions, weights, orphans).
 */
@Configuration(proxyBeanMethods = false)
class IngestionJobConfiguration {

    static final String JOB = "ingestion";

    @Bean
    Job ingestionJob(JobRepository jobRepository, Step discover, Step ingest, Step resolve, LiveExecutions live) {
        return new JobBuilder(JOB, jobRepository)
                .validator(parameters -> {
                    String sources = parameters.getString(IngestionSources.PARAMETER);
                    if (sources == null || sources.isBlank()) {
                        throw new InvalidJobParametersException("the ingestion job needs a 'sources' parameter: "
                                + "folders or PDF files, one per line");
                    }
                })
                .listener(new JobExecutionListener() {
                    // The execution id in every log line of the job's own thread (see logging.pattern.level).
                    @Override
                    public void beforeJob(JobExecution jobExecution) {
                        MDC.put(DocumentStepListener.EXECUTION_MDC, String.valueOf(jobExecution.getId()));
                    }

                    @Override
                    public void afterJob(JobExecution jobExecution) {
                        MDC.remove(DocumentStepListener.EXECUTION_MDC);
                    }
                })
                .listener(live)
                .start(discover)
                .next(ingest)
                .next(resolve)
                .build();
    }

    @Bean
    Step discover(JobRepository jobRepository, PlatformTransactionManager transactionManager, DiscoverTasklet discoverTasklet) {
        return new StepBuilder("discover", jobRepository).tasklet(discoverTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    DiscoverTasklet discoverTasklet(DocumentCatalog catalog, ModelRuntime models,
            @Value("#{stepExecution}") StepExecution step) {
        IngestionRequest request = IngestionRequest.of(step.getJobParameters());
        return new DiscoverTasklet(catalog, models.refreshDigests(), request.sources(),
                request.pattern(), request.deleteMissing(), request.settle());
    }

    /** The threads of the jobs the API and the scheduler run in the background (virtual: they mostly wait). */
    @Bean
    SimpleAsyncTaskExecutor ingestionJobExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("ingestion-");
        executor.setVirtualThreads(true);
        return executor;
    }

    /** The threads that stream a job's progress to its watchers (virtual: they mostly sleep between updates). */
    @Bean
    SimpleAsyncTaskExecutor progressStreams() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("progress-");
        executor.setVirtualThreads(true);
        return executor;
    }

    /** The documents a job ingests at once. */
    @Bean
    ThreadPoolTaskExecutor documentExecutor(IngestionProperties properties) {
        return pool("document-", properties.concurrentDocuments());
    }

    /**
     * One executor for the extractions of all partitions ({@link ExtractionQueue}): as many threads as Ollama has
     * parallel slots, so the server always has that many requests when there is work, and never more (the chat's
     * slots also cap it).
     */
    @Bean
    ThreadPoolTaskExecutor extractionExecutor(InferenceProperties inference) {
        return pool("extract-", inference.numParallel());
    }

    /**
     * The embedding requests of all partitions, made ahead of their commits ({@link ChunkEmbeddings}); the embedding
     * model's own slots bound them on the server.
     */
    @Bean
    ThreadPoolTaskExecutor embeddingExecutor(InferenceProperties inference) {
        return pool("embed-", inference.numParallel());
    }

    private static ThreadPoolTaskExecutor pool(String name, int threads) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix(name);
        pool.setCorePoolSize(threads);
        pool.setMaxPoolSize(threads);
        pool.setAllowCoreThreadTimeOut(true);
        return pool;
    }

    /** Local mode: the documents' partitions run on this process's threads, largest first. */
    @Bean
    @ConditionalOnProperty(name = "diveteacher.ingestion.mode", havingValue = "local", matchIfMissing = true)
    PartitionHandler documentPartitions(DocumentSteps documentSteps, IngestionProperties properties,
            ThreadPoolTaskExecutor documentExecutor) {
        LargestDocumentsFirst partitions = new LargestDocumentsFirst(documentSteps::forNextDocument);
        partitions.setTaskExecutor(documentExecutor);
        partitions.setGridSize(properties.concurrentDocuments());
        return partitions;
    }

    /** The documents' partitions go to {@code documentPartitions}: local threads, or workers through the broker. */
    @Bean
    Step ingest(JobRepository jobRepository, DocumentPartitioner documentPartitioner, PartitionHandler documentPartitions,
            ExtractionQueue extractionQueue, ModelResults modelResults) {
        return new StepBuilder("ingest", jobRepository)
                .partitioner(DocumentPartition.WORKER_STEP, documentPartitioner)
                .partitionHandler(documentPartitions)
                .listener(new SlotUsageListener(extractionQueue))
                .listener(new StepExecutionListener() {
                    // What the job paid for is stored before it reports, and the cache stays within its bound.
                    @Override
                    public org.springframework.batch.core.ExitStatus afterStep(StepExecution stepExecution) {
                        modelResults.flush(Duration.ofMinutes(1));
                        modelResults.trim();
                        return null;
                    }
                })
                .build();
    }

    @Bean
    @JobScope
    DocumentPartitioner documentPartitioner(DocumentCatalog catalog, @Value("#{jobExecution}") JobExecution job) {
        return new DocumentPartitioner(catalog, Discovery.of(job.getExecutionContext()));
    }

    /**
     * The step that ingests one document, one per commit interval (see {@link DocumentSteps}): local partitions and
     * workers take the one that suits the model's pace when a document starts.
     */
    @Bean
    DocumentSteps documentSteps(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DocumentChunkReader documentChunkReader, ChunkGraphItemWriter chunkGraphItemWriter,
            DocumentStepListener documentStepListener, SkipListener<Chunk, ExtractedChunk> documentSkips,
            ChunkExtractionProcessor chunkExtractionProcessor, IngestionProperties properties, ModelResults modelResults,
            ExtractionQueue extractionQueue) {
        boolean remote = properties.mode() == IngestionProperties.Mode.REMOTE;
        return new DocumentSteps(commitInterval -> new StepBuilder(DocumentPartition.WORKER_STEP, jobRepository)
                .<Chunk, ExtractedChunk>chunk(commitInterval)
                .transactionManager(transactionManager)
                .reader(documentChunkReader)
                .processor(chunkExtractionProcessor)
                .writer(chunkGraphItemWriter)
                .faultTolerant()
                .retryPolicy(properties.modelCallRetry())
                .skipPolicy(new LimitCheckingExceptionHierarchySkipPolicy(Set.of(ExtractionRejectedException.class),
                        properties.skipLimit()))
                .listener((StepExecutionListener) documentStepListener)
                .skipListener(documentSkips)
                .interruptionPolicy(new EndedJobInterruption())
                .listener(new StepExecutionListener() {
                    // A worker stores what its document paid for before the broker hears it is done (locally the
                    // ingest step does it once for all documents).
                    @Override
                    public org.springframework.batch.core.ExitStatus afterStep(StepExecution stepExecution) {
                        if (remote) {
                            modelResults.flush(Duration.ofMinutes(1));
                        }
                        return null;
                    }
                })
                .build(), extractionQueue, properties.commitInterval(), properties.maxCommitInterval());
    }

    @Bean
    @StepScope
    ChunkExtractionProcessor chunkExtractionProcessor(DefinitionSettings settings, ExtractionCache cache,
            ExtractionQueue queue, @Value("#{stepExecution}") StepExecution step) {
        IngestionRequest request = IngestionRequest.of(step.getJobParameters());
        return new ChunkExtractionProcessor(settings.extractor(request.definition()), cache, queue, !request.noCache(),
                step);
    }

    /**
     * Reads at least {@code read-ahead} chunks (and the largest commit interval and the model's slots twice) beyond the
     * chunk handed out: while the step waits for one chunk's extraction and writes an interval, the slots have the
     * next chunks of the document to work on.
     */
    @Bean
    @StepScope
    DocumentChunkReader documentChunkReader(DefinitionSettings settings, ChunkExtractionProcessor chunkExtractionProcessor,
            ChunkEmbeddings chunkEmbeddings, IngestionProperties properties, InferenceProperties inference, @Value("${diveteacher.data-dir}") Path dataDir,
            @Value("#{stepExecution}") StepExecution step) {
        DocumentPartition partition = DocumentPartition.of(step.getExecutionContext());
        return new DocumentChunkReader(Path.of(partition.path()), partition.documentId(), partition.checksum(),
                settings.chunker(IngestionRequest.of(step.getJobParameters()).definition()), partition.repair(),
                Math.max(properties.readAhead(), properties.maxCommitInterval() + 2 * inference.numParallel()),
                chunk -> {
                    chunkExtractionProcessor.ahead(chunk);
                    chunkEmbeddings.ahead(chunk);
                }, dataDir.resolve("spool"));
    }

    @Bean
    @StepScope
    ChunkGraphItemWriter chunkGraphItemWriter(ChunkEmbeddings chunkEmbeddings, GraphWriter graph,
            @Value("#{stepExecution}") StepExecution step) {
        DocumentPartition partition = DocumentPartition.of(step.getExecutionContext());
        return new ChunkGraphItemWriter(partition.documentId(), partition.name(), chunkEmbeddings, graph);
    }

    /**
     * Embeds a partition's chunks as soon as they are read, on the embedding threads, as many per request as the
     * largest commit holds.
     */
    @Bean
    @StepScope
    ChunkEmbeddings chunkEmbeddings(EmbeddingCache embeddings, IngestionProperties properties,
            ThreadPoolTaskExecutor embeddingExecutor, @Value("#{stepExecution}") StepExecution step) {
        return new ChunkEmbeddings(embeddings, !IngestionRequest.of(step.getJobParameters()).noCache(),
                properties.maxCommitInterval(), embeddingExecutor);
    }

    @Bean
    @StepScope
    DocumentStepListener documentStepListener(DocumentCatalog catalog, ChunkExtractionProcessor chunkExtractionProcessor,
            ChunkEmbeddings chunkEmbeddings, MeterRegistry meters, @Value("#{stepExecution}") StepExecution step) {
        DocumentPartition partition = DocumentPartition.of(step.getExecutionContext());
        return new DocumentStepListener(catalog, chunkExtractionProcessor, chunkEmbeddings, meters, partition.documentId(),
                partition.name());
    }

    @Bean
    @StepScope
    SkipListener<Chunk, ExtractedChunk> documentSkips(DocumentStepListener documentStepListener) {
        return documentStepListener.skips();
    }

    @Bean
    Step resolve(JobRepository jobRepository, PlatformTransactionManager transactionManager, DocumentCatalog catalog,
            EntityResolution resolution, EntityMatcher matcher, GraphWriter graphWriter) {
        return new StepBuilder("resolve", jobRepository)
                .tasklet(new ResolveTasklet(jobRepository, catalog, resolution, matcher), transactionManager)
                .listener(new StepExecutionListener() {
                    // What the job wrote is searchable once it reports (the fulltext indexes catch up in the background).
                    @Override
                    public org.springframework.batch.core.ExitStatus afterStep(StepExecution stepExecution) {
                        graphWriter.awaitSearchable();
                        return null;
                    }
                })
                .build();
    }
}
