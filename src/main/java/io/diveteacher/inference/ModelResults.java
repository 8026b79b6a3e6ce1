package io.diveteacher.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The content-addressed cache of model results: what a model answered for exactly this input, under a key that
 * hashes everything that determines the answer (the caller's fingerprint: model name and digest, prompt, options;
 * and the input text). It lives in the job repository's database (H2 locally, PostgreSQL in production), so it
 * survives restarts and every process that writes the same graph shares it. Entries beyond {@code maxEntries} are
 * removed least recently used first ({@link #trim()}, after each ingestion).
 * <p>
 * Written by hand on plain JDBC: Spring AI has no result cache for chat or embeddings, and Spring's cache abstraction
 * offers neither a durable shared store without another server nor the batch lookups the writer needs.
 */
@Component
public class ModelResults implements InitializingBean, DisposableBean {

    public static final String EXTRACTION = "extraction";
    public static final String EMBEDDING = "embedding";

    private static final Logger log = LoggerFactory.getLogger(ModelResults.class);
    private static final String TABLE = "DIVETEACHER_MODEL_RESULTS";
    /** IN lists of at most this many keys, well below every database's limit. */
    private static final int BATCH = 500;
    /** How long the writer waits for more results to store them in one transaction (see {@link #gather}). */
    private static final Duration LINGER = Duration.ofMillis(50);

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final long maxEntries;
    private final MeterRegistry meters;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    /** Results handed over to be stored by the one writer thread, in order. */
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final TransactionTemplate transactions;
    private long queued;
    private long stored;
    private Thread writer;

    ModelResults(DataSource dataSource, InferenceProperties properties, MeterRegistry meters) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.transactions = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        this.maxEntries = properties.cacheMaxEntries();
        this.meters = meters;
    }

    @Override
    public void afterPropertiesSet() {
        // Both H2 and PostgreSQL know this DDL; the table is made where the job repository's tables are.
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (RESULT_KEY VARCHAR(64) PRIMARY KEY, "
                + "KIND VARCHAR(16) NOT NULL, RESULT_VALUE VARCHAR NOT NULL, CREATED BIGINT NOT NULL, USED BIGINT NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_USED ON " + TABLE + " (USED)");
        Gauge.builder("diveteacher.cache.hit.ratio", this, ModelResults::hitRatio)
                .description("share of model results found in the cache since start-up").register(meters);
    }

    /** The key of an input under a fingerprint (everything but the input that determines the model's answer). */
    public static String key(String fingerprint, String input) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(fingerprint.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The result stored under a key, if any (and marks it as used). */
    public Optional<String> find(String kind, String key) {
        Map<String, String> found = findAll(kind, List.of(key));
        return Optional.ofNullable(found.get(key));
    }

    /** The results stored under these keys: those found, by key. */
    public Map<String, String> findAll(String kind, Collection<String> keys) {
        Map<String, String> found = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            MapSqlParameterSource parameters = new MapSqlParameterSource("keys", batch).addValue("kind", kind);
            named.query("SELECT RESULT_KEY, RESULT_VALUE FROM " + TABLE + " WHERE KIND = :kind AND RESULT_KEY IN (:keys)",
                    parameters, row -> {
                        found.put(row.getString(1), row.getString(2));
                    });
        }
        // Marked as used on the writer thread: a lookup on the reading path waits for no commit.
        found.keySet().forEach(key -> enqueue(new Pending(kind, key, null)));
        count(kind, found.size(), keys.size() - found.size());
        return found;
    }

    private void count(String kind, int found, int missing) {
        hits.addAndGet(found);
        misses.addAndGet(missing);
        Counter.builder("diveteacher.cache.lookups").tag("kind", kind).tag("result", "hit")
                .description("model results looked up in the cache").register(meters).increment(found);
        Counter.builder("diveteacher.cache.lookups").tag("kind", kind).tag("result", "miss")
                .description("model results looked up in the cache").register(meters).increment(missing);
    }

    /**
     * Stores a result on the cache's own thread, so that the caller (a model slot's thread, a writer of the graph)
     * goes on at once instead of waiting for the database's commit; {@code value} is made there too. What is handed
     * over while the thread writes goes in the next batch, one transaction for many results.
     */
    public void putLater(String kind, String key, Supplier<String> value) {
        enqueue(new Pending(kind, key, value));
    }

    private void enqueue(Pending pending) {
        synchronized (queue) {
            queued++;
        }
        queue.add(pending);
        startWriter();
    }

    /** A result to store, or (no value) one found again, whose use time moves to now. */
    private record Pending(String kind, String key, Supplier<String> value) {
    }

    private synchronized void startWriter() {
        if (writer == null) {
            writer = Thread.ofPlatform().daemon().name("model-results").start(this::writeQueued);
        }
    }

    private void writeQueued() {
        List<Pending> batch = new ArrayList<>();
        boolean interrupted = false;
        while (!interrupted) {
            try {
                batch.add(queue.take());
                gather(batch);
            } catch (InterruptedException e) {
                // Stopping (destroy() flushed first): what was gathered is still stored, with the flag clear, as
                // an interrupt closes H2's file channel under a write.
                interrupted = true;
                if (batch.isEmpty()) {
                    return;
                }
            }
            try {
                putAll(batch);
            } catch (RuntimeException e) {
                log.warn("Could not store {} model result(s) in the cache: {}", batch.size(), e.getMessage());
            }
            synchronized (queue) {
                stored += batch.size();
                queue.notifyAll();
            }
            batch.clear();
        }
    }

    /**
     * Adds what else comes within {@link #LINGER} of the first result, up to {@link #BATCH}: with a fast model the
     * results come a few milliseconds apart, and a transaction each cost more than the rest of storing them. A crash
     * loses at most that much more of what was paid for; a slow model's results, seconds apart, are stored as they
     * come.
     */
    private void gather(List<Pending> batch) throws InterruptedException {
        long until = System.nanoTime() + LINGER.toNanos();
        queue.drainTo(batch, BATCH - batch.size());
        while (batch.size() < BATCH) {
            long left = until - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, BATCH - batch.size());
        }
    }

    /**
     * Upserts and marks as used in one transaction; should another process insert one of the same results first,
     * one by one.
     */
    private void putAll(List<Pending> batch) {
        long now = System.currentTimeMillis();
        List<Object[]> rows = new ArrayList<>(batch.size());
        Set<String> touched = new LinkedHashSet<>();
        for (Pending pending : batch) {
            if (pending.value() == null) {
                touched.add(pending.key());
            } else {
                rows.add(new Object[] {pending.kind(), pending.key(), pending.value().get()});
            }
        }
        if (!touched.isEmpty()) {
            jdbc.batchUpdate("UPDATE " + TABLE + " SET USED = ? WHERE RESULT_KEY = ?",
                    touched.stream().map(key -> new Object[] {now, key}).toList());
        }
        if (rows.isEmpty()) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> {
                int[] updated = jdbc.batchUpdate("UPDATE " + TABLE + " SET RESULT_VALUE = ?, USED = ? WHERE RESULT_KEY = ?",
                        rows.stream().map(r -> new Object[] {r[2], now, r[1]}).toList());
                List<Object[]> inserts = new ArrayList<>();
                Set<Object> inserted = new HashSet<>();
                for (int i = 0; i < rows.size(); i++) {
                    if (updated[i] == 0 && inserted.add(rows.get(i)[1])) {
                        inserts.add(new Object[] {rows.get(i)[1], rows.get(i)[0], rows.get(i)[2], now, now});
                    }
                }
                if (!inserts.isEmpty()) {
                    jdbc.batchUpdate("INSERT INTO " + TABLE + " (RESULT_KEY, KIND, RESULT_VALUE, CREATED, USED) "
                            + "VALUES (?, ?, ?, ?, ?)", inserts);
                }
            });
        } catch (DataIntegrityViolationException e) {
            rows.forEach(r -> put((String) r[0], (String) r[1], (String) r[2]));
        }
    }

    /** Waits until the results handed to {@link #putLater} are stored (at most {@code limit}). */
    public void flush(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (queue) {
            while (stored < queued && System.nanoTime() < deadline) {
                try {
                    queue.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (stored < queued) {
                log.warn("The cache writer did not catch up within {}", limit);
            }
        }
    }

    @Override
    public void destroy() {
        flush(Duration.ofSeconds(10));
        Thread running = writer;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Stores a result; another process storing the same key first is fine (the answers are the same). */
    public void put(String kind, String key, String value) {
        long now = System.currentTimeMillis();
        try {
            int updated = jdbc.update("UPDATE " + TABLE + " SET RESULT_VALUE = ?, USED = ? WHERE RESULT_KEY = ?", value,
                    now, key);
            if (updated == 0) {
                jdbc.update("INSERT INTO " + TABLE + " (RESULT_KEY, KIND, RESULT_VALUE, CREATED, USED) VALUES (?, ?, ?, ?, ?)",
                        key, kind, value, now, now);
            }
        } catch (DataIntegrityViolationException e) {
            log.debug("cache entry {} stored by another writer first", key);
        }
    }

    /** Entries in the cache. */
    public long size() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Long.class);
        return count == null ? 0 : count;
    }

    /** Removes the least recently used entries beyond the bound; returns how many. */
    public long trim() {
        flush(Duration.ofMinutes(1)); // the uses still queued decide what is least recently used
        long excess = size() - maxEntries;
        if (excess <= 0) {
            return 0;
        }
        Long threshold = jdbc.query("SELECT USED FROM " + TABLE + " ORDER BY USED OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
                rs -> rs.next() ? rs.getLong(1) : null, excess - 1);
        if (threshold == null) {
            return 0;
        }
        int removed = jdbc.update("DELETE FROM " + TABLE + " WHERE USED <= ?", threshold);
        log.info("Model result cache: removed {} least recently used entries (bound {})", removed, maxEntries);
        return removed;
    }

    double hitRatio() {
        long total = hits.get() + misses.get();
        return total == 0 ? 0 : (double) hits.get() / total;
    }

    /** A vector as text for the cache: its float32 values, little-endian, in Base64. */
    public static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    public static float[] decode(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(vector);
        return vector;
    }
}
