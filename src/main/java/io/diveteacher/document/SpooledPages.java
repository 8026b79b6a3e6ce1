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
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A document's page texts, extracted once by PDFBox on a thread of their own and kept in a temporary file, so that
 * the first chunks reach the model as soon as the first pages are read while the rest of the document is still being
 * read, and the exact number of chunks is known long before the model is through them: the same thread chunks the
 * pages as it goes, only to count them. Memory stays flat: the pages wait on disk, not in the heap.
 * <p>
 * Written by hand: PDFBox reads a document on one thread, and nothing in Spring Batch reads ahead of a step.
 */
public final class SpooledPages implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpooledPages.class);

    private final Path file;
    private final DataOutputStream out;
    private final Iterator<Chunk> counting;
    private final Thread reader;
    private final Object lock = new Object();
    private int written;
    private boolean finished;
    private UnreadableDocumentException failure;
    private volatile int chunks = -1;
    private volatile boolean closed;

    private SpooledPages(Path file, PdfDocument document, Chunker chunker, String documentId, String checksum,
            String name) throws IOException {
        this.file = file;
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        Iterator<PageText> pdfPages = document.pages();
        // The counting chunker pulls the pages from PDFBox; each one is written to the spool on its way.
        this.counting = chunker.chunks(documentId, checksum, new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !closed && pdfPages.hasNext();
            }

            @Override
            public PageText next() {
                PageText page = pdfPages.next();
                append(page);
                return page;
            }
        });
        this.reader = Thread.ofPlatform().daemon().name("pages-" + name).unstarted(this::read);
    }

    /**
     * Starts reading the document's pages into a temporary file in {@code directory}; {@code chunker} counts the
     * chunks they make with {@code documentId} and {@code checksum} (the same recipe as the chunks of the pages).
     */
    public static SpooledPages start(PdfDocument document, Chunker chunker, String documentId, String checksum,
            Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        SpooledPages pages = new SpooledPages(Files.createTempFile(directory, "pages-", ".spool"), document, chunker,
                documentId, checksum, name);
        pages.reader.start();
        return pages;
    }

    private void read() {
        int count = 0;
        try {
            while (counting.hasNext()) {
                counting.next();
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
                log.debug("closing the page spool: {}", e.getMessage());
            }
            synchronized (lock) {
                finished = true;
                lock.notifyAll();
            }
        }
    }

    private void append(PageText page) {
        try {
            out.writeInt(page.number());
            byte[] text = page.text().getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the page spool " + file, e);
        }
        synchronized (lock) {
            written++;
            lock.notifyAll();
        }
    }

    /** The number of chunks the pages make, once all are read; empty before that (or when reading failed). */
    public OptionalInt chunkCount() {
        int count = chunks;
        return count < 0 ? OptionalInt.empty() : OptionalInt.of(count);
    }

    /**
     * The pages in order, each as soon as it is read; a page that cannot be read ends them with an
     * {@link PdfDocument.UncheckedDocumentException}, as {@link PdfDocument#pages()} does.
     */
    public Iterator<PageText> pages() {
        DataInputStream in;
        try {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Iterator<>() {
            private int taken;
            private PageText next;

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
                next = readPage(in);
                taken++;
                return true;
            }

            @Override
            public PageText next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                PageText page = next;
                next = null;
                return page;
            }
        };
    }

    private PageText readPage(DataInputStream in) {
        try {
            int number = in.readInt();
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            return new PageText(number, new String(text, StandardCharsets.UTF_8));
        } catch (EOFException e) {
            throw new IllegalStateException("the page spool " + file + " ended early", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing the page spool: {}", e.getMessage());
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
            log.debug("deleting the page spool {}: {}", file, e.getMessage());
        }
    }
}
