package io.diveteacher.ingestion;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

import io.diveteacher.document.PdfDocument;
import io.diveteacher.document.SourceFile;
import io.diveteacher.document.UnreadableDocumentException;
import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.StoredDocument;

/**
 * {@code POST /api/upload}: a PDF (checked by its content) is stored in the upload inbox under a cleaned-up name
 * and ingested in the background. The same content uploaded again is recognised by its checksum and not
 * ingested twice. The size limit is Spring's multipart limit ({@code DIVETEACHER_UPLOAD_LIMIT}, 413 beyond it).
 */
@RestController
@Tag(name = "Admin: uploads")
@SecurityRequirement(name = "admin")
class UploadController {

    private static final Logger log = LoggerFactory.getLogger(UploadController.class);
    private static final int LONGEST_NAME = 180;

    private final IngestionProperties properties;
    private final IngestionLauncher launcher;
    private final DocumentCatalog catalog;

    UploadController(IngestionProperties properties, IngestionLauncher launcher, DocumentCatalog catalog) {
        this.properties = properties;
        this.launcher = launcher;
        this.catalog = catalog;
    }

    /** What an upload answers: the document, and the ingestion to watch (none for a duplicate). */
    record Uploaded(String documentId, String file, boolean duplicate, Long executionId, String statusUrl,
            String documentUrl) {
    }

    @Operation(summary = "Upload a PDF (multipart field \"file\") into the inbox and ingest it",
            responses = {
                    @ApiResponse(responseCode = "202", description = "Stored; ingestion started", content = @Content(
                            examples = @ExampleObject(value = """
                                    {"document_id": "383d...", "file": "nitrox-basics.pdf", "duplicate": false,
                                     "execution_id": 12, "status_url": "/api/admin/jobs/12",
                                     "document_url": "/api/documents/383d..."}"""))),
                    @ApiResponse(responseCode = "200", description = "The same content was ingested before (duplicate)"),
                    @ApiResponse(responseCode = "413", description = "Larger than DIVETEACHER_UPLOAD_LIMIT"),
                    @ApiResponse(responseCode = "415", description = "Not a PDF by its content") })
    @PostMapping(path = "/api/upload", consumes = "multipart/form-data")
    ResponseEntity<Uploaded> upload(@RequestParam("file") MultipartFile file) throws Exception {
        if (file.isEmpty()) {
            throw new IllegalArgumentException("the uploaded file is empty");
        }
        Path inbox = Files.createDirectories(properties.inbox()).toRealPath();
        Path temporary = inbox.resolve(".upload-" + UUID.randomUUID() + ".part");
        try {
            try (InputStream in = file.getInputStream()) {
                Files.copy(in, temporary);
            }
            try {
                PdfDocument.checkLooksLikePdf(temporary);
            } catch (UnreadableDocumentException e) {
                throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "only PDF files can be uploaded: "
                        + e.getMessage());
            }
            String checksum = SourceFile.read(temporary).checksum();
            Optional<StoredDocument> same = catalog.withChecksum(checksum).stream()
                    .filter(d -> d.status() != null && d.status().complete()).findFirst();
            if (same.isPresent()) {
                StoredDocument existing = same.get();
                log.info("Upload {} has the content of {}: not ingested again", file.getOriginalFilename(), existing.path());
                return ResponseEntity.ok(new Uploaded(existing.id(), existing.name(), true, null, null,
                        "/api/documents/" + existing.id()));
            }
            Path target = place(inbox, sanitise(file.getOriginalFilename()), checksum);
            if (!Files.exists(target)) {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
            String documentId = DiscoverTasklet.documentId(target);
            JobExecution execution;
            try {
                execution = launcher.start(IngestionRequest.ofPaths(List.of(target.toString()), java.time.Duration.ZERO));
            } catch (IngestionLauncher.AlreadyRunningException e) {
                // The same file is being ingested already: watch that run.
                return ResponseEntity.accepted().body(new Uploaded(documentId, target.getFileName().toString(), false,
                        e.executionId(), "/api/admin/jobs/" + e.executionId(), "/api/documents/" + documentId));
            }
            log.info("Upload stored as {}; ingestion execution {}", target, execution.getId());
            String statusUrl = "/api/admin/jobs/" + execution.getId();
            return ResponseEntity.accepted().location(URI.create(statusUrl)).body(new Uploaded(documentId,
                    target.getFileName().toString(), false, execution.getId(), statusUrl, "/api/documents/" + documentId));
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * A file name without any path part or control character, unicode kept, ending in .pdf; never hidden, never
     * longer than {@value #LONGEST_NAME} characters.
     */
    static String sanitise(String original) {
        String name = original == null ? "" : original;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = Normalizer.normalize(name, Normalizer.Form.NFC).replaceAll("[\\p{Cntrl}\\p{Cf}:*?\"<>|]", "").strip();
        name = name.replaceFirst("^\\.+", "").strip();
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf")) {
            name = name + ".pdf";
        }
        if (name.equals(".pdf")) {
            name = "upload.pdf";
        }
        if (name.length() > LONGEST_NAME) {
            name = name.substring(0, LONGEST_NAME - 4) + ".pdf";
        }
        return name;
    }

    /** The inbox path for a name: taken by a file of other content, it becomes "name (2).pdf" and so on. */
    private static Path place(Path inbox, String name, String checksum) throws IOException {
        String stem = name.substring(0, name.length() - 4);
        for (int n = 1; ; n++) {
            Path candidate = inbox.resolve(n == 1 ? name : stem + " (" + n + ").pdf");
            if (!Files.exists(candidate) || SourceFile.read(candidate).checksum().equals(checksum)) {
                return candidate;
            }
        }
    }
}
