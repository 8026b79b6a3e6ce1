package io.diveteacher.ingestion;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.Step;

/**
 * The step that ingests one document, with commits as large as the model's pace allows. Each commit costs the same
 * fixed work whatever its size (a Neo4j transaction, its vector index refresh, the step's checkpoint in the job
 * repository): with a model that answers in milliseconds, commits of 16 chunks spent a sixth of the pipeline's CPU on
 * it. With a model that takes seconds, that cost is nothing, and a large commit only makes progress move in larger
 * steps (and a crash redo more writes). So a document's commits hold {@code smallest} chunks, doubled while a commit
 * holds at most {@link #MODEL_SECONDS_PER_COMMIT} of extraction time on the model's slots and up to {@code largest},
 * judged from how long this process's extractions have taken lately ({@link ExtractionQueue#secondsPerExtraction()}):
 * before its first extraction, and when its last one ended minutes ago, the smallest.
 * <p>
 * Spring Batch fixes a chunk-oriented step's commit interval when the step is built, so there is a step per size, all
 * with the same name: the partition handler (locally) and the step locator (on a worker) take the one for the current
 * pace when a document starts. A document keeps its size to the end; a restart may take another, since the reader's
 * saved position counts chunks, not commits.
 */
class DocumentSteps {

    /** At most this much extraction time (on all slots) between two commits of a document, when it can be. */
    static final double MODEL_SECONDS_PER_COMMIT = 5.0;

    private static final Logger log = LoggerFactory.getLogger(DocumentSteps.class);

    private final IntFunction<Step> build;
    private final ExtractionQueue extractions;
    private final int smallest;
    private final int largest;
    private final Map<Integer, Step> steps = new ConcurrentHashMap<>();
    private volatile int lastSize;

    /**
     * @param build the document step with this commit interval
     * @param smallest the commit interval with a slow model (and before any extraction)
     * @param largest the most chunks a commit may hold
     */
    DocumentSteps(IntFunction<Step> build, ExtractionQueue extractions, int smallest, int largest) {
        this.build = build;
        this.extractions = extractions;
        this.smallest = smallest;
        this.largest = Math.max(smallest, largest);
        this.lastSize = smallest;
    }

    /** The document step for a document that starts now. */
    Step forNextDocument() {
        OptionalDouble seconds = extractions.secondsPerExtraction();
        int size = commitSize(smallest, largest, extractions.slots(), seconds);
        if (size != lastSize) {
            lastSize = size;
            log.info("Documents now commit every {} chunks ({})", size, seconds.isEmpty() ? "no extraction timed yet"
                    : String.format(Locale.ROOT, "extractions take %.0f ms on %d slots",
                            seconds.getAsDouble() * 1000, extractions.slots()));
        }
        return steps.computeIfAbsent(size, build::apply);
    }

    /**
     * {@code smallest}, doubled while a commit of twice as many chunks would hold at most
     * {@link #MODEL_SECONDS_PER_COMMIT} of extraction time on the {@code slots}, never beyond {@code largest}.
     */
    static int commitSize(int smallest, int largest, int slots, OptionalDouble secondsPerExtraction) {
        int size = smallest;
        if (secondsPerExtraction.isEmpty()) {
            return size;
        }
        double seconds = secondsPerExtraction.getAsDouble();
        while (size * 2 <= largest && size * 2 * seconds / Math.max(1, slots) <= MODEL_SECONDS_PER_COMMIT) {
            size *= 2;
        }
        return size;
    }
}
