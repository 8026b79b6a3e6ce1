package io.diveteacher;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Keeps the module table of DESIGN.md true: a new dependency between modules is a decision, not an accident. */
class ModularityTests {

    @Test
    void modulesOnlyDependOnWhatTheDesignAllows() {
        ApplicationModules.of(DiveTeacherApplication.class).verify();
    }
}
