package io.diveteacher.ingestion;

import java.time.Duration;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import io.diveteacher.graph.ChunkVectors;
import io.diveteacher.graph.GraphSchema;
import io.diveteacher.inference.EmbeddingCache;

/**
 * The {@code reembed} job: gives every chunk a vector from the embedding model in use, so that changing the
 * embedding model is one command instead of a new graph. {@code rebuildVectorIndex} sizes the vector index for the
 * model (an index of another size is dropped and made again), {@code reembedChunks} embeds the chunks still to do in
 * id order, a commit interval at a time (a restart resumes after the last chunk written; a chunk already embedded by
 * the model is not done again, so running the command again also resumes), detecting each chunk's language on the
 * way; {@code finishReembedding} waits for the index and marks the documents as embedded by the model.
 */
@Configuration(proxyBeanMethods = false)
class ReembedJobConfiguration {

    static final String JOB = "reembed";
    static final String MODEL = "model";
    static final String DIMENSIONS = "dimensions";
    static final String ALL = "all";
    static final String PREVIOUS_DIMENSIONS = "reembed.previousDimensions";
    static final String DOCUMENTS = "reembed.documents";

    /** The model a run embeds with and the size of its vectors, from the job's parameters. */
    record EmbeddingTarget(String model, int dimensions) {

        static EmbeddingTarget of(JobParameters parameters) throws InvalidJobParametersException {
            String model = parameters.getString(MODEL);
            Long dimensions = parameters.getLong(DIMENSIONS);
            if (model == null || model.isBlank() || dimensions == null || dimensions <= 0) {
                throw new InvalidJobParametersException("the reembed job needs the embedding model and its "
                        + "dimensions ('model', 'dimensions')");
            }
            return new EmbeddingTarget(model, dimensions.intValue());
        }
    }

    @Bean
    Job reembedJob(JobRepository jobRepository, Step rebuildVectorIndex, Step reembedChunks, Step finishReembedding,
            LiveExecutions live) {
        return new JobBuilder(JOB, jobRepository)
                .validator(EmbeddingTarget::of)
                .listener(live)
                .start(rebuildVectorIndex)
                .next(reembedChunks)
                .next(finishReembedding)
                .build();
    }

    @Bean
    Step rebuildVectorIndex(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            GraphSchema schema) {
        return new StepBuilder("rebuildVectorIndex", jobRepository).tasklet((contribution, context) -> {
            StepExecution step = context.getStepContext().getStepExecution();
            int before = schema.rebuildVectorIndex(EmbeddingTarget.of(step.getJobParameters()).dimensions());
            step.getJobExecution().getExecutionContext().putInt(PREVIOUS_DIMENSIONS, before);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    @Bean
    Step reembedChunks(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReembedReader reembedReader, ReembedWriter reembedWriter, IngestionProperties properties) {
        return new StepBuilder("reembedChunks", jobRepository)
                .<ChunkVectors.ChunkText, ChunkVectors.ChunkText>chunk(properties.commitInterval())
                .transactionManager(transactionManager)
                .reader(reembedReader)
                .writer(reembedWriter)
                .faultTolerant()
                .retryPolicy(properties.modelCallRetry())
                .build();
    }

    @Bean
    @StepScope
    ReembedReader reembedReader(ChunkVectors chunks, @Value("#{stepExecution}") StepExecution step)
            throws InvalidJobParametersException {
        EmbeddingTarget target = EmbeddingTarget.of(step.getJobParameters());
        return new ReembedReader(chunks, target.model(), target.dimensions(),
                Boolean.parseBoolean(step.getJobParameters().getString(ALL)));
    }

    @Bean
    @StepScope
    ReembedWriter reembedWriter(EmbeddingCache embeddings, ChunkVectors chunks,
            @Value("#{stepExecution}") StepExecution step) throws InvalidJobParametersException {
        EmbeddingTarget target = EmbeddingTarget.of(step.getJobParameters());
        return new ReembedWriter(embeddings, chunks, target.model(), target.dimensions());
    }

    @Bean
    Step finishReembedding(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            GraphSchema schema, ChunkVectors chunks) {
        return new StepBuilder("finishReembedding", jobRepository).tasklet((contribution, context) -> {
            StepExecution step = context.getStepContext().getStepExecution();
            schema.awaitIndexes(Duration.ofMinutes(30));
            long documents = chunks.markDocuments(EmbeddingTarget.of(step.getJobParameters()).model());
            step.getJobExecution().getExecutionContext().putLong(DOCUMENTS, documents);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
