"""PyTorch re-implementations of the four SVG networks, written for ONNX export.

Each module loads the official state-dict keys with strict=True and reproduces the official arithmetic
(checked against shared/fixtures/reference), while avoiding what torch 1.13's ONNX exporter or
onnxruntime-web handle badly: fused attention, no-affine LayerNorm, data-dependent shapes.
"""
