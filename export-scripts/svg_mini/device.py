"""Running the SVG-Mini stages on a CUDA device as well as on the CPU.

Why this file: svg_models computes DINOv3's RoPE tables in NumPy (so an exported graph holds them as
constants), which gives CPU tensors; on CUDA they must follow the model. `place` moves a module and makes its
RoPE tables follow it, without changing the state dict or the exported graph (on the CPU nothing changes).
"""
import torch
from torch import nn

from svg_models.dinov3 import RopeEmbedding


def place(module: nn.Module, device: str | torch.device) -> nn.Module:
    module.to(device)
    if torch.device(device).type == "cpu":
        return module
    for m in module.modules():
        if isinstance(m, RopeEmbedding) and "forward" not in vars(m):
            def forward(h: int, w: int, rope: RopeEmbedding = m):
                sin, cos = RopeEmbedding.forward(rope, h, w)
                return sin.to(rope.periods.device), cos.to(rope.periods.device)
            m.forward = forward
    return module


def generator(device: str | torch.device, seed: int) -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)
