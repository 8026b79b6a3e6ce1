package io.diveteacher.graph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.diveteacher.document.PageImage;
import io.diveteacher.document.PdfDocument;
import io.diveteacher.document.UnreadableDocumentException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A document's pages as images, with a cited passage marked on them, and the PDF itself: what a reader opens from a
 * citation. Both read the file the document was ingested from; when it is gone (or changed), they say so (410).
 */
@RestController
@Tag(name = "Documents and graph")
class DocumentFilesController {

    static final String HIGHLIGHTS_HEADER = "X-Highlight-Boxes";
    static final String AREA_HEADER = "X-Highlight-Area";
    private static final int DEFAULT_DPI = 110;
    private static final int MAX_DPI = 200;
    private static final int MIN_DPI = 36;
    private static final int MAX_HIGHLIGHT = 2000;

    private final DocumentCatalog catalog;
    private final PageImageCache cache;

    DocumentFilesController(DocumentCatalog catalog, PageImageCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    @Operation(summary = "A page as PNG, the passage given in 'highlight' marked by translucent boxes",
            description = "dpi 36 to 200 (default 110). The header " + HIGHLIGHTS_HEADER + " says how many boxes were "
                    + "drawn (0 when the passage is not on this page), " + AREA_HEADER + " where, as x,y,width,height "
                    + "shares of the page from its top left. 404 for an unknown document or page, 410 when the "
                    + "file is no longer where it was ingested from.")
    @GetMapping("/api/documents/{id}/pages/{page}/image")
    ResponseEntity<byte[]> page(@PathVariable String id, @PathVariable int page,
            @RequestParam(defaultValue = "" + DEFAULT_DPI)
            @Min(value = MIN_DPI, message = "dpi must be between {value} and " + MAX_DPI + ", was ${validatedValue}")
            @Max(value = MAX_DPI, message = "dpi must be between " + MIN_DPI + " and {value}, was ${validatedValue}") int dpi,
            @Parameter(description = "text of the passage to mark, e.g. a source's excerpt (at most 2,000 characters)")
            @RequestParam(required = false)
            @Size(max = MAX_HIGHLIGHT, message = "highlight is ${validatedValue.length()} characters; at most {max}")
            String highlight) {
        StoredDocument document = document(id);
        if (document.pages() != null && (page < 1 || page > document.pages())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "page " + page + " is not in " + document.name()
                    + ": it has " + document.pages() + " page(s)");
        }
        String key = PageImageCache.key(document.checksum(), page, dpi, highlight);
        PageImage image = cache.find(key).orElseGet(() -> {
            PageImage rendered = render(document, page, dpi, highlight);
            cache.put(key, rendered);
            return rendered;
        });
        var response = ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)))
                .header(HIGHLIGHTS_HEADER, String.valueOf(image.highlights()));
        if (image.area() != null) {
            var area = image.area();
            response.header(AREA_HEADER, String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f", area.getX(),
                    area.getY(), area.getWidth(), area.getHeight()));
        }
        return response.body(image.png());
    }

    @Operation(summary = "The PDF itself, as it was ingested (open it at a page with #page=N)",
            description = "410 when the file is no longer where it was ingested from, or has changed since.")
    @GetMapping("/api/documents/{id}/file")
    ResponseEntity<Resource> file(@PathVariable String id) {
        StoredDocument document = document(id);
        Path file = source(document);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                        .filename(document.name(), StandardCharsets.UTF_8).build().toString())
                .body(new FileSystemResource(file));
    }

    private PageImage render(StoredDocument document, int page, int dpi, String highlight) {
        Path file = source(document);
        try (PdfDocument pdf = PdfDocument.open(file)) {
            return pdf.render(page, dpi, highlight);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage() + " (" + document.name() + ")");
        } catch (UnreadableDocumentException e) {
            throw new ResponseStatusException(HttpStatus.GONE, document.name() + " can no longer be read: " + e.getMessage());
        }
    }

    private StoredDocument document(String id) {
        return catalog.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no document with id " + id + " (GET /api/documents lists them)"));
    }

    /** The file the document was ingested from, as long as it is still there and the same size. */
    private static Path source(StoredDocument document) {
        if (document.path() == null) {
            throw new ResponseStatusException(HttpStatus.GONE, document.name() + " has no file on record");
        }
        Path file = Path.of(document.path());
        try {
            if (!Files.isRegularFile(file)) {
                throw new ResponseStatusException(HttpStatus.GONE, document.name() + " is no longer at " + file
                        + ", where it was ingested from; put it back or ingest it from where it is now");
            }
            if (document.size() > 0 && Files.size(file) != document.size()) {
                throw new ResponseStatusException(HttpStatus.GONE, document.name() + " has changed since it was ingested"
                        + "; ingest it again to show its pages");
            }
        } catch (IOException e) {
            throw new ResponseStatusException(HttpStatus.GONE, document.name() + " cannot be read at " + file + ": "
                    + e.getMessage());
        }
        return file;
    }
}
