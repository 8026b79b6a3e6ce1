package io.diveteacher;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.diveteacher.ingestion.IngestCommand;

/**
 * With no command, serves the web application. {@code ingest [--json] <folder or file>...} runs one
 * ingestion without the web server, prints its summary and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DiveTeacherApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("ingest")) {
            System.exit(ingest(Arrays.asList(args).subList(1, args.length)));
        }
        SpringApplication.run(DiveTeacherApplication.class, args);
    }

    private static int ingest(List<String> args) {
        IngestCommand.Arguments arguments;
        try {
            arguments = IngestCommand.Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ingest: " + e.getMessage());
            return 2;
        }
        String[] springArgs = args.stream().filter(a -> a.startsWith("--") && a.contains("=")).toArray(String[]::new);
        IngestCommand.Outcome outcome;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DiveTeacherApplication.class)
                .web(WebApplicationType.NONE).run(springArgs)) {
            outcome = context.getBean(IngestCommand.class).run(arguments);
        } catch (Exception e) {
            System.err.println("ingest: " + e.getMessage());
            return 1;
        }
        // Printed after the context closed, so no shutdown log line comes after the summary.
        System.out.print(outcome.output());
        System.out.flush();
        return outcome.exitCode();
    }
}
