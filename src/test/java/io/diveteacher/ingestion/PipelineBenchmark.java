package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.sun.management.OperatingSystemMXBean;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.reader.pdf.PagePdfDocumentReader;
import org.springframework.ai.transformer.splitter.TokenTextSplitter;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.io.FileSystemResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.document.TestPdfs;

/**
 * The pipeline's figures, printed, never asserted as timings ({@code ./mvnw verify -Pbenchmark}): how busy
 * extraction keeps the model's slots with a slow test Ollama (one document, four of very different sizes); pages and
 * chunks per second with an instant model against the naive vector-only ETL a Spring AI user would write
 * ({@code PagePdfDocumentReader} → {@code TokenTextSplitter} → {@code OllamaEmbeddingModel} → a Neo4j vector index),
 * alternating runs on the same files; the time from launch to the first extraction request and the peak heap on a
 * 2,415-page manual; the model calls after a page of a 60-page manual is deleted. The baseline lives here only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineBenchmark extends IngestionTestSupport {

    private static final int SLOTS = 4;
    private static final long SLOW_CHAT_MILLIS = 400;
    private static final List<String> REPORT = new ArrayList<>();

    @Autowired
    @Qualifier("ollamaEmbeddingModel")
    EmbeddingModel springAiEmbeddings;

    /** The product's commit sizes, not the ingestion tests' fixed 16 chunks: this times the pipeline as it ships. */
    @DynamicPropertySource
    static void productCommits(DynamicPropertyRegistry registry) {
        registry.add("diveteacher.ingestion.max-commit-interval", () -> IngestionProperties.DEFAULT_MAX_COMMIT_INTERVAL);
    }

    @BeforeEach
    void resetOllama() {
        OLLAMA.reset();
    }

    @AfterAll
    static void printReport() {
        System.out.println("\n=== DiveTeacher pipeline benchmark (" + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB) ===");
        REPORT.forEach(line -> System.out.println("  " + line));
        System.out.println("===");
    }

    private static void report(String format, Object... values) {
        String line = String.format(Locale.ROOT, format, values);
        REPORT.add(line);
        System.out.println("BENCHMARK " + line);
    }

    @Test
    @Order(1)
    void slotEfficiency() throws Exception {
        Path warmUp = Files.createTempDirectory(DATA, "warm-up-");
        TestPdfs.variedManual(warmUp.resolve("warm-up.pdf"), 10, 1);
        ingest(warmUp, true);
        OLLAMA.reset();

        Path one = Files.createTempDirectory(DATA, "one-");
        TestPdfs.variedManual(one.resolve("sixty-pages.pdf"), 60, 2);
        OLLAMA.chatDelay(SLOW_CHAT_MILLIS);
        ingest(one, true);
        report("slot efficiency, one 60-page manual (%d ms per extraction, %d slots): %.3f, %d requests, max in flight %d",
                SLOW_CHAT_MILLIS, SLOTS, OLLAMA.slotEfficiency(SLOTS), OLLAMA.chatCalls(), OLLAMA.maxChatInFlight());

        OLLAMA.reset();
        Path four = copyOfSamples("nitrox-basics.pdf");
        TestPdfs.variedManual(four.resolve("a-large.pdf"), 60, 3);
        TestPdfs.variedManual(four.resolve("b-medium.pdf"), 20, 4);
        TestPdfs.variedManual(four.resolve("c-small.pdf"), 3, 5);
        OLLAMA.chatDelay(SLOW_CHAT_MILLIS);
        ingest(four, true);
        report("slot efficiency, four documents (60, 20, 3 pages and a sample): %.3f, %d requests, max in flight %d",
                OLLAMA.slotEfficiency(SLOTS), OLLAMA.chatCalls(), OLLAMA.maxChatInFlight());
    }

    /**
     * Alternating rounds of each on the same files, each side writing into the same growing store. The first
     * {@code benchmark.warmup} rounds (4) are printed but not counted: DiveTeacher runs far more code than the naive
     * ETL (Cypher's runtime, Lucene's index writers, H2, the batch engine, the HTTP client and the test server), which
     * the JIT compiles over the first rounds, on 2 cores with the CPU the pipeline needs. The {@code benchmark.rounds}
     * (6) that follow are counted: the ratio of the two sides' times in each round (their pace on the same machine at
     * the same moment: this machine's speed varies by a third from minute to minute), and its median. Each round
     * prints its time, the process's CPU time, the JIT's compile time and the CPU of the JIT's and GC's threads.
     */
    private static final int WARM_UP = Integer.getInteger("benchmark.warmup", 4);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 6);

    @Test
    @Order(2)
    void throughputWithAnInstantModelAgainstTheNaiveEtl() throws Exception {
        Path manuals = copyOfSamples();
        TestPdfs.variedManual(manuals.resolve("e-sixty-pages.pdf"), 60, 11);
        TestPdfs.variedManual(manuals.resolve("f-three-hundred-pages.pdf"), 300, 12);
        List<Path> files;
        try (var list = Files.list(manuals)) {
            files = list.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
        }
        int pages = 0;
        for (Path file : files) {
            try (PDDocument document = Loader.loadPDF(file.toFile())) {
                pages += document.getNumberOfPages();
            }
        }
        List<Double> naiveSeconds = new ArrayList<>();
        List<Double> ourSeconds = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        int naiveChunks = 0;
        long ourChunks = 0;
        for (int round = 1; round <= WARM_UP + ROUNDS; round++) {
            Round naive = Round.start();
            naiveChunks = naiveEtl(files);
            naive = naive.end();

            Path copy = Files.createTempDirectory(DATA, "throughput-");
            for (Path file : files) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
            OLLAMA.reset();
            Round diveTeacher = Round.start();
            IngestionSummary summary = ingest(copy, true);
            diveTeacher = diveTeacher.end();
            ourChunks = summary.totals().chunks();
            boolean counted = round > WARM_UP;
            if (counted) {
                naiveSeconds.add(naive.seconds());
                ourSeconds.add(diveTeacher.seconds());
                ratios.add(naive.seconds() / diveTeacher.seconds());
            }
            report("%s %d: naive ETL %s; DiveTeacher %s%s", counted ? "round" : "warm-up round",
                    counted ? round - WARM_UP : round, naive, diveTeacher, counted ? String.format(Locale.ROOT,
                            "; pages per second %.2f of the naive ETL's", naive.seconds() / diveTeacher.seconds()) : "");
        }
        double naiveMedian = median(naiveSeconds);
        double ourMedian = median(ourSeconds);
        report("instant model, %d manuals, %d pages: naive Spring AI ETL %.1f pages/s, %.1f chunks/s (%d chunks, "
                + "embeddings only; median of %d rounds)", files.size(), pages, pages / naiveMedian,
                naiveChunks / naiveMedian, naiveChunks, ROUNDS);
        report("instant model, same manuals: DiveTeacher %.1f pages/s, %.1f chunks/s (%d chunks, extraction and graph "
                + "too)", pages / ourMedian, ourChunks / ourMedian, ourChunks);
        report("pages per second, DiveTeacher / naive ETL: %.2f, the median of %d alternating rounds after %d of "
                + "warm-up (each round %.2f to %.2f; chunks per second %.2f)", median(ratios), ROUNDS, WARM_UP,
                ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                median(ratios) * ourChunks / naiveChunks);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * One side's run: wall time, the whole process's CPU time, the JIT's compile time and, on Linux, the CPU time of
     * the JIT's and the garbage collector's own threads. {@link #start()} holds the clocks' readings, {@link #end()}
     * what each clock counted since. The compile time is the compilations' elapsed time, which on 2 busy cores is
     * well above the CPU they took; the threads' CPU says how much of the process's CPU was not the pipeline's.
     */
    private record Round(long wallNanos, long cpuNanos, long compileMillis, VmThreads vm) {

        static Round start() {
            return new Round(System.nanoTime(), cpu(), compile(), VmThreads.now());
        }

        Round end() {
            return new Round(System.nanoTime() - wallNanos, cpu() - cpuNanos, compile() - compileMillis,
                    VmThreads.now().minus(vm));
        }

        double seconds() {
            return wallNanos / 1e9;
        }

        private static long cpu() {
            return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static long compile() {
            return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        }

        @Override
        public String toString() {
            String threads = vm.known() ? String.format(Locale.ROOT, "; CPU of the JIT %.2f s, of GC %.2f s, the rest "
                    + "%.2f s", vm.jitTicks() / VmThreads.HZ, vm.gcTicks() / VmThreads.HZ,
                    cpuNanos / 1e9 - (vm.jitTicks() + vm.gcTicks()) / VmThreads.HZ) : "";
            return String.format(Locale.ROOT, "%.2f s (CPU %.2f s, JIT compile time %.2f s%s)", seconds(),
                    cpuNanos / 1e9, compileMillis / 1e3, threads);
        }
    }

    /**
     * CPU time, in clock ticks, of the JVM's compiler threads and its garbage collector's threads, from
     * {@code /proc/self/task} (Linux; {@code known} is false elsewhere). A compiler thread the JVM retires takes its
     * ticks with it, so the JIT's figure is a lower bound.
     */
    private record VmThreads(boolean known, long jitTicks, long gcTicks) {

        /** USER_HZ, 100 on every Linux the JVM runs on. */
        static final double HZ = 100.0;

        static VmThreads now() {
            Path tasks = Path.of("/proc/self/task");
            if (!Files.isDirectory(tasks)) {
                return new VmThreads(false, 0, 0);
            }
            long jit = 0;
            long gc = 0;
            try (var list = Files.list(tasks)) {
                for (Path task : list.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException e) {
                        continue; // the thread ended meanwhile
                    }
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    // After the name: state is field 3 of stat(5), utime 14 and stime 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        jit += ticks;
                    } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                        gc += ticks;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return new VmThreads(false, 0, 0);
            }
            return new VmThreads(true, jit, gc);
        }

        VmThreads minus(VmThreads before) {
            return new VmThreads(known && before.known, jitTicks - before.jitTicks, gcTicks - before.gcTicks);
        }
    }

    /**
     * What a Spring AI user would write for vector-only RAG over the same files, written the way
     * {@code Neo4jVectorStore.add} writes (spring-ai-neo4j-store 2.0.1 does not resolve here): per file, every chunk
     * embedded in batches by token count, then one transaction of one UNWIND that merges on the id its schema
     * initialisation constrains, and sets the vector through {@code db.create.setNodeVectorProperty}. Its nodes stay
     * from one round to the next, as DiveTeacher's do: both write into a growing store.
     */
    private int naiveEtl(List<Path> files) {
        try (Session session = driver.session()) {
            session.run("CREATE CONSTRAINT baseline_id IF NOT EXISTS FOR (n:BaselineChunk) REQUIRE n.id IS UNIQUE")
                    .consume();
            session.run("""
                    CREATE VECTOR INDEX baseline_embedding IF NOT EXISTS FOR (n:BaselineChunk) ON (n.embedding)
                    OPTIONS {indexConfig: {`vector.dimensions`: $dimensions, `vector.similarity_function`: 'cosine'}}""",
                    Map.of("dimensions", springAiEmbeddings.dimensions())).consume();
        }
        TokenTextSplitter splitter = new TokenTextSplitter();
        int chunks = 0;
        for (Path file : files) {
            List<Document> documents = splitter.apply(new PagePdfDocumentReader(new FileSystemResource(file)).get());
            List<float[]> vectors = springAiEmbeddings.embed(documents, EmbeddingOptions.builder().build(),
                    new TokenCountBatchingStrategy());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < documents.size(); i++) {
                rows.add(Map.of("id", UUID.randomUUID().toString(), "properties",
                        Map.of("text", documents.get(i).getText()), "embedding", Values.value(vectors.get(i))));
            }
            try (Session session = driver.session()) {
                session.executeWriteWithoutResult(tx -> tx.run("""
                        UNWIND $rows AS row
                        MERGE (n:BaselineChunk {id: row.id}) SET n += row.properties
                        WITH row, n CALL db.create.setNodeVectorProperty(n, 'embedding', row.embedding)""",
                        Map.of("rows", rows)).consume());
            }
            chunks += documents.size();
        }
        return chunks;
    }

    @Test
    @Order(3)
    void timeToFirstExtractionAndPeakHeapOnA2415PageManual() throws Exception {
        Path folder = Files.createTempDirectory(DATA, "big-");
        TestPdfs.manyPages(folder.resolve("manual-2415-pages.pdf"), 2415);
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        OLLAMA.reset();

        long launched = System.nanoTime();
        JobExecution execution = launcher.start(IngestionRequest.ofPaths(List.of(folder.toString()),
                java.time.Duration.ZERO).withNoCache(true));
        while (OLLAMA.firstChatArrival().isEmpty() && execution.getEndTime() == null) {
            Thread.sleep(5);
        }
        double firstExtraction = (OLLAMA.firstChatArrival().orElse(System.nanoTime()) - launched) / 1e9;
        while (execution.getEndTime() == null) {
            Thread.sleep(50);
        }
        double total = (System.nanoTime() - launched) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        report("2,415-page manual: first extraction request %.2f s after launch; whole job %.1f s (%d chunks, instant "
                + "model); peak heap %d MiB (sum of the heap pools' peaks)", firstExtraction, total,
                OLLAMA.chatCalls(), peak / (1 << 20));
    }

    @Test
    @Order(4)
    void modelCallsAfterAnEdit() throws Exception {
        Path folder = Files.createTempDirectory(DATA, "edit-");
        Path manual = folder.resolve("sixty-pages.pdf");
        TestPdfs.variedManual(manual, 60, 6);
        IngestionSummary first = ingest(folder, false);
        Path edited = DATA.resolve("edited-" + System.nanoTime() + ".pdf");
        try (PDDocument document = Loader.loadPDF(manual.toFile())) {
            document.removePage(29);
            document.save(edited.toFile());
        }
        Files.move(edited, manual, StandardCopyOption.REPLACE_EXISTING);
        OLLAMA.reset();
        IngestionSummary second = ingest(folder, false);
        report("page 30 of a 60-page manual deleted: %d of %d chunks sent to the model again (%.1f %%), %d from the "
                + "cache", OLLAMA.chatCalls(), first.totals().chunks(), 100.0 * OLLAMA.chatCalls() / first.totals().chunks(),
                second.totals().cachedChunks());

        Path again = Files.createTempDirectory(DATA, "again-");
        Files.copy(manual, again.resolve("sixty-pages.pdf"));
        OLLAMA.reset();
        IngestionSummary reupload = ingest(again, false);
        report("the same manual uploaded again elsewhere: %d chat and %d embedding requests, %d of %d chunks from the "
                + "cache", OLLAMA.chatCalls(), OLLAMA.embedCalls(), reupload.totals().cachedChunks(),
                reupload.totals().chunks());
    }

    @Autowired
    IngestionReport summaries;

    @Autowired
    io.diveteacher.inference.ModelRuntime models;

    private IngestionSummary ingest(Path folder, boolean noCache) throws Exception {
        JobExecution execution = launcher.ingest(List.of(folder.toString()), false, noCache);
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        return summaries.summarize(execution, models.selection(), 0, 0);
    }
}
