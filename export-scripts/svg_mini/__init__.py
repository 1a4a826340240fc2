"""SVG-Mini: the whole SVG recipe at a size a 2-core CPU trains in about an hour, on emoji artwork.

Stages (each resumable, each seeded): data -> ssl (DINO-style self-distillation of our DINOv3-family ViT)
-> autoencoder (residual ViT + decoder on the frozen encoder) -> latents (+ per-channel statistics) ->
flow (rectified-flow DiT) -> export (public/models/svg-mini). See export-scripts/README.md.
"""
