package io.diveteacher.system;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/health}: HTTP 503 when unhealthy, so load balancers take the instance out. */
@RestController
@Tag(name = "Health")
class HealthController {

    private final HealthCheck health;

    HealthController(HealthCheck health) {
        this.health = health;
    }

    @Operation(summary = "Healthy, degraded or unhealthy (503), with Ollama's processor (GPU or CPU), models and Neo4j")
    @GetMapping("/api/health")
    ResponseEntity<SystemHealth> health() {
        SystemHealth result = health.check();
        return ResponseEntity.status(SystemHealth.UNHEALTHY.equals(result.status()) ? HttpStatus.SERVICE_UNAVAILABLE
                : HttpStatus.OK).body(result);
    }
}
