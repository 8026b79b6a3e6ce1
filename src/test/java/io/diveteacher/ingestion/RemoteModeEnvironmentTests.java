package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RemoteModeEnvironmentTests {

    private static final String POSTGRES = "jdbc:postgresql://db:5432/diveteacher";
    private static final String H2 = "jdbc:h2:file:./data/batch/jobs";

    @Test
    void localModeNeedsNothingShared() {
        assertThatCode(() -> RemoteModeEnvironment.check("local", false, H2, "", "")).doesNotThrowAnyException();
        assertThatCode(() -> RemoteModeEnvironment.check("LOCAL", false, H2, "", "")).doesNotThrowAnyException();
    }

    @Test
    void remoteModeWithTheEmbeddedJobRepositoryIsRefusedSayingASharedDatabaseIsNeeded() {
        assertThatThrownBy(() -> RemoteModeEnvironment.check("remote", false, H2, "bolt://graph:7687", ""))
                .hasMessageContaining("needs a job repository that the manager and every worker share")
                .hasMessageContaining("SPRING_DATASOURCE_URL");
        assertThatThrownBy(() -> RemoteModeEnvironment.check("remote", true, H2, "bolt://graph:7687", ""))
                .hasMessageStartingWith("a worker needs a job repository");
    }

    @Test
    void aWorkerNeedsAGraphServerAndAManagerWithTheEmbeddedGraphNeedsItsBoltAddress() {
        assertThatThrownBy(() -> RemoteModeEnvironment.check("remote", true, POSTGRES, "", ""))
                .hasMessageContaining("set NEO4J_URI");
        assertThatThrownBy(() -> RemoteModeEnvironment.check("remote", false, POSTGRES, "", ""))
                .hasMessageContaining("DIVETEACHER_EMBEDDED_BOLT");
        assertThatCode(() -> RemoteModeEnvironment.check("remote", false, POSTGRES, "", "0.0.0.0:7687"))
                .doesNotThrowAnyException();
        assertThatCode(() -> RemoteModeEnvironment.check("remote", true, POSTGRES, "bolt://manager:7687", ""))
                .doesNotThrowAnyException();
    }

    @Test
    void anUnknownModeIsNamed() {
        assertThatThrownBy(() -> RemoteModeEnvironment.check("distributed", false, POSTGRES, "", ""))
                .hasMessage("DIVETEACHER_INGESTION_MODE must be local or remote, was 'distributed'");
    }
}
