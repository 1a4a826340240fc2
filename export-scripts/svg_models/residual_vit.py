"""SVG's residual encoder: a small torchvision-layout VisionTransformer adding 8 detail channels.

Why this file: the official model is torchvision's VisionTransformer with a replaced head and a custom
forward (`create_small_vit_s` / `forward_custom`: patch embedding, class token, encoder, drop the class
token, head, transpose). This re-implements exactly that eval forward with explicit attention instead of
nn.MultiheadAttention, keeping torchvision's state-dict keys (`conv_proj.*`, `class_token`,
`encoder.pos_embedding`, `encoder.layers.encoder_layer_N.{ln_1,self_attention.in_proj_*,
self_attention.out_proj,ln_2,mlp.0,mlp.3}`, `encoder.ln.*`, `heads.0`, `heads.2`).
Output is raw (before SVG's distribution alignment, which needs batch statistics and runs outside).
"""
from collections import OrderedDict
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .layers import attention, prepend_tokens, static_shape


@dataclass(frozen=True)
class ResidualViTConfig:
    image_size: int = 256
    patch_size: int = 16
    num_layers: int = 6
    num_heads: int = 8
    hidden_dim: int = 384
    mlp_dim: int = 1536
    output_dim: int = 8
    norm_eps: float = 1e-6

    @property
    def grid(self) -> int:
        return self.image_size // self.patch_size

    @classmethod
    def svg(cls) -> "ResidualViTConfig":
        return cls()

    @classmethod
    def from_fixture_config(cls, config: dict) -> "ResidualViTConfig":
        """From residual_vit_state_dict_config.json (torchvision vit_kwargs plus the head's output_dim)."""
        kw = config["vit_kwargs"]
        return cls(
            image_size=kw["image_size"],
            patch_size=kw["patch_size"],
            num_layers=kw["num_layers"],
            num_heads=kw["num_heads"],
            hidden_dim=kw["hidden_dim"],
            mlp_dim=kw["mlp_dim"],
            output_dim=config["output_dim"],
            norm_eps=config.get("layernorm_eps", 1e-6),
        )

    @classmethod
    def from_dict(cls, config: dict) -> "ResidualViTConfig":
        return cls(**config)

    def to_dict(self) -> dict:
        return asdict(self)


class SelfAttention(nn.Module):
    """nn.MultiheadAttention's parameters (packed in-projection, out_proj) with an explicit forward."""

    def __init__(self, dim: int, num_heads: int):
        super().__init__()
        self.num_heads = num_heads
        self.in_proj_weight = nn.Parameter(torch.zeros(3 * dim, dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * dim))
        self.out_proj = nn.Linear(dim, dim)

    def forward(self, x: Tensor) -> Tensor:
        _, n, dim = static_shape(x)  # x: [B, n, D]
        qkv = F.linear(x, self.in_proj_weight, self.in_proj_bias)  # [B, n, 3D]
        qkv = qkv.reshape(-1, n, 3, self.num_heads, dim // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)  # [B, heads, n, D/heads]
        return self.out_proj(attention(q, k, v).transpose(1, 2).reshape(-1, n, dim))


class EncoderBlock(nn.Module):
    def __init__(self, cfg: ResidualViTConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.hidden_dim, eps=cfg.norm_eps)
        self.self_attention = SelfAttention(cfg.hidden_dim, cfg.num_heads)
        self.ln_2 = nn.LayerNorm(cfg.hidden_dim, eps=cfg.norm_eps)
        # torchvision's MLPBlock: Linear, GELU, Dropout, Linear (dropouts are inactive in eval)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.hidden_dim, cfg.mlp_dim), nn.GELU(), nn.Identity(), nn.Linear(cfg.mlp_dim, cfg.hidden_dim)
        )

    def forward(self, x: Tensor) -> Tensor:
        x = x + self.self_attention(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Encoder(nn.Module):
    def __init__(self, cfg: ResidualViTConfig):
        super().__init__()
        self.pos_embedding = nn.Parameter(torch.zeros(1, cfg.grid**2 + 1, cfg.hidden_dim))
        self.layers = nn.Sequential(OrderedDict((f"encoder_layer_{i}", EncoderBlock(cfg)) for i in range(cfg.num_layers)))
        self.ln = nn.LayerNorm(cfg.hidden_dim, eps=cfg.norm_eps)

    def forward(self, x: Tensor) -> Tensor:  # [B, 1+N, D]
        return self.ln(self.layers(x + self.pos_embedding))


class ResidualViT(nn.Module):
    def __init__(self, cfg: ResidualViTConfig):
        super().__init__()
        self.config = cfg
        dim = cfg.hidden_dim
        self.conv_proj = nn.Conv2d(3, dim, kernel_size=cfg.patch_size, stride=cfg.patch_size)
        self.class_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.encoder = Encoder(cfg)
        self.heads = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.Linear(dim, cfg.output_dim))

    def forward(self, pixels: Tensor) -> Tensor:
        """pixels [B, 3, S, S] (S = image_size, ImageNet-normalised) -> residual [B, output_dim, N]."""
        if static_shape(pixels)[1:] != (3, self.config.image_size, self.config.image_size):
            raise ValueError(f"expected images of {self.config.image_size}x{self.config.image_size}")
        x = self.conv_proj(pixels)  # [B, D, g, g]
        _, dim, h, w = static_shape(x)
        x = x.reshape(-1, dim, h * w).transpose(1, 2)  # [B, N, D]
        x = prepend_tokens(x, self.class_token)  # [B, 1+N, D]
        x = self.heads(self.encoder(x)[:, 1:])  # [B, N, output_dim]
        return x.transpose(1, 2)
