package io.diveteacher.inference;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local HTTP server that speaks the parts of Ollama's API the application uses, with Ollama's field
 * names, NDJSON streaming (stream defaults to true on /api/chat), durations in nanoseconds and its error
 * bodies ({"error": "..."} with 404 for an unknown model, 500 for a runner failure). Answers are
 * deterministic: embeddings hash the words of the input, structured chat answers list the capitalised
 * words of the text as entities. Failures, broken output and slowness can be switched on by tests, and
 * the server counts calls and the most chat requests it ever had in flight.
 */
public final class OllamaTestServer implements AutoCloseable {

    public static final String CHAT_MODEL = "qwen2.5:7b-instruct-q8_0";
    public static final String EMBEDDING_MODEL = "bge-m3:latest";
    public static final int DIMENSIONS = 256;

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern NAME = Pattern.compile("\\b[A-Z][A-Za-z0-9-]{3,}(?:\\s+[A-Z][A-Za-z0-9-]+)*\\b");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Set<String> models = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger chatCalls = new AtomicInteger();
    /** The text of every extraction request (structured output) since the last reset, in arrival order. */
    private final List<String> extractedTexts = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger embedCalls = new AtomicInteger();
    private final AtomicInteger embedInputs = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile int failChatAfter = -1;
    private volatile int failEmbedAfter = -1;
    private final Map<String, Integer> embeddingDimensions = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> embeddedAlike = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long chatDelayMillis;
    private volatile UnaryOperator<String> chatOutput = UnaryOperator.identity();
    private volatile Predicate<String> chatOutputFor = text -> true;
    private volatile ToIntFunction<String> answerTokens;
    private volatile Faults faults;
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private final ThreadLocal<Boolean> brokenAnswer = new ThreadLocal<>();
    private volatile CountDownLatch holdAfterFirstPiece;
    private volatile long evalDurationNanos = 1_325_948_000L;
    private volatile boolean errorAfterFirstPiece;
    private final AtomicInteger piecesSent = new AtomicInteger();
    private volatile long pieceDelayMillis;
    private final AtomicInteger cancelledStreams = new AtomicInteger();
    private volatile JsonNode lastChatRequest;
    private volatile double vramShare = 1.0;
    private volatile boolean loaded = true;
    private final AtomicInteger pullCalls = new AtomicInteger();
    private final java.util.Map<String, String> digests = new java.util.concurrent.ConcurrentHashMap<>();
    // The chat's own accounting of its slots: time requests were being answered, and the span of chat traffic.
    private final java.util.concurrent.atomic.AtomicLong chatBusyNanos = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong firstChatStart = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    private final java.util.concurrent.atomic.AtomicLong lastChatEnd = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    public OllamaTestServer() {
        this(0);
    }

    /** A server on a given port (0: any free one), e.g. to bring Ollama up where a client already points. */
    public OllamaTestServer(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        models.add(CHAT_MODEL);
        models.add(EMBEDDING_MODEL);
        server.start();
    }

    /**
     * Serves one more embedding model, with vectors of this size (until the next {@link #reset()}): another model a
     * graph may have been embedded with.
     */
    public void addEmbeddingModel(String model, int dimensions) {
        embeddingDimensions.put(canonical(model), dimensions);
        models.add(canonical(model));
    }

    /**
     * Embeds {@code text} (any case) as it embeds {@code as}, as a multilingual model puts a phrase and its
     * translation close together (until the next {@link #reset()}).
     */
    public void embedAlike(String text, String as) {
        embeddedAlike.put(text.toLowerCase(Locale.ROOT), as);
    }

