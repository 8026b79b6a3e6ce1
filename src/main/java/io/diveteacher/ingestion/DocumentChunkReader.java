package io.diveteacher.ingestion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import io.diveteacher.document.Chunk;
import io.diveteacher.document.Chunker;
import io.diveteacher.document.PdfDocument;
import io.diveteacher.document.SourceFile;
import io.diveteacher.document.SpooledChunks;
import io.diveteacher.document.UnreadableDocumentException;

/**
 * Streams the chunks of one PDF, page by page. Its position (chunks passed and handed out as of the last commit)
 * is saved in the step context, so a restarted step continues after the last committed chunk; chunking is
 * deterministic, so skipping that many chunks lands on the same place without any model call. Given the positions
 * of a repair (the incomplete chunks of a PARTIAL document), it hands out only those. A document that cannot be read
 * yields no chunks and leaves its reason in the step context.
 * <p>
 * It reads {@code readAhead} chunks beyond the one it hands out and tells {@code ahead} of each as it is read, so that
 * their extraction starts before the step asks for them; its saved position counts only the chunks handed out, so a
 * restart still resumes after the last committed one. Memory stays bounded by the read-ahead whatever the size of
 * the document. PDFBox reads the document once and the chunker cuts it, on a thread of their own
 * ({@link SpooledChunks}), which also counts its chunks: the count goes to the step context ({@link #CHUNKS_TOTAL})
 * for the progress figures.
 */
class DocumentChunkReader implements ItemStreamReader<Chunk> {

    /** Chunks handed out (what progress counts). */
    static final String READ = "reader.chunks";
    /** Chunks passed, handed out or not (where a restart resumes); absent before repairs existed: then {@link #READ}. */
    static final String PASSED = "reader.passed";
    static final String TITLE = "document.title";
    static final String AUTHOR = "document.author";
    static final String PAGES = "document.pages";
    static final String FAILURE = "document.failure";
    static final String NO_TEXT = "document.noText";
    /** The chunks the document makes, once its pages are all read (before that, absent). */
    static final String CHUNKS_TOTAL = "document.chunksTotal";

    private static final Logger log = LoggerFactory.getLogger(DocumentChunkReader.class);

    private final Path path;
    private final String documentId;
    private final String checksum;
    private final Chunker chunker;
    private final Set<Integer> only;
    private final int readAhead;
    private final Consumer<Chunk> ahead;
    /** Chunks read ahead, each with the chunks passed over (not to be handed out) just before it. */
    private final Deque<Buffered> buffer = new ArrayDeque<>();
    private boolean exhausted;
    /** Chunks passed over after the last one to hand out: they count once everything before them is handed out. */
    private int passedAtEnd;
    private final Path spoolDirectory;
    private PdfDocument document;
    private SpooledChunks spool;
    private Iterator<Chunk> chunks;
    private ExecutionContext context;
    private int read;
    private int passed;

    private record Buffered(Chunk chunk, int passedBefore) {
    }

    /**
     * @param only the positions to hand out (a repair), or null for every chunk
     * @param readAhead chunks read beyond the one handed out
     * @param ahead told of each chunk when it is read, before it is handed out
     * @param spoolDirectory where the document's chunks wait between the chunker and the step
     */
    DocumentChunkReader(Path path, String documentId, String checksum, Chunker chunker, Collection<Integer> only,
            int readAhead, Consumer<Chunk> ahead, Path spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
        this.path = path;
        this.documentId = documentId;
        this.checksum = checksum;
        this.chunker = chunker;
        this.only = only == null ? null : Set.copyOf(only);
        this.readAhead = readAhead;
        this.ahead = ahead;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        this.context = executionContext;
        this.read = executionContext.getInt(READ, 0);
        this.passed = executionContext.getInt(PASSED, read);
        if (executionContext.containsKey(FAILURE)) {
            return;
        }
        try {
            // The chunk ids and the restart position hold only for the content discovered at the start.
            if (!SourceFile.read(path).checksum().equals(checksum)) {
                throw new UnreadableDocumentException("changed during ingestion: the file differs from the version "
                        + "discovered when the job started; ingest it again to pick up the new version");
            }
            document = PdfDocument.open(path);
            spool = SpooledChunks.start(document, chunker, documentId, checksum, spoolDirectory,
                    path.getFileName().toString());
        } catch (UnreadableDocumentException e) {
            fail(e);
            return;
        } catch (IOException e) {
            fail(new UnreadableDocumentException("cannot read the file: " + e.getMessage(), e));
            return;
        }
        var info = document.info();
        executionContext.putString(TITLE, info.title());
        if (info.author() != null) {
            executionContext.putString(AUTHOR, info.author());
        }
        executionContext.putInt(PAGES, info.pages());
        chunks = spool.chunks();
        if (passed > 0) {
            log.info("Resuming {} after chunk {}", path.getFileName(), passed);
            for (int i = 0; i < passed && nextChunk() != null; i++) {
                // skip what the previous run committed
            }
        }
        if (only != null) {
            log.info("Extracting {} incomplete chunk(s) of {} again: {}", only.size(), path.getFileName(),
                    only.stream().sorted().toList());
        }
    }

    @Override
    public Chunk read() {
        fill();
        Buffered next = buffer.pollFirst();
        if (next != null) {
            read++;
            passed += next.passedBefore() + 1;
            return next.chunk();
        }
        passed += passedAtEnd;
        passedAtEnd = 0;
        if (document != null && passed == 0 && spool.characters() == 0 && !context.containsKey(FAILURE)) {
            context.putString(FAILURE, "no text layer: the " + document.info().pages()
                    + " page(s) hold only images (a scan?); run OCR on it first");
            context.put(NO_TEXT, Boolean.TRUE);
        }
        return null;
    }

    /** Reads chunks until {@code readAhead} are waiting behind the next one (or the document ends). */
    private void fill() {
        while (!exhausted && buffer.size() <= readAhead) {
            int passedOver = 0;
            Chunk chunk = nextChunk();
            while (chunk != null && only != null && !only.contains(chunk.position())) {
                passedOver++;
                chunk = nextChunk();
            }
            if (chunk == null) {
                exhausted = true;
                passedAtEnd = passedOver;
            } else {
                buffer.add(new Buffered(chunk, passedOver));
                ahead.accept(chunk);
            }
        }
    }

    private Chunk nextChunk() {
        if (chunks == null) {
            return null;
        }
        try {
            return chunks.hasNext() ? chunks.next() : null;
        } catch (PdfDocument.UncheckedDocumentException e) {
            fail(e.getCause());
            chunks = null;
            return null;
        }
    }

    private void fail(UnreadableDocumentException e) {
        log.warn("{}: {}", path.getFileName(), e.getMessage());
        context.putString(FAILURE, e.getMessage());
        context.put(NO_TEXT, false);
    }

    @Override
    public void update(ExecutionContext executionContext) {
        executionContext.putInt(READ, read);
        executionContext.putInt(PASSED, passed);
        if (spool != null && only == null) {
            spool.chunkCount().ifPresent(count -> executionContext.putInt(CHUNKS_TOTAL, count));
        }
    }

    @Override
    public void close() {
        if (spool != null) {
            spool.close();
            spool = null;
        }
        if (document != null) {
            document.close();
            document = null;
        }
    }
}
