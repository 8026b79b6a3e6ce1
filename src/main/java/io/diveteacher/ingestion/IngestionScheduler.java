package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * Launches each job definition that has a cron schedule on that schedule (on the application's task scheduler), in
 * the web application. A tick that
 * finds the definition's previous run still going is skipped (and logged): a definition never runs twice at once.
 */
@Component
@ConditionalOnWebApplication
class IngestionScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestionScheduler.class);

    private final JobDefinitions definitions;
    private final IngestionLauncher launcher;
    private final IngestionProperties properties;
    private final TaskScheduler scheduler;
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private boolean running;

    IngestionScheduler(JobDefinitions definitions, IngestionLauncher launcher, IngestionProperties properties,
            TaskScheduler scheduler) {
        this.scheduler = scheduler;
        this.definitions = definitions;
        this.launcher = launcher;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (!properties.schedulingEnabled()) {
            log.info("Scheduled ingestion is off (diveteacher.ingestion.scheduling-enabled=false)");
            return;
        }
        running = true;
        for (JobDefinitions.JobDefinition definition : definitions.all()) {
            if (definition.schedule() != null) {
                scheduled.add(scheduler.schedule(() -> tick(definition), new CronTrigger(definition.schedule().toString(),
                        properties.scheduleZone())));
                log.info("Job definition {} runs on the schedule \"{}\" ({})", definition.name(), definition.schedule(),
                        properties.scheduleZone());
            }
        }
    }

    void tick(JobDefinitions.JobDefinition definition) {
        try {
            JobExecution execution = launcher.start(definition.request(properties.settle()));
            log.info("Scheduled run of {}: execution {}", definition.name(), execution.getId());
        } catch (IngestionLauncher.AlreadyRunningException e) {
            log.info("Scheduled run of {} skipped: its previous run (execution {}) is still going", definition.name(),
                    e.executionId());
        } catch (Exception e) {
            log.error("Scheduled run of {} could not start: {}", definition.name(), e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        scheduled.forEach(s -> s.cancel(false));
        scheduled.clear();
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }
}
