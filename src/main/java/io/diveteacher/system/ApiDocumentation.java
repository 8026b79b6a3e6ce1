package io.diveteacher.system;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;

/** The OpenAPI description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui/index.html}). */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String ADMIN = "admin";

    @Bean
    OpenAPI diveTeacherApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info().title("DiveTeacher API")
                        .version(properties == null ? "development" : properties.getVersion())
                        .description("""
                                Questions answered from a knowledge graph of PDF manuals, with citations of document and \
                                page; the document catalogue; ingestion jobs. Endpoints marked with the admin lock need \
                                HTTP Basic credentials (ADMIN_USERNAME, ADMIN_PASSWORD); the others are open and \
                                rate-limited per client. Errors are RFC 9457 problem details.""")
                        .license(new License().name("Apache-2.0")))
                .components(new Components().addSecuritySchemes(ADMIN,
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("The admin: ADMIN_USERNAME and ADMIN_PASSWORD")));
    }
}
