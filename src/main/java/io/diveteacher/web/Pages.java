package io.diveteacher.web;


import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.diveteacher.graph.GraphQueries;
import io.diveteacher.question.QuestionAnswering;
import io.diveteacher.system.HealthCheck;

/**
 * The pages whose content the browser fetches from the API as it goes (asking, jobs, the graph), the system page
 * and the login form. The library, which is rendered here and paged with htmx, has its own controller.
 */
@Controller
class Pages {

    private final HealthCheck health;
    private final GraphQueries graph;
    private final QuestionAnswering answering;

    Pages(HealthCheck health, GraphQueries graph, QuestionAnswering answering) {
        this.health = health;
        this.graph = graph;
        this.answering = answering;
    }

    @GetMapping("/")
    String ask() {
        return "ask";
    }

    @GetMapping("/jobs")
    String jobs() {
        return "jobs";
    }

    @GetMapping("/graph")
    String graph(Model model) {
        // The legend's colours follow the graph's own types, so any ontology gets distinct colours.
        model.addAttribute("entityTypes", graph.entityTypes());
        return "graph";
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/system")
    String system(Model model) {
        status(model);
        return "system";
    }

    /** The status part of the system page alone, for its refresh button. */
    @GetMapping("/system/status")
    String systemStatus(Model model) {
        status(model);
        return "system :: status";
    }

    private void status(Model model) {
        var healthNow = health.check();
        model.addAttribute("health", healthNow);
        model.addAttribute("stats", healthNow.neo4j().reachable() ? graph.stats() : null);
        model.addAttribute("answers", answering.recentAnswers());
    }

}
