package io.diveteacher.inference;

/** A non-streamed chat answer; {@code finishReason} is Ollama's done_reason ({@code stop}, {@code length}, ...). */
public record ChatReply(String content, String finishReason) {

    public boolean truncated() {
        return "length".equalsIgnoreCase(finishReason);
    }
}
