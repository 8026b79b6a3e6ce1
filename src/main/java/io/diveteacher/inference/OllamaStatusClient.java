package io.diveteacher.inference;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks Ollama how it is: version, installed models and, from {@code /api/ps}, whether the generation model
 * runs on the GPU. Used by the start-up probe and by the health checks. Spring AI's client has no {@code /api/ps}, so these three reads are plain HTTP, each
 * bounded by the probe timeout so a hung server cannot hang a health check.
 */
@Component
public class OllamaStatusClient {

    private final InferenceProperties properties;
    private final HttpClient client;

    OllamaStatusClient(InferenceProperties properties) {
        this.properties = properties;
        this.client = HttpClient.newBuilder().connectTimeout(properties.probeTimeout()).build();
    }

    public OllamaStatus status() {
        String url = properties.baseUrl().replaceAll("/+$", "");
        Map<String, Boolean> present = new LinkedHashMap<>();
        present.put(properties.chatModel(), false);
        present.put(properties.embeddingModel(), false);
        Map<String, String> digests = new LinkedHashMap<>();
        try {
            String version = get(url + "/api/version").path("version").asString(null);
            for (JsonNode model : get(url + "/api/tags").path("models")) {
                String name = canonical(model.path("name").asString(""));
                present.replaceAll((wanted, found) -> found || canonical(wanted).equals(name));
                for (String wanted : present.keySet()) {
                    if (canonical(wanted).equals(name)) {
                        digests.put(wanted, model.path("digest").asString(""));
                    }
                }
            }
            String processor = "not loaded";
            for (JsonNode running : get(url + "/api/ps").path("models")) {
                if (canonical(running.path("name").asString("")).equals(canonical(properties.chatModel()))) {
                    processor = processor(running.path("size").asLong(0), running.path("size_vram").asLong(0));
                }
            }
            return new OllamaStatus(url, true, version, present, processor, null, digests);
        } catch (IOException | RuntimeException e) {
            return new OllamaStatus(url, false, null, present, null, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OllamaStatus(url, false, null, present, null, "interrupted");
        }
    }

    /** Model names as Ollama compares them: case-insensitive, ":latest" when no tag is given. */
    static String canonical(String model) {
        String name = model.toLowerCase(Locale.ROOT).strip();
        return name.contains(":") ? name : name + ":latest";
    }

    /** The PROCESSOR column of {@code ollama ps}: the share of the model held in CPU memory and in VRAM. */
    static String processor(long size, long sizeVram) {
        if (size <= 0 || sizeVram >= size) {
            return "100% GPU";
        }
        if (sizeVram <= 0) {
            return "100% CPU";
        }
        long cpu = Math.round((double) (size - sizeVram) / size * 100);
        return cpu + "%/" + (100 - cpu) + "% CPU/GPU";
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(properties.probeTimeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return JsonMapper.shared().readTree(response.body());
    }
}
