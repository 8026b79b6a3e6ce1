package io.diveteacher.document;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A document's chunks, made once on a thread of their own (PDFBox reads the pages, the chunker cuts them) and kept in
 * a temporary file, so that the first chunks reach the model as soon as the first pages are read while the rest of
 * the document is still being read, and the exact number of chunks is known long before the model is through them.
 * The step's thread, the one that writes the document, only reads finished chunks back. Memory stays flat: the chunks
 * wait on disk, not in the heap.
 * <p>
 * Written by hand: PDFBox reads a document on one thread, and nothing in Spring Batch reads ahead of a step.
 */
public final class SpooledChunks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpooledChunks.class);

    private final Path file;
    private final DataOutputStream out;
    private final Iterator<Chunk> chunker;
    private final Thread reader;
    private final Object lock = new Object();
    private int written;
    private boolean finished;
    private UnreadableDocumentException failure;
    private volatile int chunks = -1;
    private volatile long characters;
    private volatile boolean closed;

    private SpooledChunks(Path file, PdfDocument document, Chunker chunker, String documentId, String checksum,
            String name) throws IOException {
        this.file = file;
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        Iterator<PageText> pdfPages = document.pages();
        this.chunker = chunker.chunks(documentId, checksum, new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !closed && pdfPages.hasNext();
            }

            @Override
            public PageText next() {
                PageText page = pdfPages.next();
                characters += page.text().strip().length();
                return page;
            }
        });
        this.reader = Thread.ofPlatform().daemon().name("pages-" + name).unstarted(this::read);
    }

    /**
     * Starts chunking the document into a temporary file in {@code directory}, with {@code chunker} and the chunk ids
     * of {@code documentId} and {@code checksum}.
     */
    public static SpooledChunks start(PdfDocument document, Chunker chunker, String documentId, String checksum,
            Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        SpooledChunks spool = new SpooledChunks(Files.createTempFile(directory, "chunks-", ".spool"), document,
                chunker, documentId, checksum, name);
        spool.reader.start();
        return spool;
    }

    private void read() {
        int count = 0;
        try {
            while (chunker.hasNext()) {
                append(chunker.next());
                count++;
            }
            if (!closed) {
                chunks = count;
            }
        } catch (PdfDocument.UncheckedDocumentException e) {
            synchronized (lock) {
                failure = e.getCause();
            }
        } catch (RuntimeException e) {
            log.warn("Reading the pages failed: {}", e.toString());
            synchronized (lock) {
                failure = new UnreadableDocumentException("cannot read the pages: " + e.getMessage(), e);
            }
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                log.debug("closing the chunk spool: {}", e.getMessage());
            }
            synchronized (lock) {
                finished = true;
                lock.notifyAll();
            }
        }
    }

    private void append(Chunk chunk) {
        try {
            writeString(chunk.id());
            writeString(chunk.text());
            writeString(chunk.language());
            out.writeInt(chunk.page());
            out.writeInt(chunk.pageEnd());
            out.writeInt(chunk.position());
            out.writeInt(chunk.tokens());
            out.writeInt(chunk.pageStarts().size());
            for (Chunk.PageStart start : chunk.pageStarts()) {
                out.writeInt(start.offset());
                out.writeInt(start.page());
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chunk spool " + file, e);
        }
        synchronized (lock) {
            written++;
            lock.notifyAll();
        }
    }

    private void writeString(String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** The number of chunks the document makes, once all are made; empty before that (or when reading failed). */
    public OptionalInt chunkCount() {
        int count = chunks;
        return count < 0 ? OptionalInt.empty() : OptionalInt.of(count);
    }

    /** Characters of text on the pages read so far, blanks at the ends of pages left out: 0 for a scan. */
    public long characters() {
        return characters;
    }

    /**
     * The chunks in order, each as soon as it is made; a page that cannot be read ends them with an
     * {@link PdfDocument.UncheckedDocumentException}, as {@link PdfDocument#pages()} does.
     */
    public Iterator<Chunk> chunks() {
        DataInputStream in;
        try {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Iterator<>() {
            private int taken;
            private Chunk next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                synchronized (lock) {
                    while (taken >= written && !finished) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted while waiting for the next page", e);
                        }
                    }
                    if (taken >= written) {
                        close(in);
                        if (failure != null) {
                            throw new PdfDocument.UncheckedDocumentException(failure);
                        }
                        return false;
                    }
                }
                next = readChunk(in);
                taken++;
                return true;
            }

            @Override
            public Chunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Chunk chunk = next;
                next = null;
                return chunk;
            }
        };
    }

    private Chunk readChunk(DataInputStream in) {
        try {
            String id = readString(in);
            String text = readString(in);
            String language = readString(in);
            int page = in.readInt();
            int pageEnd = in.readInt();
            int position = in.readInt();
            int tokens = in.readInt();
            int starts = in.readInt();
            List<Chunk.PageStart> pageStarts = new ArrayList<>(starts);
            for (int i = 0; i < starts; i++) {
                pageStarts.add(new Chunk.PageStart(in.readInt(), in.readInt()));
            }
            return new Chunk(id, text, page, pageEnd, position, tokens, List.copyOf(pageStarts), language);
        } catch (EOFException e) {
            throw new IllegalStateException("the chunk spool " + file + " ended early", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing the chunk spool: {}", e.getMessage());
        }
    }

    /** Stops reading (if still under way) and deletes the spool. */
    @Override
    public void close() {
        closed = true;
        try {
            reader.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("deleting the chunk spool {}: {}", file, e.getMessage());
        }
    }
}
