"""Names of the files tests/fixtures/make_models.py writes, by what the tests use them for."""

GOOD = {
    "xgboost-json": "xgb_breast_cancer.json",
    "xgboost-ubj": "xgb_breast_cancer.ubj",
    "xgboost-binary": "xgb_breast_cancer.bin",
    "onnx-mlp": "mlp.onnx",
    "torchscript-mlp": "mlp.pt",
    "gguf": "tiny_llama.gguf",
}

# file -> (framework passed on upload or None to detect, a phrase the 400's message must contain)
BAD = {
    "random.bin": (None, "could not detect the model format"),
    "tiny_llama_truncated.gguf": ("gguf", "truncated"),
    "opset9999.onnx": ("onnx", "9999"),
    "state_dict.pt": (None, "torch.save checkpoint"),
}
