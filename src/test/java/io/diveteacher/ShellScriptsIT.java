package io.diveteacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every shell script of the repository passes shellcheck (CI installs it; without it this is skipped). */
class ShellScriptsIT {

    @Test
    void everyShellScriptIsCleanUnderShellcheck() throws Exception {
        assumeTrue(ComposeFilesIT.onPath("shellcheck"), "shellcheck is not installed (.ci/run installs it)");
        List<String> scripts = new ArrayList<>(List.of(".ci/run", "mvnw"));
        for (Path folder : List.of(Path.of("docker"), Path.of("src/test/resources/fake-bin"))) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(ShellScriptsIT::isShellScript).map(Path::toString).sorted().forEach(scripts::add);
            }
        }
        assertThat(scripts).contains("docker/verify-deployment.sh", "src/test/resources/fake-bin/docker");
        List<String> command = new ArrayList<>(List.of("shellcheck", "--severity=style"));
        command.addAll(scripts);

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static boolean isShellScript(Path file) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).startsWith("#!/usr/bin/env bash");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
