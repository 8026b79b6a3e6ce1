package io.diveteacher.inference;

import java.util.List;

/** Text embeddings, several texts per call. */
public interface Embeddings {

    List<float[]> embed(List<String> texts);

    String model();

    int dimensions();
}
