package io.diveteacher.inference;

/**
 * The in-process fallback embedding model. Implemented only in the local build (it ships ONNX Runtime
 * and a model inside a jar); the production build has no bean of this type and never falls back.
 */
interface LocalModels {

    Embeddings embeddings();
}
