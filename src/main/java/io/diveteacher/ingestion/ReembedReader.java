package io.diveteacher.ingestion;

import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import io.diveteacher.graph.ChunkVectors;

/**
 * The chunks the {@code reembed} job still has to embed, a page at a time in id order. Its position (the last id
 * handed out, and how many) is saved at every commit, so a restart goes on after the last chunk written; how many
 * there were to do is counted once, when the job first opens it, for the progress.
 */
class ReembedReader implements ItemStreamReader<ChunkVectors.ChunkText> {

    static final int PAGE = 64;
    static final String AFTER = "reembed.after";
    static final String READ = "reembed.read";
    static final String TOTAL = "reembed.total";

    private static final Logger log = LoggerFactory.getLogger(ReembedReader.class);

    private final ChunkVectors chunks;
    private final String model;
    private final int dimensions;
    private final boolean all;
    private final Deque<ChunkVectors.ChunkText> page = new ArrayDeque<>();
    private String after = "";
    private long read;
    private boolean exhausted;

    ReembedReader(ChunkVectors chunks, String model, int dimensions, boolean all) {
        this.chunks = chunks;
        this.model = model;
        this.dimensions = dimensions;
        this.all = all;
    }

    @Override
    public void open(ExecutionContext context) {
        after = context.getString(AFTER, "");
        read = context.getLong(READ, 0);
        if (!context.containsKey(TOTAL)) {
            long total = chunks.remaining(model, dimensions, all);
            context.putLong(TOTAL, total);
            log.info("Re-embedding {} chunks with {} ({} dimensions)", total, model, dimensions);
        } else {
            log.info("Resuming the re-embedding with {} after {} chunks", model, read);
        }
    }

    @Override
    public ChunkVectors.ChunkText read() {
        if (page.isEmpty() && !exhausted) {
            page.addAll(chunks.after(after, PAGE, model, dimensions, all));
            exhausted = page.size() < PAGE;
        }
        ChunkVectors.ChunkText next = page.poll();
        if (next != null) {
            after = next.id();
            read++;
        }
        return next;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(AFTER, after);
        context.putLong(READ, read);
    }
}
