package io.diveteacher;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.diveteacher.ingestion.IngestCommand;
import io.diveteacher.question.EvaluateCommand;

/**
 * With no command, serves the web application. {@code ingest [--json] <folder or file>...} runs one
 * ingestion and {@code evaluate [--json] <questions.jsonl>} one evaluation, without the web server; each
 * prints its summary and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class DiveTeacherApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("ingest")) {
            System.exit(command("ingest", Arrays.asList(args).subList(1, args.length), arguments -> {
                var parsed = IngestCommand.Arguments.parse(arguments);
                return context -> {
                    var outcome = context.getBean(IngestCommand.class).run(parsed);
                    return new Result(outcome.exitCode(), outcome.output());
                };
            }));
        }
        if (args.length > 0 && args[0].equals("evaluate")) {
            System.exit(command("evaluate", Arrays.asList(args).subList(1, args.length), arguments -> {
                var parsed = EvaluateCommand.Arguments.parse(arguments);
                return context -> {
                    var outcome = context.getBean(EvaluateCommand.class).run(parsed);
                    return new Result(outcome.exitCode(), outcome.output());
                };
            }));
        }
        SpringApplication.run(DiveTeacherApplication.class, args);
    }

    private record Result(int exitCode, String output) {
    }

    private interface Command {
        Result run(ConfigurableApplicationContext context) throws Exception;
    }

    private interface Parser {
        /** Parses the arguments (IllegalArgumentException for a usage error) into a command to run. */
        Command parse(List<String> arguments);
    }

    /** Runs a command in a context without the web server: exit 2 for a usage error, 1 when it cannot run. */
    private static int command(String name, List<String> args, Parser parser) {
        Command command;
        try {
            command = parser.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            return 2;
        }
        String[] springArgs = args.stream().filter(a -> a.startsWith("--") && a.contains("=")).toArray(String[]::new);
        Result result;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DiveTeacherApplication.class)
                .web(WebApplicationType.NONE).run(springArgs)) {
            result = command.run(context);
        } catch (Exception e) {
            System.err.println(name + ": " + e.getMessage());
            return 1;
        }
        // Printed after the context closed, so no shutdown log line comes after the summary.
        System.out.print(result.output());
        System.out.flush();
        return result.exitCode();
    }
}
