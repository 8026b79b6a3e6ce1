package io.diveteacher.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentStatus;

/**
 * {@code /library}: the documents a page at a time, filtered by status and searched by name. The table alone is
 * served at {@code /library/documents} for htmx to swap in as the filters change.
 */
@Controller
class LibraryPage {

    static final int PAGE_SIZE = 20;
    private static final int LONGEST_SEARCH = 100;

    private final DocumentCatalog catalog;

    LibraryPage(DocumentCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/library")
    String library(@RequestParam(defaultValue = "0") int page, @RequestParam(required = false) String status,
            @RequestParam(required = false) String q, Model model) {
        documents(page, status, q, model);
        return "library";
    }

    @GetMapping("/library/documents")
    String documents(@RequestParam(defaultValue = "0") int page, @RequestParam(required = false) String status,
            @RequestParam(required = false) String q, Model model) {
        DocumentStatus filter = DocumentStatus.STORED.stream().filter(s -> s.name().equals(status)).findFirst()
                .orElse(null);
        String search = q == null ? "" : q.strip();
        if (search.length() > LONGEST_SEARCH) {
            search = search.substring(0, LONGEST_SEARCH);
        }
        long total = catalog.count(filter, search);
        int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        int current = Math.max(0, Math.min(page, pages - 1));
        model.addAttribute("documents", catalog.page(current, PAGE_SIZE, filter, search));
        model.addAttribute("total", total);
        model.addAttribute("page", current);
        model.addAttribute("pages", pages);
        model.addAttribute("status", filter);
        model.addAttribute("q", search);
        model.addAttribute("statuses", DocumentStatus.STORED);
        return "library :: documents";
    }
}
