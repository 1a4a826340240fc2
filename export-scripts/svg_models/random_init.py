"""Seeded random weights for untrained model sets and full-size export rehearsals.

Why: PyTorch's default init leaves tokens and positional embeddings at zero and norms at identity, so a
graph with default weights would not exercise all of its arithmetic. This follows the recipe the
reference fixtures use (matrices N(0, 1/fan_in), norm weights 1 + 0.1 N, biases 0.1 N, LayerScale
0.5 + 0.2 N, tokens / embeddings 0.5 N); frozen tables (the DiT's sin-cos positions) and buffers are kept.
"""
import torch
from torch import nn


@torch.no_grad()
def randomize_weights(model: nn.Module, seed: int) -> nn.Module:
    gen = torch.Generator().manual_seed(seed)
    for module in model.modules():
        for name, param in module.named_parameters(recurse=False):
            if not param.requires_grad:
                continue
            noise = torch.randn(param.shape, generator=gen)
            if name.endswith("bias"):
                value = 0.1 * noise
            elif name == "gamma":  # LayerScale
                value = 0.5 + 0.2 * noise
            elif isinstance(module, (nn.LayerNorm, nn.GroupNorm)):
                value = 1 + 0.1 * noise
            elif name.endswith("weight") and not isinstance(module, nn.Embedding):
                value = noise / param[0].numel() ** 0.5
            else:  # class / storage / mask tokens, positional and label embeddings
                value = 0.5 * noise
            param.copy_(value)
    return model.eval()
