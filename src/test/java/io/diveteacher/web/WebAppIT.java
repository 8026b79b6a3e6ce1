package io.diveteacher.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.WaitForSelectorState;

import io.diveteacher.document.TestPdfs;
import io.diveteacher.inference.OllamaTestServer;
import io.diveteacher.ingestion.IngestionLauncher;

/**
 * The web application in a real browser: Debian's Chromium, headless, driven by Playwright for Java (which downloads
 * no browser here), against the application on a random port with the sample manuals and the test Ollama server.
 * Every page is checked for its Content-Security-Policy and a console without errors, and screenshots of each page,
 * on a laptop and on a phone, land in {@code target/screenshots/}. Skipped where Chromium is not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "diveteacher.security.admin-password=s3cret-admin", "diveteacher.security.requests-per-minute=0",
        "diveteacher.ingestion.scheduling-enabled=false", "diveteacher.ingestion.progress-interval=100ms",
        "diveteacher.ingestion.settle=0s",
        // Commits of 16 whatever the pace: the earlier tests' instant model would otherwise have the progress bar's
        // job (a slow model, 30 pages) commit in one piece, and its bar jump from 0 to 100 %.
        "diveteacher.ingestion.max-commit-interval=16" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAppIT {

    static final Path CHROMIUM = Paths.get(System.getProperty("diveteacher.chromium", "/usr/bin/chromium"));
    static final OllamaTestServer OLLAMA = new OllamaTestServer();
    static final Path WORK = temporaryDirectory();
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    static final String XSS = "<img src=x onerror=alert(1)>";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path jobs = Files.createDirectories(WORK.resolve("jobs"));
        Path manuals = Files.createDirectories(WORK.resolve("manuals"));
        TestPdfs.manyPages(manuals.resolve("long-manual.pdf"), 30);
        Files.writeString(jobs.resolve("manuals.yml"), "name: manuals\nsource: ../manuals\n");
        registry.add("diveteacher.data-dir", () -> WORK.resolve("data").toString());
        registry.add("diveteacher.ingestion.jobs-directory", jobs::toString);
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("diveteacher-web-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    IngestionLauncher launcher;

    Playwright playwright;
    Browser browser;
    BrowserContext context;
    Page page;
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    final List<String> dialogs = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startBrowserAndIngestSamples() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
                + ": the browser tests need it (Debian: apt-get install chromium; .ci/run installs it)");
        Path samples = Files.createDirectories(WORK.resolve("samples"));
        try (var files = Files.list(Path.of("samples"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".pdf")).toList()) {
                Files.copy(file, samples.resolve(file.getFileName()));
            }
        }
        // A manual whose text holds HTML, under a name that does too: both must show as text.
        TestPdfs.simple(samples.resolve(XSS + ".pdf"), "Regulator care. Never open the first stage " + XSS
                + " <script>alert(2)</script> yourself; a technician services it once a year.");
        assertThat(launcher.ingest(List.of(samples.toString())).getStatus().name()).isEqualTo("COMPLETED");
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        OLLAMA.close();
    }

    @BeforeEach
    void newVisitor() {
        OLLAMA.reset();
        consoleErrors.clear();
        dialogs.clear();
        visitor("en-GB", 1280, 900);
    }

    /** A fresh browser context: no cookies, this language, this window. */
    void visitor(String locale, int width, int height) {
        if (context != null) {
            context.close();
        }
        context = browser.newContext(new Browser.NewContextOptions().setLocale(locale).setViewportSize(width, height));
        page = context.newPage();
        page.setDefaultTimeout(20_000);
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text());
            }
        });
        page.onPageError(error -> consoleErrors.add("page error: " + error));
        page.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
    }

    @AfterEach
    void closeVisitor() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    void login() {
        page.navigate(url("/login"));
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill("s3cret-admin");
        page.locator("form.login-form button[type=submit]").click();
        page.waitForURL("**/library");
    }

    void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    void ask(String question) {
        page.locator("#question").fill(question);
        page.locator("#question").press("Enter");
    }

    /**
     * Waits for the newest answer to end (its figures shown) and fails with the reason where it failed instead; on a
     * time-out it prints what the page showed and what the server's threads were doing (the server runs in this JVM).
     */
    void awaitAnswer() {
        Locator newest = page.locator(".exchange").first();
        try {
            newest.locator(".meta:not([hidden]), .failed").first().waitFor();
        } catch (com.microsoft.playwright.TimeoutError e) {
            System.out.println("The answer did not end; the page showed: " + newest.innerText());
            System.out.println("Ollama: " + OLLAMA.chatCalls() + " chat calls, " + OLLAMA.inFlight() + " in flight");
            try {
                // Virtual threads included (the answer streams run on them).
                Path dump = Files.createTempFile("threads-", ".txt").toAbsolutePath();
                Files.delete(dump);
                java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
                for (String thread : Files.readString(dump).split("\n\n")) {
                    if (thread.contains("io.diveteacher") || thread.contains("reactor") || thread.contains("OllamaTestServer")) {
                        System.out.println(thread);
                    }
                }
            } catch (IOException dumpFailed) {
                System.out.println("no thread dump: " + dumpFailed);
            }
            throw e;
        }
        assertThat(newest.locator(".failed").count()).as(() -> newest.innerText()).isZero();
    }

    @Test
    void anAnswerGrowsWhileItStreamsAndACitationOpensItsPageWithThePassageHighlighted() {
        OLLAMA.pieceDelay(120);
        page.navigate(url("/"));

        ask("What should be given to a diver with signs of decompression sickness?");

        Locator answer = page.locator(".exchange").first().locator(".answer-text");
        List<Integer> lengths = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && page.locator(".exchange .meta:not([hidden])").count() == 0) {
            int length = answer.textContent().length();
            if (lengths.isEmpty() || length != lengths.getLast()) {
                lengths.add(length);
            }
            page.waitForTimeout(60);
        }
        System.out.println("Answer length as the page showed it while streaming: " + lengths);
        assertThat(lengths).as("the text grew in steps while the model was still writing").hasSizeGreaterThan(3);
        assertThat(lengths).isSorted();
        assertThat(page.locator(".exchange .meta").textContent()).contains(OllamaTestServer.CHAT_MODEL)
                .contains("tokens/s").contains("retrieval");
        assertThat(page.locator(".exchange .source").count()).isPositive();
        screenshot("ask-answer-desktop");
        page.setViewportSize(390, 844);
        screenshot("ask-answer-phone");
        page.setViewportSize(1280, 900);

        page.locator(".answer-text .cite").first().click();

        page.locator("#viewer[open]").waitFor();
        page.waitForFunction("() => { const i = document.getElementById('viewer-image');"
                + " return i.complete && i.naturalWidth > 0 && Number(i.dataset.highlights) > 0; }");
        assertThat(page.locator("#viewer-note").textContent()).isEqualTo("The cited passage is highlighted.");
        assertThat(page.locator("#viewer-open").getAttribute("href")).matches("/api/documents/[0-9a-f]+/file#page=\\d+");
        screenshot("ask-viewer-desktop");
        // The picture at the top of the README: what a visitor sees, not the whole page.
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("readme-ask.png")));
        page.setViewportSize(390, 844);
        screenshot("ask-viewer-phone");
        page.keyboard().press("Escape");
        assertThat(page.locator("#viewer[open]").count()).isZero();
        assertNoConsoleErrors();
    }

    @Test
    void stopEndsASlowStreamAndOllamaSeesTheAnswerCancelled() {
        OLLAMA.pieceDelay(400);
        page.navigate(url("/"));

        ask("What is the maximum ascent rate?");
        page.waitForFunction("() => document.querySelector('.exchange .answer-text')?.textContent.length > 0");
        page.locator("#ask-button").click();

        page.locator(".exchange .answer-state:has-text('Stopped.')").waitFor();
        long deadline = System.currentTimeMillis() + 10_000;
        while (OLLAMA.cancelledStreams() == 0 && System.currentTimeMillis() < deadline) {
            page.waitForTimeout(100);
        }
        assertThat(OLLAMA.cancelledStreams()).as("the generation was cancelled at Ollama").isEqualTo(1);
        assertThat(page.locator("#ask-button").textContent()).isEqualTo("Ask");
        assertNoConsoleErrors();
    }

    @Test
    void aFollowUpIsAskedWithTheVisitsHistoryAndThePageSaysHowItWasUnderstood() {
        page.navigate(url("/"));

        ask("What is the no-stop limit at 18 m on a first dive on air?");
        awaitAnswer();
        ask("And at 30 m?");
        page.locator(".exchange .understood").waitFor();

        assertThat(page.locator(".exchange").count()).isEqualTo(2);
        assertThat(page.locator(".exchange").first().locator(".understood").textContent())
                .isEqualTo("Understood as: What is the no-stop limit at 30 m on a first dive on air?");
        assertThat(page.locator(".exchange").nth(1).locator(".understood").count()).as("the first question stood alone")
                .isZero();
        awaitAnswer();
        screenshot("ask-follow-up-desktop");
        page.setViewportSize(390, 844);
        screenshot("ask-follow-up-phone");
        assertNoConsoleErrors();
    }

    @Test
    void aQuestionTheDocumentsDoNotAnswerShowsItsOwnStateWithoutSources() {
        page.navigate(url("/"));

        ask("Who won the football world cup in 1998?");

        page.locator(".exchange .not-found").waitFor();
        assertThat(page.locator(".exchange .not-found strong").textContent()).isEqualTo("The documents do not say");
        assertThat(page.locator(".exchange .source").count()).isZero();
        assertThat(OLLAMA.chatCalls()).isZero();
        screenshot("ask-not-found-desktop");
        assertNoConsoleErrors();
    }

    @Test
    void aQuestionOnTheTopicThatThePassagesDoNotAnswerShowsTheClosestPassagesUnderTheirOwnTitle() {
        page.navigate(url("/"));

        ask("What is the no-stop limit at 50 m on air?");

        page.locator(".exchange .not-found").waitFor();
        assertThat(page.locator(".exchange .sources-title").textContent())
                .isEqualTo("Closest passages (they do not answer the question)");
        assertThat(page.locator(".exchange .source").count()).isPositive();
        assertThat(page.locator(".exchange .source .where").first().textContent())
                .contains("no-stop-limits-and-decompression.pdf");
        assertThat(OLLAMA.chatCalls()).isZero();
        screenshot("ask-closest-desktop");
        assertNoConsoleErrors();
    }

    @Test
    void htmlInADocumentAndInAModelAnswerIsShownAsText() {
        OLLAMA.chatOutput(answer -> XSS + " <b>bold</b> " + answer);
        page.navigate(url("/"));

        ask("How often is the first stage of a regulator serviced by a technician?");

        awaitAnswer();
        String shown = page.locator(".exchange .answer-text").textContent();
        assertThat(shown).contains(XSS).contains("<b>bold</b>");
        assertThat(page.locator(".exchange .answer-text img, .exchange .answer-text b").count()).isZero();
        assertThat(page.locator(".exchange .source .excerpt").allTextContents()).anySatisfy(e -> assertThat(e).contains("<img"));
        page.navigate(url("/library?q=img"));
        assertThat(page.locator("td.name").first().textContent()).contains(XSS + ".pdf");
        assertThat(page.locator("main img").count()).isZero();
        assertThat(dialogs).as("no script of a document or an answer ran").isEmpty();
        assertNoConsoleErrors();
    }

    @Test
    void theAdminUploadsAPdfSeesItIngestedAndDeletesIt() throws IOException {
        Path pdf = WORK.resolve("upload-test.pdf");
        TestPdfs.simple(pdf, "Dry Suit Inflation. Connect the Low Pressure Hose before the dive and check the Exhaust Valve.");
        login();

        page.locator("#files").setInputFiles(pdf);

        Locator item = page.locator(".upload-item").first();
        item.locator("progress").waitFor();
        page.locator(".upload-item[data-status=INGESTED]").waitFor();
        assertThat(item.locator(".state").textContent()).isEqualTo("Ingested");
        Locator row = page.locator("tr:has(small.file:text-is('upload-test.pdf'))");
        row.waitFor();
        screenshot("library-admin-desktop");

        row.locator("button.delete").click();
        page.locator("#confirm-delete[open]").waitFor();
        assertThat(page.locator("#confirm-delete-text").textContent()).contains("upload-test.pdf");
        page.locator("#confirm-delete button[value=delete]").click();

        row.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        page.reload();
        assertThat(page.locator("small.file:text-is('upload-test.pdf')").count()).isZero();
        assertNoConsoleErrors();
    }

    @Test
    void theSessionsStateChangingRequestsNeedTheCsrfTokenAndAWrongPasswordIsSaid() {
        page.navigate(url("/login"));
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill("not-the-password");
        page.locator("form.login-form button[type=submit]").click();
        page.locator(".login-form .error").waitFor();
        assertThat(page.locator(".login-form .error").textContent()).isEqualTo("The user name or password is wrong.");
        login();

        int withoutToken = (int) page.evaluate("async () => (await fetch('/api/documents/nothing', {method: 'DELETE'})).status");
        int withToken = (int) page.evaluate("async () => (await fetch('/api/documents/nothing', {method: 'DELETE', headers: "
                + "{[document.querySelector('meta[name=_csrf_header]').content]: document.querySelector('meta[name=_csrf]').content}})).status");

        assertThat(withoutToken).as("a forged request carries the cookie but not the token").isEqualTo(403);
        assertThat(withToken).isEqualTo(204);
        page.locator("form[action='/logout'] button").click();
        page.waitForURL("**/login?logout");
        page.navigate(url("/jobs"));
        assertThat(page.url()).endsWith("/login");
        assertOnlyConsoleErrors("status of 403"); // the browser logs the refused request above
    }

    @Test
    void theSystemPageShowsTheProcessorGreenOnTheGpuAndRedWithTheFixOnTheCpu() {
        page.navigate(url("/system"));
        assertThat(page.locator(".processor").getAttribute("class")).contains("processor-gpu");
        assertThat(page.locator(".processor .big").textContent()).contains("100% GPU");

        OLLAMA.vramShare(0);
        page.locator("button[hx-get]").click();

        page.locator(".processor.processor-cpu").waitFor();
        assertThat(page.locator(".processor .big").textContent()).contains("100% CPU");
        assertThat(page.locator(".processor p").last().textContent()).contains("NVIDIA Container Toolkit");
        assertThat(page.locator(".overall").getAttribute("class")).contains("health-degraded");
        screenshot("system-cpu-desktop");
        assertNoConsoleErrors();
    }

    @Test
    void theLibraryIsSearchedAndFilteredAsTheVisitorTypes() {
        page.navigate(url("/library"));
        int all = page.locator("#documents tbody tr").count();

        page.locator("#library-q").fill("basics"); // "nitrox" is in two titles, one of them French

        page.waitForFunction("() => document.querySelectorAll('#documents tbody tr').length === 1");
        assertThat(page.locator("#documents td.name a").textContent()).isEqualTo("Nitrox Basics");
        page.locator("#library-q").fill("");
        page.locator("#library-status").selectOption("FAILED");
        page.locator("#documents .empty").waitFor();
        assertThat(all).isGreaterThan(1);
        assertNoConsoleErrors();
    }

    @Test
    void anAnonymousVisitorSeesNoAdminControlsAndIsSentToTheLoginForTheAdminPages() {
        page.navigate(url("/library"));

        assertThat(page.locator("#dropzone").count()).isZero();
        assertThat(page.locator("button.delete").count()).isZero();
        assertThat(page.locator("nav a:text-is('Jobs')").count()).isZero();

        page.navigate(url("/jobs"));
        assertThat(page.url()).endsWith("/login");
        int status = (int) page.evaluate("async () => (await fetch('/api/admin/jobs')).status");
        assertThat(status).isEqualTo(401);
        assertOnlyConsoleErrors("status of 401"); // the browser logs the refused request above
    }

    @Test
    void aJobsProgressBarMovesAndReaches100Percent() {
        OLLAMA.chatDelay(600);
        login();
        page.navigate(url("/jobs"));
        page.locator("#definition option[value=manuals]").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));

        Response launched = page.waitForResponse(r -> r.url().endsWith("/api/admin/jobs") && "POST".equals(r.request().method()),
                () -> page.locator("#launch button[type=submit]").click());

        assertThat(launched.status()).isEqualTo(202);
        String id = String.valueOf(((Number) ((Map<?, ?>) page.evaluate("t => JSON.parse(t)", launched.text()))
                .get("execution_id")).longValue());
        Locator bar = page.locator(".execution[data-execution-id='" + id + "'] progress.total");
        bar.waitFor();
        List<Double> values = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            double value = ((Number) bar.evaluate("b => b.value")).doubleValue();
            if (values.isEmpty() || value != values.getLast()) {
                values.add(value);
            }
            if (value >= 100) {
                break;
            }
            page.waitForTimeout(50);
        }
        System.out.println("Job progress bar values as the page showed them: " + values);
        assertThat(values).hasSizeGreaterThanOrEqualTo(3).isSorted();
        assertThat(values.getLast()).isEqualTo(100.0);
        page.locator(".execution[data-execution-id='" + id + "'] .status-COMPLETED").waitFor();
        Locator work = page.locator(".execution[data-execution-id='" + id + "'] .work");
        work.waitFor();
        assertThat(work.textContent()).contains("extracted by the model").contains("slots busy");
        screenshot("jobs-desktop");
        assertNoConsoleErrors();
    }

    @Test
    void graphSearchFindsAnEntityDrawsItsNeighbourhoodAndAPassageOpensItsPage() {
        page.navigate(url("/graph"));
        assertThat(page.locator("#main").getAttribute("data-types").split(","))
                .contains("Equipment", "GasMix").doesNotContain("Chunk", "Document", "Entity");

        page.locator("#entity-q").fill("nitrox");

        page.locator("#entity-results button.entity").first().click();
        page.waitForFunction("() => Number(document.getElementById('graph-canvas').dataset.nodes) > 1");
        assertThat(page.locator("#graph-canvas canvas").count()).isPositive();
        assertThat(page.locator("#graph-legend span").count()).isPositive();
        page.locator("#entity-details .passage").first().waitFor();
        screenshot("graph-neighbourhood-desktop");
        page.setViewportSize(390, 844);
        // Turned to a phone's width, the drawing is fitted again to its new size.
        page.waitForFunction("() => { const c = document.getElementById('graph-canvas');"
                + " return c.clientWidth < 390 && c.dataset.fittedWidth === String(c.clientWidth); }");
        screenshot("graph-neighbourhood-phone");
        page.setViewportSize(1280, 900);

        page.locator("#entity-details .passage").first().click();

        page.waitForFunction("() => { const i = document.getElementById('viewer-image');"
                + " return i.complete && i.naturalWidth > 0; }");
        assertNoConsoleErrors();
    }

    @Test
    void withAcceptLanguageFrenchThePagesAreInFrenchUntilTheVisitorPicksEnglish() {
        visitor("fr-FR", 1280, 900);

        page.navigate(url("/library"));

        assertThat(page.locator("h1").textContent()).isEqualTo("Bibliothèque");
        assertThat(page.locator("nav a.current").textContent()).isEqualTo("Bibliothèque");
        assertThat(page.locator("html").getAttribute("lang")).isEqualTo("fr");
        page.navigate(url("/"));
        assertThat(page.locator("label[for=question]").textContent()).isEqualTo("Votre question");
        screenshot("ask-french-desktop");

        page.locator(".languages a[hreflang=en]").click();
        page.waitForLoadState();
        assertThat(page.locator("label[for=question]").textContent()).isEqualTo("Your question");
        page.navigate(url("/library"));
        assertThat(page.locator("h1").textContent()).as("the choice is remembered").isEqualTo("Library");
        assertNoConsoleErrors();
    }

    @Test
    void everyPageHasAStrictContentSecurityPolicyAndAConsoleWithoutErrorsOnALaptopAndOnAPhone() {
        for (int[] size : new int[][] {{1280, 900}, {390, 844}}) {
            String device = size[0] > 800 ? "desktop" : "phone";
            visitor("en-GB", size[0], size[1]);
            if (size[0] < 800) {
                login();
            }
            List<String> paths = new ArrayList<>(List.of("/", "/library", "/graph", "/system", "/login"));
            if (size[0] < 800) {
                paths.add("/jobs"); // for the admin only: logged in above
            }
            for (String path : paths) {
                Response response = page.navigate(url(path));
                page.waitForLoadState();

                assertThat(response.status()).as(path).isEqualTo(200);
                assertThat(response.headerValue("content-security-policy")).as(path)
                        .contains("script-src 'self'").contains("default-src 'self'").doesNotContain("unsafe");
                if (path.equals("/jobs")) {
                    page.locator(".execution, .executions .empty").first().waitFor();
                }
                String name = (path.equals("/") ? "ask" : path.substring(1)) + "-" + device;
                screenshot(name);
            }
        }
        assertNoConsoleErrors();
    }

    void assertNoConsoleErrors() {
        assertOnlyConsoleErrors();
    }

    /** The console shows exactly these errors (by a part of their text), one each, and nothing else. */
    void assertOnlyConsoleErrors(String... expected) {
        page.waitForTimeout(200);
        assertThat(consoleErrors).as("browser console errors").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(consoleErrors.get(i)).contains(expected[i]);
        }
    }
}
