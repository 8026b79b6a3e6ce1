package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadNamesTests {

    @Test
    void pathPartsControlCharactersAndLeadingDotsGoUnicodeStays() {
        assertThat(UploadController.sanitise("../../etc/passwd")).isEqualTo("passwd.pdf");
        assertThat(UploadController.sanitise("C:\\Users\\me\\Übungen für Taucher.pdf")).isEqualTo("Übungen für Taucher.pdf");
        assertThat(UploadController.sanitise("..hidden.PDF")).isEqualTo("hidden.PDF");
        assertThat(UploadController.sanitise("a\u0000b\u202Ec:*?\"<>|.pdf")).isEqualTo("abc.pdf");
        assertThat(UploadController.sanitise("潜水手册.pdf")).isEqualTo("潜水手册.pdf");
        assertThat(UploadController.sanitise(null)).isEqualTo("upload.pdf");
        assertThat(UploadController.sanitise("/")).isEqualTo("upload.pdf");
        assertThat(UploadController.sanitise("x".repeat(500) + ".pdf")).hasSize(180).endsWith(".pdf");
    }
}
