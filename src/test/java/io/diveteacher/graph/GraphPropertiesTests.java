package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class GraphPropertiesTests {

    @Test
    void theEmbeddedStoreCacheHoldsAHundredThousandChunkLibraryByDefaultAndTakesASize() {
        assertThat(bind(Map.of()).embeddedStoreCache()).isEqualTo(DataSize.ofMegabytes(512));
        assertThat(new GraphProperties(null, "neo4j", null, null, null, 1, null, 1, 1, null).embeddedStoreCache())
                .isEqualTo(DataSize.ofMegabytes(512));
        assertThat(bind(Map.of("diveteacher.neo4j.embedded-store-cache", "2GB")).embeddedStoreCache())
                .isEqualTo(DataSize.ofGigabytes(2));
    }

    @Test
    void anEmbeddedStoreCacheTooSmallToWorkIsRefusedWithItsName() {
        assertThatThrownBy(() -> bind(Map.of("diveteacher.neo4j.embedded-store-cache", "1MB")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessage("DIVETEACHER_EMBEDDED_STORE_CACHE must be at least 8MB, was 1MB");
    }

    private static GraphProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("diveteacher.neo4j", GraphProperties.class);
    }
}