    private int dimensionsOf(String model) {
        return embeddingDimensions.getOrDefault(canonical(model), DIMENSIONS);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Back to the default behaviour with both models present; counters start again at zero. */
    public void reset() {
        failChatAfter = -1;
        failEmbedAfter = -1;
        chatDelayMillis = 0;
        chatOutput = UnaryOperator.identity();
        chatOutputFor = text -> true;
        answerTokens = null;
        faults = null;
        faultsInjected.set(0);
        holdAfterFirstPiece = null;
        evalDurationNanos = 1_325_948_000L;
        errorAfterFirstPiece = false;
        piecesSent.set(0);
        pieceDelayMillis = 0;
        cancelledStreams.set(0);
        models.clear();
        embeddingDimensions.clear();
        embeddedAlike.clear();
        models.add(CHAT_MODEL);
        models.add(EMBEDDING_MODEL);
        chatCalls.set(0);
        extractedTexts.clear();
        embedCalls.set(0);
        embedInputs.set(0);
        maxInFlight.set(0);
        pullCalls.set(0);
        digests.clear();
        resetSlotAccounting();
        lastChatRequest = null;
        vramShare = 1.0;
        loaded = true;
    }

    /** Starts the slot accounting ({@link #slotEfficiency}) again from nothing. */
    public void resetSlotAccounting() {
        chatBusyNanos.set(0);
        firstChatStart.set(Long.MAX_VALUE);
        lastChatEnd.set(Long.MIN_VALUE);
    }

    /**
     * Chat busy time ÷ ({@code slots} × span of chat traffic): the share of the server's parallel slots that had a
     * request to answer between the first chat request and the end of the last one; 0 before any.
     */
    public double slotEfficiency(int slots) {
        long span = lastChatEnd.get() - firstChatStart.get();
        return span <= 0 ? 0 : (double) chatBusyNanos.get() / ((double) slots * span);
    }

    /** When the first chat request since the last reset arrived ({@link System#nanoTime()}), or empty before any. */
    public java.util.OptionalLong firstChatArrival() {
        long first = firstChatStart.get();
        return first == Long.MAX_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(first);
    }

    /** Nanoseconds between the first chat request and the end of the last one. */
    public long chatSpanNanos() {
        return Math.max(0, lastChatEnd.get() - firstChatStart.get());
    }

    /** The digest {@code /api/tags} reports for a model (a model re-pulled under the same name gets a new one). */
    public void digest(String model, String digest) {
        digests.put(canonical(model), digest);
    }

    /** After {@code calls} more successful chat calls, every chat call fails with HTTP 500. */
    public void failChatAfter(int calls) {
        failChatAfter = chatCalls.get() + calls;
    }

    /** After {@code calls} more successful embedding calls, every embedding call fails with HTTP 500; -1: none. */
    public void failEmbedAfter(int calls) {
        failEmbedAfter = calls < 0 ? -1 : embedCalls.get() + calls;
    }

    /**
     * From now on, chat and embedding requests fail at random, as an unlucky production night would have it: HTTP
     * 500 from a dead runner, a connection closed without an answer, or (chat only) an answer cut off mid-JSON that
     * still says {@code done_reason: "stop"}. Each a share of the requests (0 to 1), drawn from a seeded sequence.
     */
    public void faults(long seed, double serverErrors, double droppedConnections, double brokenJson) {
        faults = new Faults(seed, serverErrors, droppedConnections, brokenJson);
    }

    /** Faults injected since the last reset. */
    public int faultsInjected() {
        return faultsInjected.get();
    }

    public void chatDelay(long millis) {
        chatDelayMillis = millis;
    }

    /**
     * A streamed chat answer stops after its first piece until {@code release} is counted down (at most 30 s):
     * the generation is still going while the client sees that piece.
     */
    public void holdAfterFirstPiece(CountDownLatch release) {
        holdAfterFirstPiece = release;
    }

    /** A streamed chat answer ends after its first piece with an in-stream {"error": ...} line, as Ollama does. */
    public void errorAfterFirstPiece() {
        errorAfterFirstPiece = true;
    }

    /** The eval_duration reported for chat answers: sets the tokens per second a client computes. */
    public void evalDuration(long nanos) {
        evalDurationNanos = nanos;
    }

    /** A pause between the pieces of a streamed answer, as a model generating on a slow GPU would make. */
    public void pieceDelay(long millis) {
        pieceDelayMillis = millis;
    }

    /** Streamed answers whose client went away before the answer was finished (the connection closed under us). */
    public int cancelledStreams() {
        return cancelledStreams.get();
    }

    /** Pieces of streamed chat answers written so far. */
    public int piecesSent() {
        return piecesSent.get();
    }

    /** Rewrites the content of chat answers (to simulate broken model output). */
    public void chatOutput(UnaryOperator<String> rewrite) {
        chatOutput = rewrite;
        chatOutputFor = text -> true;
    }

    /** Rewrites the content of the structured (extraction) answers for the texts that match only. */
    public void chatOutput(Predicate<String> forText, UnaryOperator<String> rewrite) {
        chatOutput = rewrite;
        chatOutputFor = forText;
    }

    /**
     * How many tokens the structured answer for a text takes, as a model would count them (default: its characters
     * divided by 4). An answer longer than the request's {@code num_predict} is cut there, mid-JSON, and ends with
     * {@code done_reason: "length"}, as Ollama does: a dense text can be made to need more output than a limit.
     */
    public void answerTokens(ToIntFunction<String> tokensForText) {
        answerTokens = tokensForText;
    }

    /** Where /api/ps says the loaded models sit: 1.0 all in VRAM (GPU), 0.0 all in RAM (CPU). */
    public void vramShare(double share) {
        vramShare = share;
    }

    /** Whether /api/ps lists the models as loaded. */
    public void loaded(boolean inMemory) {
        loaded = inMemory;
    }

    public void removeModel(String model) {
        models.remove(model);
    }

    /** Chat requests being answered now. */
    public int inFlight() {
        return inFlight.get();
    }

    public int chatCalls() {
        return chatCalls.get();
    }

    /** The chunk texts sent for extraction since the last reset, in arrival order (a copy). */
    public List<String> extractedTexts() {
        synchronized (extractedTexts) {
            return List.copyOf(extractedTexts);
        }
    }

    public int embedCalls() {
        return embedCalls.get();
    }

    public int embedInputs() {
        return embedInputs.get();
    }

    /** The body of the last /api/chat request, as sent by the client. */
    public JsonNode lastChatRequest() {
        return lastChatRequest;
    }

    public int pullCalls() {
        return pullCalls.get();
    }

    public int maxChatInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private final ThreadLocal<Long> arrived = new ThreadLocal<>();

    private void handle(HttpExchange exchange) throws IOException {
        // A slot is taken from the moment a request arrives, as Ollama counts it (reading the body included).
        arrived.set(System.nanoTime());
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            JsonNode body = "POST".equals(method) ? JSON.readTree(exchange.getRequestBody().readAllBytes()) : null;
            Faults faults = this.faults;
            if (faults != null && ("/api/chat".equals(path) || "/api/embed".equals(path))) {
                Fault fault = faults.next(path + body);
                if (fault == Fault.SERVER_ERROR) {
                    faultsInjected.incrementAndGet();
                    json(exchange, 500, Map.of("error", "llama runner process has terminated: signal: killed"));
                    return;
                }
                if (fault == Fault.DROPPED_CONNECTION) {
                    // Closed before any response byte: the client sees the connection end.
                    faultsInjected.incrementAndGet();
                    return;
                }
                if (fault == Fault.BROKEN_JSON && "/api/chat".equals(path)) {
                    faultsInjected.incrementAndGet();
                    brokenAnswer.set(Boolean.TRUE);
                }
            }
            switch (method + " " + path) {
                case "GET /", "HEAD /" -> text(exchange, 200, "Ollama is running");
                case "GET /api/version" -> json(exchange, 200, Map.of("version", "0.12.6"));
                case "GET /api/tags" -> json(exchange, 200, Map.of("models", models.stream().sorted().map(this::tag).toList()));
                case "GET /api/ps" -> json(exchange, 200, Map.of("models",
                        loaded ? models.stream().sorted().map(this::running).toList() : List.of()));
                case "POST /api/show" -> show(exchange, body);
                case "POST /api/pull" -> pull(exchange, body);
                case "POST /api/embed" -> embed(exchange, body);
                case "POST /api/chat" -> chat(exchange, body);
                default -> json(exchange, 404, Map.of("error", "404 page not found"));
            }
        } catch (RuntimeException e) {
            // A bug in this server shows up as a server error, as it would with Ollama.
            json(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
        } finally {
            brokenAnswer.remove();
        }
    }

    private enum Fault { NONE, SERVER_ERROR, DROPPED_CONNECTION, BROKEN_JSON }

    /**
     * Faults drawn from the seed, the request and how many times the same request came before: the same requests
     * meet the same faults whatever order concurrent clients send them in, so that a failing run can be replayed.
     */
    private static final class Faults {
        private final long seed;
        private final double serverErrors;
        private final double droppedConnections;
        private final double brokenJson;
        private final Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();

        Faults(long seed, double serverErrors, double droppedConnections, double brokenJson) {
            this.seed = seed;
            this.serverErrors = serverErrors;
            this.droppedConnections = droppedConnections;
            this.brokenJson = brokenJson;
        }

        Fault next(String request) {
            int occurrence = seen.merge(request, 1, Integer::sum);
            // SplittableRandom mixes its seed's bits, so that close seeds give unrelated draws.
            double draw = new java.util.SplittableRandom(seed ^ (request.hashCode() * 0x9E3779B97F4A7C15L + occurrence))
                    .nextDouble();
            if (draw < serverErrors) {
                return Fault.SERVER_ERROR;
            }
            if (draw < serverErrors + droppedConnections) {
                return Fault.DROPPED_CONNECTION;
            }
            return draw < serverErrors + droppedConnections + brokenJson ? Fault.BROKEN_JSON : Fault.NONE;
        }
    }

    private static String canonical(String model) {
        String name = model == null ? "" : model.toLowerCase(Locale.ROOT);
        return name.contains(":") ? name : name + ":latest";
    }

    private boolean present(String model) {
        return models.contains(canonical(model));
    }

    private Map<String, Object> details() {
        return Map.of("format", "gguf", "family", "qwen2", "families", List.of("qwen2"), "parameter_size", "7.6B",
                "quantization_level", "Q8_0");
    }

    private Map<String, Object> tag(String model) {
        return Map.of("name", model, "model", model, "modified_at", "2026-10-01T10:00:00.000000000Z",
                "size", 8_098_525_888L, "digest", digests.getOrDefault(model,
                        "2b0496514337a3d5901f1d253d01726c890b721e891335a56d6e08cedf3e2cb0"),
                "details", details());
    }

    private Map<String, Object> running(String model) {
        long size = 9_500_000_000L;
        // In the order Ollama writes them.
        Map<String, Object> running = new LinkedHashMap<>();
        running.put("name", model);
        running.put("model", model);
        running.put("size", size);
        running.put("digest", "2b0496514337a3d5901f1d253d01726c890b721e891335a56d6e08cedf3e2cb0");
        running.put("details", details());
        running.put("expires_at", "2026-11-27T10:00:00.000000000Z");
        running.put("size_vram", Math.round(size * vramShare));
        running.put("context_length", 8192);
        return running;
    }

    private void show(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asString(body.path("name").asString(""));
        if (!present(model)) {
            json(exchange, 404, Map.of("error", "model '" + model + "' not found"));
            return;
        }
        boolean embedding = canonical(model).equals(EMBEDDING_MODEL) || embeddingDimensions.containsKey(canonical(model));
        Map<String, Object> info = embedding
                ? Map.of("general.architecture", "bert", "bert.embedding_length", dimensionsOf(model),
                        "bert.context_length", 8192)
                : Map.of("general.architecture", "qwen2", "qwen2.embedding_length", 3584, "qwen2.context_length", 32768);
        json(exchange, 200, Map.of("modelfile", "FROM " + model, "parameters", "temperature 0.7", "template", "{{ .Prompt }}",
                "details", details(), "model_info", info,
                "capabilities", embedding ? List.of("embedding") : List.of("completion", "tools"),
                "modified_at", "2026-10-01T10:00:00.000000000Z"));
    }

    private void pull(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asString(body.path("name").asString(""));
        pullCalls.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String digest = "sha256:6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa";
        line(out, Map.of("status", "pulling manifest"));
        for (long completed : new long[] {0, 2_000_000, 4_000_000}) {
            line(out, Map.of("status", "pulling " + digest.substring(7, 19), "digest", digest, "total", 4_000_000L,
                    "completed", completed));
        }
        line(out, Map.of("status", "verifying sha256 digest"));
        line(out, Map.of("status", "writing manifest"));
        models.add(canonical(model));
        line(out, Map.of("status", "success"));
    }

    private void embed(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asString("");
        if (!present(model)) {
            json(exchange, 404, Map.of("error", "model \"" + model + "\" not found, try pulling it first"));
            return;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isArray()) {
            input.forEach(n -> inputs.add(n.asString()));
        } else {
            inputs.add(input.asString());
        }
        int call = embedCalls.incrementAndGet();
        if (failEmbedAfter >= 0 && call > failEmbedAfter) {
            json(exchange, 500, Map.of("error", "llama runner process has terminated: exit status 2"));
            return;
        }
        embedInputs.addAndGet(inputs.size());
        int dimensions = dimensionsOf(model);
        List<float[]> vectors = inputs.stream()
                .map(text -> vector(embeddedAlike.getOrDefault(text.toLowerCase(Locale.ROOT), text), dimensions)).toList();
        json(exchange, 200, Map.of("model", model, "embeddings", vectors, "total_duration", 14_143_917L,
                "load_duration", 1_019_500L, "prompt_eval_count", inputs.stream().mapToInt(s -> s.split("\\s+").length).sum()));
    }

    /** Bag-of-words hashing: texts sharing words get similar vectors. */
    public static float[] vector(String text) {
        return vector(text, DIMENSIONS);
    }

    private static float[] vector(String text, int dimensions) {
        float[] v = new float[dimensions];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), dimensions)] += 1;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    private void chat(HttpExchange exchange, JsonNode body) throws IOException {
        lastChatRequest = body;
        String model = body.path("model").asString("");
        if (!present(model)) {
            json(exchange, 404, Map.of("error", "model '" + model + "' not found"));
            return;
        }
        int active = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(active, Math::max);
        long started = arrived.get() == null ? System.nanoTime() : arrived.get();
        firstChatStart.accumulateAndGet(started, Math::min);
        try {
            int call = chatCalls.incrementAndGet();
            if (chatDelayMillis > 0) {
                Thread.sleep(chatDelayMillis);
            }
            if (failChatAfter >= 0 && call > failChatAfter) {
                json(exchange, 500, Map.of("error", "llama runner process has terminated: exit status 2"));
                return;
            }
            String source = sourceText(body);
            if (source != null) {
                extractedTexts.add(source);
            }
            String content = answer(body, source);
            if (source == null || chatOutputFor.test(source)) {
                content = chatOutput.apply(content);
            }
            if (Boolean.TRUE.equals(brokenAnswer.get())) {
                content = content.substring(0, content.length() * 2 / 3);
            }
            // Ollama stops generating at num_predict tokens and says why: done_reason "length".
            int tokens = answerTokens != null && source != null ? answerTokens.applyAsInt(source)
                    : Math.max(1, content.length() / 4);
            int limit = body.path("options").path("num_predict").asInt(-1);
            String doneReason = "stop";
            if (limit > 0 && tokens > limit) {
                content = content.substring(0, (int) ((long) content.length() * limit / tokens));
                tokens = limit;
                doneReason = "length";
            }
            boolean stream = !body.has("stream") || body.path("stream").asBoolean();
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("model", model);
            last.put("created_at", Instant.now().toString());
            last.put("message", Map.of("role", "assistant", "content", stream ? "" : content));
            last.put("done", true);
            last.put("done_reason", doneReason);
            last.put("total_duration", 5_589_157_167L);
            last.put("load_duration", 3_013_701_500L);
            last.put("prompt_eval_count", 46);
            last.put("prompt_eval_duration", 1_160_282_000L);
            last.put("eval_count", tokens);
            last.put("eval_duration", evalDurationNanos);
            if (!stream) {
                json(exchange, 200, last);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try {
                streamPieces(out, model, content, last);
            } catch (IOException e) {
                cancelledStreams.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            long ended = System.nanoTime();
            chatBusyNanos.addAndGet(ended - started);
            lastChatEnd.accumulateAndGet(ended, Math::max);
            inFlight.decrementAndGet();
        }
    }

    private void streamPieces(OutputStream out, String model, String content, Map<String, Object> last)
            throws IOException, InterruptedException {
        boolean first = true;
        for (String piece : content.split("(?<=\\s)")) {
            if (!first && pieceDelayMillis > 0) {
                Thread.sleep(pieceDelayMillis);
            }
            line(out, Map.of("model", model, "created_at", Instant.now().toString(),
                    "message", Map.of("role", "assistant", "content", piece), "done", false));
            piecesSent.incrementAndGet();
            if (first && errorAfterFirstPiece) {
                line(out, Map.of("error", "an error was encountered while running the model: CUDA error: out of memory"));
                return;
            }
            CountDownLatch hold = holdAfterFirstPiece;
            if (first && hold != null) {
                hold.await(30, TimeUnit.SECONDS);
            }
            first = false;
        }
        line(out, last);
    }

    /** The text a structured (extraction) request asks about, or null for a free-text request. */
    private static String sourceText(JsonNode body) {
        if (!body.path("format").isObject()) {
            return null;
        }
        String user = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asString())) {
                user = message.path("content").asString();
            }
        }
        return between(user, "<<<", ">>>");
    }

    /**
     * The text between the first {@code open} and the next {@code close}, without one line break just inside each
     * (what {@code <<<\n?(.*?)\n?>>>} finds), or the whole text without them. Found by hand: the expression's lazy
     * scan was the larger part of this stand-in's time per request, which the pipeline benchmark counts.
     */
    static String between(String text, String open, String close) {
        int start = text.indexOf(open);
        int end = start < 0 ? -1 : text.indexOf(close, start + open.length());
        if (end < 0) {
            return text;
        }
        int from = start + open.length();
        if (from < end && text.charAt(from) == '\n') {
            from++;
        }
        int to = end > from && text.charAt(end - 1) == '\n' ? end - 1 : end;
        return text.substring(from, to);
    }

    /** The structured answer: capitalised words of the text as entities, neighbours related. */
    private static String answer(JsonNode body, String source) {
        String user = "";
        String system = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asString())) {
                user = message.path("content").asString();
            } else if ("system".equals(message.path("role").asString())) {
                system = message.path("content").asString();
            }
        }
        if (source == null) {
            return groundedAnswer(user, system);
        }
        JsonNode format = body.path("format");
        if (format.path("properties").has("question")) {
            return JSON.writeValueAsString(Map.of("question", standalone(user)));
        }
        List<String> entityTypes = new ArrayList<>();
        format.path("properties").path("entities").path("items").path("properties").path("type").path("enum")
                .forEach(n -> entityTypes.add(n.asString()));
        List<String> relationshipTypes = new ArrayList<>();
        format.path("properties").path("relationships").path("items").path("properties").path("type").path("enum")
                .forEach(n -> relationshipTypes.add(n.asString()));
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(source);
        while (m.find() && names.size() < 12) {
            names.add(m.group());
        }
        List<Map<String, Object>> entities = new ArrayList<>();
        for (String name : names) {
            String type = entityTypes.isEmpty() ? "Concept" : entityTypes.get(Math.floorMod(name.hashCode(), entityTypes.size()));
            entities.add(Map.of("name", name, "type", type, "description", "Named in the text: " + name + "."));
        }
        List<Map<String, Object>> relationships = new ArrayList<>();
        List<String> list = new ArrayList<>(names);
        for (int i = 0; i + 1 < list.size(); i++) {
            String type = relationshipTypes.isEmpty() ? "RELATED_TO" : relationshipTypes.getLast();
            relationships.add(Map.of("source", list.get(i), "target", list.get(i + 1), "type", type,
                    "description", list.get(i) + " appears with " + list.get(i + 1) + "."));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("entities", entities);
        answer.put("relationships", relationships);
        return JSON.writeValueAsString(answer);
    }

    /**
     * A follow-up made standalone the way a model would for the usual "and at 30 m?": the conversation's first
     * question with its numbers replaced by the follow-up's, in order; a follow-up without numbers is returned as is.
     */
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?");

    private static String standalone(String user) {
        Matcher last = Pattern.compile("(?m)^Last question: (.*)$").matcher(user);
        Matcher first = Pattern.compile("(?m)^Question: (.*)$").matcher(user);
        if (!last.find() || !first.find()) {
            return "";
        }
        List<String> numbers = new ArrayList<>();
        Matcher number = NUMBER.matcher(last.group(1));
        while (number.find()) {
            numbers.add(number.group());
        }
        if (numbers.isEmpty()) {
            return last.group(1);
        }
        Matcher replaced = NUMBER.matcher(first.group(1));
        StringBuilder result = new StringBuilder();
        int i = 0;
        while (replaced.find()) {
            replaced.appendReplacement(result, i < numbers.size() ? numbers.get(i++) : replaced.group());
        }
        replaced.appendTail(result);
        return result.toString();
    }

    /** What the answer prompt tells a model to reply when the context does not hold the answer. */
    public static final String NOT_IN_THE_DOCUMENTS = "NOT_IN_THE_DOCUMENTS";

    /**
     * A free-text answer the way a RAG prompt gets one: from passages [1] and [2] of the context, the sentence
     * sharing most words with the question, each cited. When no sentence shares a word with the question, it replies
     * with the marker the system prompt offers for that, as a model that follows the prompt would.
     */
    private static String groundedAnswer(String user, String system) {
        Matcher questionLine = Pattern.compile("(?m)^Question: (.*)$").matcher(user);
        Set<String> asked = words(questionLine.find() ? questionLine.group(1) : "");
        StringBuilder answer = new StringBuilder();
        for (int n = 1; n <= 2; n++) {
            Matcher passage = Pattern.compile("(?m)^\\[" + n + "\\] [^\\n]*\\n(.+?)(?:\\n\\n\\[|\\n\\nFacts|\\n\\nQuestion|\\z)",
                    Pattern.DOTALL).matcher(user);
            if (!passage.find()) {
                continue;
            }
            Matcher sentence = Pattern.compile("[^.!?\\n]{20,}[.!?]").matcher(passage.group(1));
            String best = null;
            long bestShared = -1;
            while (sentence.find()) {
                String candidate = sentence.group().strip();
                long shared = words(candidate).stream().filter(asked::contains).count();
                if (shared > bestShared) {
                    best = candidate;
                    bestShared = shared;
                }
            }
            if (best != null && bestShared > 0) {
                answer.append(answer.isEmpty() ? "" : " ").append(best, 0, best.length() - 1).append(" [").append(n).append("].");
            }
        }
        if (answer.isEmpty()) {
            return system.contains(NOT_IN_THE_DOCUMENTS) ? NOT_IN_THE_DOCUMENTS : "The documents do not say.";
        }
        return answer.toString();
    }

    private static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() > 3) {
                words.add(word);
            }
        }
        return words;
    }

    private static void line(OutputStream out, Object value) throws IOException {
        out.write(JSON.writeValueAsBytes(value));
        out.write('\n');
        out.flush();
    }

    private static void json(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void text(HttpExchange exchange, int status, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : bytes.length);
        if (!"HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
