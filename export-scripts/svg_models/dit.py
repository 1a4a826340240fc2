"""SVG's diffusion transformer (`models_SVG.DiT`): velocity field on standardised latent tokens.

Why this file: the official DiT hard-codes 256 tokens, relies on timm's Mlp, SDPA and no-affine LayerNorms
that torch 1.13 cannot export at opset 17. This keeps its keys (`ln1`, `pos_embed`, `t_embedder.mlp.0/2`,
`y_embedder.embedding_table`, `blocks.N.{attn.qkv,attn.q_norm,attn.k_norm,attn.proj,mlp.fc1,mlp.fc2,
adaLN_modulation.1}`, `final_layer.{linear,adaLN_modulation.1}`) and arithmetic, and takes the token grid
from the config: the fixed 2-D sin-cos table is built for any h x w grid (16 x 16 reproduces the official
table); a loaded `pos_embed` (a frozen parameter in the checkpoints) replaces the built one.
Time t runs from 0 (noise) to 1 (data) and is embedded unscaled.
"""
import math
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .layers import PlainLayerNorm, attention, static_shape

FREQUENCY_EMBEDDING_SIZE = 256


@dataclass(frozen=True)
class DiTConfig:
    in_channels: int = 392
    hidden_size: int = 1152
    depth: int = 28
    num_heads: int = 16
    head_dim: int | None = None  # None: hidden_size // num_heads
    mlp_ratio: float = 4.0
    num_classes: int = 1000
    class_dropout_prob: float = 0.1  # > 0 adds the null-label row (id = num_classes) to the label table
    learn_sigma: bool = True
    qk_norm: bool = True
    grid: tuple[int, int] = (16, 16)  # token grid (rows, columns); the official model is fixed at 16 x 16

    def __post_init__(self):
        object.__setattr__(self, "grid", tuple(self.grid))

    @property
    def attn_head_dim(self) -> int:
        return self.head_dim or self.hidden_size // self.num_heads

    @property
    def num_tokens(self) -> int:
        return self.grid[0] * self.grid[1]

    @property
    def out_channels(self) -> int:
        return 2 * self.in_channels if self.learn_sigma else self.in_channels

    @property
    def null_class(self) -> int | None:
        return self.num_classes if self.class_dropout_prob > 0 else None

    @classmethod
    def preset(cls, size: str) -> "DiTConfig":
        """The SVG DiT sizes: XL (28 x 1152), L (24 x 1024), B (12 x 768)."""
        depth, hidden, heads = {"XL": (28, 1152, 16), "L": (24, 1024, 16), "B": (12, 768, 12)}[size]
        return cls(hidden_size=hidden, depth=depth, num_heads=heads)

    @classmethod
    def from_fixture_config(cls, config: dict) -> "DiTConfig":
        """From dit_state_dict_config.json (models_SVG.DiT kwargs). input_size is unused by the official
        model; its grid is the hard-coded num_patches (256 -> 16 x 16)."""
        kw = config["kwargs"]
        if kw.get("patch_size", 1) != 1 or kw.get("use_swiglu", False):
            raise ValueError("only patch_size 1 without SwiGLU (the SVG configuration) is supported")
        side = math.isqrt(config.get("derived", {}).get("num_patches_hardcoded", 256))
        return cls(
            in_channels=kw["in_channels"],
            hidden_size=kw["hidden_size"],
            depth=kw["depth"],
            num_heads=kw["num_heads"],
            head_dim=kw.get("head_dim"),
            mlp_ratio=float(kw.get("mlp_ratio", 4.0)),
            num_classes=kw["num_classes"],
            class_dropout_prob=kw.get("class_dropout_prob", 0.1),
            learn_sigma=kw.get("learn_sigma", True),
            qk_norm=kw.get("qk_norm", False),
            grid=(side, side),
        )

    @classmethod
    def from_dict(cls, config: dict) -> "DiTConfig":
        return cls(**config)

    def to_dict(self) -> dict:
        return {**asdict(self), "grid": list(self.grid)}


def sincos_pos_embed(dim: int, rows: int, cols: int) -> np.ndarray:
    """Fixed 2-D sin-cos table [rows*cols, dim], tokens row-major, computed as the official (MAE-style)
    code does (float64, then float32): the first dim/2 channels encode the column index, the rest the row
    index (the official meshgrid puts w first), each as [sin | cos] over 1/10000^(k/(dim/4))."""
    omega = 1.0 / 10000 ** (np.arange(dim // 4, dtype=np.float64) / (dim / 4))  # [dim/4]

    def embed_1d(pos: np.ndarray) -> np.ndarray:  # [M] -> [M, dim/2]
        out = np.outer(pos.astype(np.float64), omega)
        return np.concatenate([np.sin(out), np.cos(out)], axis=1)

    col, row = np.meshgrid(np.arange(cols, dtype=np.float32), np.arange(rows, dtype=np.float32))  # [rows, cols]
    return np.concatenate([embed_1d(col.reshape(-1)), embed_1d(row.reshape(-1))], axis=1).astype(np.float32)


def modulate(x: Tensor, shift: Tensor, scale: Tensor) -> Tensor:
    """x: [B, N, D]; shift, scale: [B, D]."""
    return x * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1)


class TimestepEmbedder(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(FREQUENCY_EMBEDDING_SIZE, hidden), nn.SiLU(), nn.Linear(hidden, hidden))
        half = FREQUENCY_EMBEDDING_SIZE // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(0, half, dtype=torch.float32) / half)
        self.register_buffer("freqs", freqs, persistent=False)  # [128]

    def frequencies(self, t: Tensor) -> Tensor:
        """t [B] in [0, 1] -> [B, 256] = [cos | sin] (no x1000 scaling)."""
        args = t[:, None] * self.freqs[None]  # [B, 128]
        return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)

    def forward(self, t: Tensor) -> Tensor:  # [B] -> [B, hidden]
        return self.mlp(self.frequencies(t))


