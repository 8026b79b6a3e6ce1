package io.diveteacher.system;

import java.io.IOException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A worker ({@code java -jar diveteacher.jar worker}) serves Actuator alone (health for its orchestrator, metrics
 * for Prometheus): no API, no pages. Everything else is 404 before security or MVC see it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "diveteacher.ingestion.worker", havingValue = "true")
class WorkerEndpoints {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> actuatorOnly() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String path = request.getRequestURI().substring(request.getContextPath().length());
                if (path.equals("/actuator") || path.startsWith("/actuator/")) {
                    chain.doFilter(request, response);
                    return;
                }
                response.setStatus(HttpStatus.NOT_FOUND.value());
                response.setContentType("application/problem+json");
                response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"this is a DiveTeacher worker: it serves /actuator only\"}");
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
