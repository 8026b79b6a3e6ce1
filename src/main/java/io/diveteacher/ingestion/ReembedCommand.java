package io.diveteacher.ingestion;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

import io.diveteacher.command.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code reembed [--json] [--all]}: gives every chunk a vector from the embedding model in use and rebuilds the
 * vector index for it (see {@link ReembedJobConfiguration}); run it again to resume one that stopped. Exit code 0
 * when it completed, 1 when it failed, 2 for a usage error.
 */
@Component
public class ReembedCommand {

    public static final String USAGE = "usage: reembed [--json] [--all]";

    /** The Spring property the command runs with: start-up leaves a vector index of another size to the job. */
    public static final String PROPERTY = "--diveteacher.reembedding=true";

    private final ReembedLauncher launcher;
    private final JsonMapper json;

    ReembedCommand(ReembedLauncher launcher, JsonMapper json) {
        this.launcher = launcher;
        this.json = json;
    }

    /** Command-line arguments after {@code reembed}. */
    public record Arguments(boolean json, boolean all) {

        public static Arguments parse(List<String> args) {
            CommandLine line = CommandLine.parse(args, Set.of("--json", "--all"), Set.of(), USAGE);
            if (!line.operands().isEmpty()) {
                throw new IllegalArgumentException("reembed takes no folder or file: it re-embeds the whole graph\n"
                        + USAGE);
            }
            return new Arguments(line.has("--json"), line.has("--all"));
        }
    }

    public CommandLine.Outcome run(Arguments arguments) throws Exception {
        Instant started = Instant.now();
        JobExecution execution = launcher.start(arguments.all(), false);
        ReembedLauncher.ReembedView view = ReembedLauncher.view(execution);
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "reembed %s: %d of %d chunks embedded with %s (%d dimensions; the vector "
                + "index had %s) in %.1f s%s%n", view.status(), view.chunksDone(), view.chunksTotal(), view.model(),
                view.dimensions(), view.previousDimensions() == null || view.previousDimensions() == 0 ? "none"
                        : view.previousDimensions() + "", seconds,
                view.documentsMarked() == null ? "" : "; " + view.documentsMarked() + " documents now embedded with it"));
        view.errors().forEach(error -> out.append("  error: ").append(error).append('\n'));
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            out.append("Run reembed again to resume where it stopped.\n");
        }
        if (arguments.json()) {
            out.append(json.writeValueAsString(view)).append('\n');
        }
        return new CommandLine.Outcome(execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1, out.toString());
    }
}
