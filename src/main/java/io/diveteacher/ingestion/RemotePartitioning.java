package io.diveteacher.ingestion;

import java.util.List;
import java.util.Set;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.boot.amqp.health.RabbitHealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * Remote mode ({@code DIVETEACHER_INGESTION_MODE=remote}): Spring Batch's remote partitioning over RabbitMQ. The
 * manager sends one {@link StepExecutionRequest} per pending document (a step execution id and the step's name,
 * nothing else) to a durable queue and follows its partitions in the shared job repository (polling, not aggregated
 * replies: a reply lost with a dead manager would leave the job waiting, while the repository always holds the
 * truth); a worker takes one request at a time per document it runs (prefetch 1: none hoards), runs the step, and the
 * broker gets the acknowledgement only once the step has finished, so the request of a worker that dies is delivered
 * again to another, which resumes the document from the step's last commit.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "diveteacher.ingestion.mode", havingValue = "remote")
@EnableIntegration // Spring Boot 4 auto-configures Spring Integration only with its own module, which local runs do not need
class RemotePartitioning {

    /** The only classes a partition request may deserialise to (Spring AMQP's allowed list). */
    static final List<String> REQUEST_CLASSES = List.of(StepExecutionRequest.class.getName());

    @Bean
    Queue partitionRequestQueue(IngestionProperties properties) {
        return QueueBuilder.durable(properties.remote().queue())
                .withArgument("x-consumer-timeout", properties.remote().consumerTimeout().toMillis())
                .build();
    }

    /**
     * Only partition requests are ever deserialised from the queue. Anything else fails conversion and is rejected
     * for good (not requeued, which would hand it back to a worker at once, forever), with the reason in the log.
     */
    static SimpleMessageConverter requestConverter() {
        SimpleMessageConverter converter = new SimpleMessageConverter() {
            @Override
            public Object fromMessage(org.springframework.amqp.core.Message message) {
                try {
                    return super.fromMessage(message);
                } catch (RuntimeException e) {
                    Throwable root = e;
                    while (root.getCause() != null && root.getCause() != root) {
                        root = root.getCause();
                    }
                    throw new AmqpRejectAndDontRequeueException("rejected a message that is not a partition request: "
                            + root.getMessage(), e);
                }
            }
        };
        converter.setAllowedListPatterns(REQUEST_CLASSES);
        return converter;
    }

    @Bean
    DirectChannel partitionRequests() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsToBroker(DirectChannel partitionRequests, ConnectionFactory connectionFactory,
            IngestionProperties properties) {
        RabbitTemplate template = new RabbitTemplate(connectionFactory);
        template.setMessageConverter(requestConverter());
        return IntegrationFlow.from(partitionRequests)
                .handle(Amqp.outboundAdapter((AmqpTemplate) template).routingKey(properties.remote().queue()))
                .get();
    }

    /** The manager's side: the ingest step's partitions go to the broker, largest document first. */
    @Bean
    PartitionHandler documentPartitions(DirectChannel partitionRequests, JobRepository jobRepository,
            IngestionProperties properties) throws Exception {
        MessageChannelPartitionHandler handler = new MessageChannelPartitionHandler() {
            @Override
            protected Set<StepExecution> doHandle(StepExecution managerStepExecution, Set<StepExecution> partitions)
                    throws Exception {
                return super.doHandle(managerStepExecution, LargestDocumentsFirst.ordered(partitions));
            }
        };
        handler.setStepName(DocumentPartition.WORKER_STEP);
        handler.setMessagingOperations(new MessagingTemplate(partitionRequests));
        handler.setJobRepository(jobRepository);
        handler.setPollInterval(properties.remote().pollInterval().toMillis());
        handler.afterPropertiesSet();
        return handler;
    }

    /**
     * Names this process's broker connections ("diveteacher worker gpu-2", "diveteacher manager"), so that RabbitMQ's
     * UI and {@code rabbitmqctl list_connections} tell which worker is connected.
     */
    @Bean
    ConnectionNameStrategy brokerConnectionName(IngestionProperties properties, Environment environment) {
        String name = environment.getProperty("diveteacher.ingestion.worker", Boolean.class, false)
                ? "diveteacher worker " + PartitionRequests.workerName(properties.remote()) : "diveteacher manager";
        return factory -> name;
    }

    /** Whether the broker answers, as {@code broker} in {@code /actuator/health}. */
    @Bean
    RabbitHealthIndicator brokerHealthIndicator(ConnectionFactory connectionFactory) {
        return new RabbitHealthIndicator(new RabbitTemplate(connectionFactory));
    }

    /** The worker's side ({@code java -jar diveteacher.jar worker}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "diveteacher.ingestion.worker", havingValue = "true")
    static class Worker {

        /**
         * A request names the document step; the worker runs the one whose commits suit its own model's pace
         * ({@link DocumentSteps}): each worker has its own GPU.
         */
        @Bean
        PartitionRequests partitionRequestHandler(JobRepository jobRepository, DocumentSteps documentSteps,
                IngestionProperties properties, ExtractionQueue extractionQueue) {
            StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
            handler.setJobRepository(jobRepository);
            handler.setStepLocator(stepName -> {
                // PartitionRequests turns down requests for any other step before they get here.
                if (!DocumentPartition.WORKER_STEP.equals(stepName)) {
                    throw new IllegalArgumentException("a worker runs " + DocumentPartition.WORKER_STEP + " only, not "
                            + stepName);
                }
                return documentSteps.forNextDocument();
            });
            return new PartitionRequests(jobRepository, handler, PartitionRequests.workerName(properties.remote()),
                    extractionQueue, properties.remote().lease(), properties.remote().pollInterval());
        }

        /**
         * One consumer per document the worker runs at once, each with at most one unacknowledged request; a request
         * is acknowledged when the handler returns, after its step has finished (the handler runs on the consumer's
         * thread). A message that is not a partition request fails conversion and is rejected without requeueing.
         */
        @Bean
        IntegrationFlow partitionRequestsFromBroker(ConnectionFactory connectionFactory, Queue partitionRequestQueue,
                IngestionProperties properties, PartitionRequests partitionRequestHandler) {
            SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
            container.setQueues(partitionRequestQueue);
            container.setPrefetchCount(1);
            container.setConcurrentConsumers(properties.concurrentDocuments());
            container.setAcknowledgeMode(AcknowledgeMode.AUTO);
            container.setDefaultRequeueRejected(true);
            container.setMissingQueuesFatal(false);
            return IntegrationFlow.from(Amqp.inboundAdapter(container).messageConverter(requestConverter()))
                    .handle((org.springframework.messaging.MessageHandler) partitionRequestHandler::handle)
                    .get();
        }
    }
}
