"""Building blocks shared by the SVG networks, in export-friendly form.

Why: torch 1.13 has no scaled_dot_product_attention and cannot export LayerNorm(elementwise_affine=False)
at opset 17; a traced `x.shape` turns into Shape/Gather/Concat chains in the ONNX graph; and tables computed
with torch ops stay in the graph as Sin/Cos nodes (the exporter does not fold them). These helpers give the
same arithmetic with plain MatMul/Softmax/LayerNormalization nodes, shapes baked in as constants (only the
batch axis stays dynamic, always written as -1) and position tables baked in as initializers.
"""
import math
import warnings
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn


@contextmanager
def _read_as_constant():
    """Reading values out of a tensor makes them constants of a trace, which is what we want here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        yield


def static_shape(x: Tensor) -> tuple[int, ...]:
    """The shape as plain ints. Models are exported for one image size, so every axis but batch is fixed."""
    with _read_as_constant():
        return tuple(int(d) for d in x.shape)


def constant_values(x: Tensor) -> np.ndarray:
    """A tensor's current values; whatever is computed from them is a constant in an ONNX trace."""
    with _read_as_constant():
        return x.detach().cpu().numpy()


def prepend_tokens(tokens: Tensor, prefix: Tensor) -> Tensor:
    """cat([prefix expanded over the batch, tokens], dim=1) for tokens [B, N, D], prefix [1, P, D].

    Written as zero-padding plus a constant-shaped addition (both exact), so the graph needs no
    Shape/Expand on the batch size and shape inference keeps every other axis static.
    """
    n, dim = static_shape(tokens)[1:]
    padded = F.pad(tokens, (0, 0, prefix.shape[1], 0))  # [B, P+N, D], zeros in front
    return padded + torch.cat([prefix, prefix.new_zeros(1, n, dim)], dim=1)


def attention(q: Tensor, k: Tensor, v: Tensor) -> Tensor:
    """softmax(q k^T / sqrt(d)) v, no mask; q, k, v: [B, heads, N, d] -> [B, heads, N, d]."""
    scores = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(static_shape(q)[-1]))  # [B, heads, N, N]
    return torch.matmul(scores.softmax(dim=-1), v)


class PlainLayerNorm(nn.Module):
    """LayerNorm without learned affine (nothing in the state dict), exported as LayerNormalization."""

    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.register_buffer("one", torch.ones(dim), persistent=False)
        self.register_buffer("zero", torch.zeros(dim), persistent=False)

    def forward(self, x: Tensor) -> Tensor:  # [..., dim]
        return F.layer_norm(x, self.one.shape, self.one, self.zero, self.eps)
