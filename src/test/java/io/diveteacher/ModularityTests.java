package io.diveteacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Keeps the module table of docs/ARCHITECTURE.md true: a new dependency between modules is a decision, not an
 * accident. Also writes the module diagrams and canvases to target/spring-modulith-docs for that page's readers.
 */
class ModularityTests {

    private static final ApplicationModules MODULES = ApplicationModules.of(DiveTeacherApplication.class);

    @Test
    void modulesOnlyDependOnWhatTheDesignAllows() {
        MODULES.verify();
    }

    @Test
    void theModuleDiagramsAndCanvasesAreWrittenForEveryModule() throws Exception {
        Path docs = Path.of("target", "spring-modulith-docs");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(docs.toString())).writeDocumentation();

        String overview = Files.readString(docs.resolve("components.puml"));
        for (ApplicationModule module : MODULES) {
            assertThat(overview).contains(module.getDisplayName());
            assertThat(docs.resolve("module-" + module.getIdentifier() + ".puml")).isNotEmptyFile();
            assertThat(docs.resolve("module-" + module.getIdentifier() + ".adoc")).isNotEmptyFile();
        }
        assertThat(MODULES.stream().map(m -> m.getIdentifier().toString()))
                .contains("document", "inference", "extraction", "graph", "ingestion", "question", "command", "web");
    }
}
