package io.diveteacher.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.inference.OllamaTestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests a hostile or unlucky client sends, over a raw socket so that nothing on the way tidies them up: each gets
 * a 4xx RFC 9457 problem detail that says what is wrong, whether the application, Spring Security's firewall or
 * Tomcat itself turned it away, and never an HTML page, a server version or a stack trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "diveteacher.security.admin-password=s3cret-admin", "diveteacher.security.requests-per-minute=0",
        "diveteacher.ingestion.scheduling-enabled=false" })
class BadRequestsIT {

    static final OllamaTestServer OLLAMA = new OllamaTestServer();
    static final JsonMapper JSON = JsonMapper.shared();
    static final String ADMIN = "Authorization: Basic "
            + java.util.Base64.getEncoder().encodeToString("admin:s3cret-admin".getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("diveteacher-bad-requests-");
        registry.add("diveteacher.data-dir", data::toString);
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    @LocalServerPort
    int port;

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    @Test
    void unknownJobExecutionsAre404ProblemsThatNameTheId() throws IOException {
        for (String request : new String[] {"GET /api/admin/jobs/424242", "GET /api/admin/jobs/424242/events",
                "POST /api/admin/jobs/424242/stop", "POST /api/admin/jobs/424242/restart",
                "POST /api/admin/jobs/-1/restart"}) {
            String[] parts = request.split(" ");
            Reply reply = send(parts[0], parts[1], ADMIN, null);

            assertThat(reply.status()).as(request).isEqualTo(404);
            assertThat(reply.problem().path("detail").asString()).as(request)
                    .contains("no job execution " + parts[1].split("/")[4]);
        }
    }

    @Test
    void anExecutionIdThatIsNoNumberIsABadRequestThatSaysSo() throws IOException {
        Reply reply = send("GET", "/api/admin/jobs/abc", ADMIN, null);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.problem().path("detail").asString())
                .isEqualTo("'abc' is not an execution id: an execution id is a whole number (GET /api/admin/jobs lists them)");
    }

    @Test
    void malformedUploadsAre400ProblemsThatSayWhatIsWrong() throws IOException {
        Reply noBoundary = send("POST", "/api/upload", ADMIN + "\r\nContent-Type: multipart/form-data", "xx");
        Reply endsEarly = send("POST", "/api/upload", ADMIN + "\r\nContent-Type: multipart/form-data; boundary=XX",
                "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 abc");
        Reply nulInName = send("POST", "/api/upload", ADMIN + "\r\nContent-Type: multipart/form-data; boundary=XX",
                "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\u0000b.pdf\"\r\n"
                        + "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--XX--\r\n");

        assertThat(noBoundary.status()).isEqualTo(400);
        assertThat(noBoundary.problem().path("detail").asString()).contains("gives no boundary");
        assertThat(endsEarly.status()).isEqualTo(400);
        assertThat(endsEarly.problem().path("detail").asString()).contains("ends before its closing boundary");
        assertThat(nulInName.status()).isEqualTo(400);
        assertThat(nulInName.problem().path("detail").asString()).contains("NUL character");
        for (Reply reply : new Reply[] {noBoundary, endsEarly, nulInName}) {
            assertThat(reply.problem().path("title").asString()).isEqualTo("Unreadable upload");
        }
    }

    @Test
    void requestsTomcatOrTheFirewallRejectAreProblemDetailsWithoutVersionsOrStackTraces() throws IOException {
        String long20k = "a".repeat(20_000);
        String[] targets = {"/api/documents/..%2f..%2fetc", "/api/documents/%2e%2e/x", "/api/documents/..%5cx",
                "/api/documents/x%00y", "/../../etc/passwd", "/api/documents;jsessionid=1", "/api/" + long20k,
                "/api/documents?q=" + long20k};
        for (String target : targets) {
            String label = target.length() > 60 ? target.substring(0, 30) + "… (" + target.length() + " characters)" : target;

            Reply reply = send("GET", target, null, null);

            assertThat(reply.status()).as(label).isEqualTo(400);
            assertThat(reply.contentType()).as(label).startsWith("application/problem+json");
            assertThat(reply.problem().path("status").asInt()).as(label).isEqualTo(400);
            assertThat(reply.problem().path("detail").asString()).as(label).isNotBlank();
            assertThat(reply.body()).as(label).doesNotContainIgnoringCase("<html").doesNotContain("Tomcat")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void anUnknownAddressIsA404Problem() throws IOException {
        Reply reply = send("GET", "/api/no-such-thing", null, null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void fiftyWrongPasswordsFromOneClientAre429AfterTheLimitWhileTheRightOneFromAnotherWorksAtOnce() throws IOException {
        String wrong = "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                "admin:guess".getBytes(StandardCharsets.UTF_8));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            statuses.add(send("127.0.0.3", "GET", "/api/admin/jobs", wrong, null).status());
        }

        long started = System.nanoTime();
        Reply admin = send("127.0.0.4", "GET", "/api/admin/jobs", ADMIN, null);
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.println("50 wrong passwords: " + statuses.stream().filter(s -> s == 401).count() + " x 401, then "
                + statuses.stream().filter(s -> s == 429).count() + " x 429; the right one from another client: "
                + admin.status() + " in " + millis + " ms");
        assertThat(statuses.subList(0, 10)).containsOnly(401);
        assertThat(statuses.subList(10, 50)).containsOnly(429);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(send("127.0.0.3", "GET", "/api/documents", null, null).status())
                .as("the locked client can still read without credentials").isEqualTo(200);
    }

    record Reply(int status, String contentType, String body) {
        JsonNode problem() {
            assertThat(contentType).startsWith("application/problem+json");
            return JSON.readTree(body);
        }
    }

    /** One HTTP/1.1 request as written here, byte for byte; the connection closes after the answer. */
    private Reply send(String method, String target, String headers, String body) throws IOException {
        return send("127.0.0.1", method, target, headers, body);
    }

    /** From a given loopback address (the server tells clients apart by their address). */
    private Reply send(String from, String method, String target, String headers, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n");
        if (headers != null) {
            request.append(headers).append("\r\n");
        }
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket(java.net.InetAddress.getByName("127.0.0.1"), port,
                java.net.InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            socket.shutdownOutput();
            String response = read(socket.getInputStream());
            int headersEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headersEnd);
            int status = Integer.parseInt(head.substring(9, 12));
            String type = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(13).strip()).findFirst().orElse("");
            String rest = response.substring(headersEnd + 4);
            boolean chunked = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
            return new Reply(status, type, chunked ? unchunk(rest) : rest);
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