class LabelEmbedder(nn.Module):
    def __init__(self, cfg: DiTConfig):
        super().__init__()
        rows = cfg.num_classes + (cfg.null_class is not None)
        self.embedding_table = nn.Embedding(rows, cfg.hidden_size)

    def forward(self, labels: Tensor) -> Tensor:  # [B] int64 -> [B, hidden]
        return self.embedding_table(labels)


class Attention(nn.Module):
    def __init__(self, cfg: DiTConfig):
        super().__init__()
        self.num_heads, self.head_dim = cfg.num_heads, cfg.attn_head_dim
        inner = self.num_heads * self.head_dim
        self.qkv = nn.Linear(cfg.hidden_size, 3 * inner)
        self.q_norm = nn.LayerNorm(self.head_dim, eps=1e-5) if cfg.qk_norm else nn.Identity()
        self.k_norm = nn.LayerNorm(self.head_dim, eps=1e-5) if cfg.qk_norm else nn.Identity()
        self.proj = nn.Linear(inner, cfg.hidden_size)

    def forward(self, x: Tensor) -> Tensor:
        n = static_shape(x)[1]  # x: [B, N, hidden]
        qkv = self.qkv(x).reshape(-1, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)  # [B, heads, N, head_dim]
        out = attention(self.q_norm(q), self.k_norm(k), v)
        return self.proj(out.transpose(1, 2).reshape(-1, n, self.num_heads * self.head_dim))


class Mlp(nn.Module):
    """timm's Mlp with tanh-approximated GELU (keys fc1, fc2)."""

    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class DiTBlock(nn.Module):
    def __init__(self, cfg: DiTConfig):
        super().__init__()
        self.hidden = hidden = cfg.hidden_size
        self.norm1 = PlainLayerNorm(hidden, eps=1e-6)
        self.attn = Attention(cfg)
        self.norm2 = PlainLayerNorm(hidden, eps=1e-6)
        self.mlp = Mlp(hidden, int(hidden * cfg.mlp_ratio))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(hidden, 6 * hidden))

    def forward(self, x: Tensor, c: Tensor) -> Tensor:  # x [B, N, hidden], c [B, hidden]
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = self.adaLN_modulation(c).split(self.hidden, dim=1)
        x = x + gate_msa.unsqueeze(1) * self.attn(modulate(self.norm1(x), shift_msa, scale_msa))
        return x + gate_mlp.unsqueeze(1) * self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))


class FinalLayer(nn.Module):
    def __init__(self, cfg: DiTConfig):
        super().__init__()
        self.hidden = cfg.hidden_size
        self.norm_final = PlainLayerNorm(cfg.hidden_size, eps=1e-6)
        self.linear = nn.Linear(cfg.hidden_size, cfg.out_channels)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(cfg.hidden_size, 2 * cfg.hidden_size))

    def forward(self, x: Tensor, c: Tensor) -> Tensor:  # -> [B, N, out_channels]
        shift, scale = self.adaLN_modulation(c).split(self.hidden, dim=1)
        return self.linear(modulate(self.norm_final(x), shift, scale))


class DiT(nn.Module):
    def __init__(self, cfg: DiTConfig):
        super().__init__()
        self.config = cfg
        hidden = cfg.hidden_size
        self.t_embedder = TimestepEmbedder(hidden)
        self.y_embedder = LabelEmbedder(cfg)
        table = torch.from_numpy(sincos_pos_embed(hidden, *cfg.grid))[None]  # [1, N, hidden]
        self.pos_embed = nn.Parameter(table, requires_grad=False)
        self.blocks = nn.ModuleList(DiTBlock(cfg) for _ in range(cfg.depth))
        self.ln1 = nn.Linear(cfg.in_channels, hidden)
        self.final_layer = FinalLayer(cfg)

    def condition(self, t: Tensor, y: Tensor) -> Tensor:
        """adaLN conditioning c = t_embedder(t) + y_embedder(y): [B, hidden]."""
        return self.t_embedder(t) + self.y_embedder(y)

    def forward(self, x: Tensor, t: Tensor, y: Tensor) -> Tensor:
        """x [B, N, C] standardised tokens, t [B] float, y [B] int64 -> [B, N, out_channels]."""
        if static_shape(x)[1:] != (self.config.num_tokens, self.config.in_channels):
            raise ValueError(f"expected x of shape [B, {self.config.num_tokens}, {self.config.in_channels}]")
        h = self.ln1(x) + self.pos_embed  # [B, N, hidden]
        c = self.condition(t, y)
        for block in self.blocks:
            h = block(h, c)
        return self.final_layer(h, c)

    def velocity(self, x: Tensor, t: Tensor, y: Tensor) -> Tensor:
        """The velocity only (the first C of the learned-sigma output): [B, N, C]."""
        return self(x, t, y)[..., : self.config.in_channels]
