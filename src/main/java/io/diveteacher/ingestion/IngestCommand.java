package io.diveteacher.ingestion;

import io.diveteacher.graph.DocumentStatus;

import java.util.Set;
import java.util.List;
import java.util.Locale;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

import io.diveteacher.command.CommandLine;
import io.diveteacher.inference.ModelRuntime;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ingest [--json] [--recover] [--no-cache] <folder or file>...}: runs the ingestion job to its end and renders the
 * summary.
 * Exit code 0 when the job completed (documents that failed are listed), 1 when the job itself failed, 2
 * for a usage error.
 */
@Component
public class IngestCommand {

    public static final String USAGE = "usage: ingest [--json] [--recover] [--no-cache] <folder or PDF file>...";

    private static final java.time.Duration PULL_WAIT = java.time.Duration.ofHours(2);

    private final IngestionLauncher launcher;
    private final IngestionReport report;
    private final ModelRuntime models;
    private final JsonMapper json;

    IngestCommand(IngestionLauncher launcher, IngestionReport report, ModelRuntime models, JsonMapper json) {
        this.launcher = launcher;
        this.report = report;
        this.models = models;
        this.json = json;
    }

    /** Command-line arguments after {@code ingest}. */
    public record Arguments(boolean json, boolean recover, boolean noCache, List<String> paths) {

        /** Parses arguments; options of the form --name=value are Spring properties and are ignored here. */
        public static Arguments parse(List<String> args) {
            CommandLine line = CommandLine.parse(args, Set.of("--json", "--recover", "--no-cache"), Set.of(), USAGE);
            List<String> paths = line.operands();
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("name at least one folder or PDF file\n" + USAGE);
            }
            IngestionSources.parameter(paths);
            return new Arguments(line.has("--json"), line.has("--recover"), line.has("--no-cache"), paths);
        }
    }

    public CommandLine.Outcome run(Arguments arguments) throws Exception {
        // Waits while missing models are pulled; fails at once, with the reason, while Ollama is not usable (prod).
        models.awaitSelection(PULL_WAIT);
        long callsBefore = models.modelCalls();
        long started = System.nanoTime();
        JobExecution execution = launcher.reread(launcher.ingest(arguments.paths(), arguments.recover(), arguments.noCache()));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        IngestionSummary summary = report.summarize(execution, models.selection(), models.modelCalls() - callsBefore,
                elapsedMs);
        String text = arguments.json() ? json.writeValueAsString(summary) + "\n" : render(summary);
        return new CommandLine.Outcome(summary.completed() ? 0 : 1, text);
    }

    static String render(IngestionSummary s) {
        StringBuilder out = new StringBuilder();
        var m = s.models();
        if (m.fallback()) {
            out.append("WARNING: in-process fallback models were used (").append(m.fallbackReason()).append(")\n");
        }
        out.append(String.format(Locale.ROOT, "Ingestion %s (execution %d) in %.1f s%n", s.status(), s.executionId(),
                s.elapsedMs() / 1000.0));
        out.append("Models: embeddings ").append(m.embedding()).append("; extraction ").append(m.extraction())
                .append(m.fallback() ? " [FALLBACK]" : "").append('\n');
        if (!s.documents().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n  %-9s %6s %7s %9s  %s%n", "STATUS", "PAGES", "CHUNKS", "ENTITIES", "FILE"));
            for (var d : s.documents()) {
                out.append(String.format(Locale.ROOT, "  %-9s %6s %7d %9d  %s%s%n", d.status(),
                        d.pages() == null ? "-" : d.pages().toString(), d.chunks(), d.entities(), d.file(),
                        d.reason() == null || d.status() == DocumentStatus.SKIPPED ? "" : "  (" + d.reason() + ")"));
            }
        }
        var t = s.totals();
        out.append(String.format(Locale.ROOT,
                "%nTotals: %d document(s): %d ingested, %d partial, %d skipped (unchanged), %d failed, %d without text; "
                        + "%d chunks, %d entities, %d relationships%n"
                        + "Model: %d chunk(s) extracted, %d from the cache; %d model calls%s%n",
                t.documents(), t.ingested(), t.partial(), t.skipped(), t.failed(), t.noText(), t.chunks(), t.entities(),
                t.relationships(), t.modelChunks(), t.cachedChunks(), t.modelCalls(),
                t.slotEfficiency() == null ? "" : "; slots busy " + SlotUsageListener.percent(t.slotEfficiency())));
        if (t.skippedChunks() + t.partialChunks() > 0) {
            out.append(String.format(Locale.ROOT, "WARNING: %d chunk(s) skipped and %d only partly extracted (see the "
                    + "PARTIAL documents above); the next ingestion of the same files extracts just those again%n",
                    t.skippedChunks(), t.partialChunks()));
        }
        for (String error : s.errors()) {
            out.append("ERROR: ").append(error).append('\n');
        }
        if (!s.completed()) {
            out.append("The job did not complete: run the same command again to resume it where it stopped.\n");
        }
        return out.toString();
    }
}
