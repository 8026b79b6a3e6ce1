package io.diveteacher.system;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/health}: HTTP 503 when unhealthy, so load balancers take the instance out. */
@RestController
class HealthController {

    private final HealthCheck health;

    HealthController(HealthCheck health) {
        this.health = health;
    }

    @GetMapping("/api/health")
    ResponseEntity<SystemHealth> health() {
        SystemHealth result = health.check();
        return ResponseEntity.status(SystemHealth.UNHEALTHY.equals(result.status()) ? HttpStatus.SERVICE_UNAVAILABLE
                : HttpStatus.OK).body(result);
    }
}
