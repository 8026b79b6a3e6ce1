package io.diveteacher;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.diveteacher.command.CommandLine;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.diveteacher.ingestion.IngestCommand;
import io.diveteacher.ingestion.ReembedCommand;
import io.diveteacher.question.EvaluateCommand;

/**
 * With no command, serves the web application. {@code ingest [--json] <folder or file>...} runs one
 * ingestion, {@code evaluate [--json] <questions.jsonl>} one evaluation and {@code reembed [--json] [--all]}
 * one re-embedding of the graph, without the web server; each prints its summary and exits. {@code worker} runs
 * the document partitions of remote ingestions that it takes from RabbitMQ, serving Actuator alone, until stopped.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class DiveTeacherApplication {

    /**
     * A command of the command line: its arguments parsed before any context starts, then run in one, with the
     * Spring properties it needs besides those given.
     */
    private record Command(String name, Parser parser, List<String> properties) {

        Command(String name, Parser parser) {
            this(name, parser, List.of());
        }
    }

    private interface Parser {
        /** Parses the arguments (IllegalArgumentException for a usage error) into what runs in the context. */
        Run parse(List<String> arguments);
    }

    private interface Run {
        CommandLine.Outcome in(ConfigurableApplicationContext context) throws Exception;
    }

    private static final List<Command> COMMANDS = List.of(
            new Command("ingest", arguments -> {
                var parsed = IngestCommand.Arguments.parse(arguments);
                return context -> context.getBean(IngestCommand.class).run(parsed);
            }),
            new Command("evaluate", arguments -> {
                var parsed = EvaluateCommand.Arguments.parse(arguments);
                return context -> context.getBean(EvaluateCommand.class).run(parsed);
            }),
            new Command("reembed", arguments -> {
                var parsed = ReembedCommand.Arguments.parse(arguments);
                return context -> context.getBean(ReembedCommand.class).run(parsed);
            }, List.of(ReembedCommand.PROPERTY)));

    /**
     * What {@code worker} adds to the given properties: it takes partitions from the broker (remote mode), runs no
     * schedules, serves Actuator alone, and never extracts with the in-process fallback models (a partition whose
     * Ollama is down fails with the reason and is resumed later, rather than written into a shared graph by other
     * models than its neighbours').
     */
    static final List<String> WORKER_PROPERTIES = List.of("--diveteacher.ingestion.worker=true",
            "--diveteacher.ingestion.mode=remote", "--diveteacher.ingestion.scheduling-enabled=false",
            "--diveteacher.inference.allow-fallback=false");

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("worker")) {
            // Runs until stopped: the partitions it takes come from the broker.
            List<String> properties = new java.util.ArrayList<>(WORKER_PROPERTIES);
            properties.addAll(Arrays.asList(args).subList(1, args.length));
            SpringApplication.run(DiveTeacherApplication.class, properties.toArray(String[]::new));
            return;
        }
        for (Command command : COMMANDS) {
            if (args.length > 0 && args[0].equals(command.name())) {
                System.exit(run(command, Arrays.asList(args).subList(1, args.length)));
            }
        }
        SpringApplication.run(DiveTeacherApplication.class, args);
    }

    private static String[] springProperties(Command command, List<String> args) {
        List<String> properties = new java.util.ArrayList<>(command.properties());
        properties.addAll(List.of(CommandLine.springProperties(args)));
        return properties.toArray(String[]::new);
    }

    /** Runs a command in a context without the web server: exit 2 for a usage error, 1 when it cannot run. */
    private static int run(Command command, List<String> args) {
        Run run;
        try {
            run = command.parser().parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(command.name() + ": " + e.getMessage());
            return 2;
        }
        CommandLine.Outcome outcome;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DiveTeacherApplication.class)
                .web(WebApplicationType.NONE).run(springProperties(command, args))) {
            outcome = run.in(context);
        } catch (Exception e) {
            System.err.println(command.name() + ": " + e.getMessage());
            return 1;
        }
        // Printed after the context closed, so no shutdown log line comes after the summary.
        System.out.print(outcome.output());
        System.out.flush();
        return outcome.exitCode();
    }
}
