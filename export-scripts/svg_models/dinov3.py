"""DINOv3 ViT backbone (the dinov3_vits16plus family), SVG's frozen semantic encoder.

Why this file: the official DinoVisionTransformer runs through SDPA, list-forward paths and training-only
RoPE augmentations, which torch 1.13 and the ONNX exporter cannot take. This is the eval-mode forward
only, with the official state-dict keys (`cls_token`, `storage_tokens`, `mask_token`, `patch_embed.proj.*`,
`rope_embed.periods`, `blocks.N.{norm1,attn.qkv(+bias_mask),attn.proj,ls1,norm2,mlp.w1/w2/w3,ls2}`,
`norm.*`), so the hub .pth and the fixtures load with strict=True.
Token order inside: [cls, storage tokens, patches row-major]; RoPE rotates only the patch tokens.
"""
import math
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .layers import attention, constant_values, prepend_tokens, static_shape

_NORM_EPS = {"layernorm": 1e-6, "layernormbf16": 1e-5}
_FFN_ALIGN = {"swiglu": 8, "swiglu32": 32, "swiglu64": 64, "swiglu128": 128}


@dataclass(frozen=True)
class DinoV3Config:
    embed_dim: int = 384
    depth: int = 12
    num_heads: int = 6
    patch_size: int = 16
    in_chans: int = 3
    ffn_layer: str = "swiglu"  # "swiglu" (hidden aligned to 8), "swiglu32/64/128", or "mlp" (exact GELU)
    ffn_ratio: float = 6.0
    n_storage_tokens: int = 4
    rope_base: float = 100.0
    rope_normalize_coords: str = "separate"  # "separate", "min" or "max"
    qkv_bias: bool = True
    mask_k_bias: bool = True
    proj_bias: bool = True
    ffn_bias: bool = True
    layerscale: bool = True
    norm_eps: float = 1e-5

    def __post_init__(self):
        if self.ffn_layer != "mlp" and self.ffn_layer not in _FFN_ALIGN:
            raise ValueError(f"unsupported ffn_layer {self.ffn_layer!r}")
        if self.rope_normalize_coords not in ("separate", "min", "max"):
            raise ValueError(f"unsupported rope_normalize_coords {self.rope_normalize_coords!r}")
        if self.embed_dim % (4 * self.num_heads):
            raise ValueError("embed_dim must be a multiple of 4 * num_heads (2-D RoPE)")

    @property
    def head_dim(self) -> int:
        return self.embed_dim // self.num_heads

    @property
    def ffn_hidden(self) -> int:
        """Hidden width as the official FFN computes it (SwiGLU: 2/3 of int(dim*ratio), rounded up)."""
        hidden = int(self.embed_dim * self.ffn_ratio)
        if self.ffn_layer == "mlp":
            return hidden
        d = int(hidden * 2 / 3)
        return d + (-d % _FFN_ALIGN[self.ffn_layer])

    @classmethod
    def vits16plus(cls) -> "DinoV3Config":
        return cls()

    @classmethod
    def from_fixture_config(cls, config: dict) -> "DinoV3Config":
        """From the `kwargs` of the DINOv3 hub builder (dinov3_state_dict_config.json)."""
        kw = config["kwargs"]
        unsupported = {
            "pos_embed_rope_min_period": None,
            "pos_embed_rope_max_period": None,
            "pos_embed_rope_dtype": "fp32",
            "untie_cls_and_patch_norms": False,
            "untie_global_and_local_cls_norm": False,
        }
        for key, required in unsupported.items():
            if kw.get(key, required) != required:
                raise ValueError(f"{key}={kw[key]!r} is not supported")
        if kw.get("norm_layer", "layernorm") not in _NORM_EPS:
            raise ValueError(f"unsupported norm_layer {kw['norm_layer']!r}")
        return cls(
            embed_dim=kw["embed_dim"],
            depth=kw["depth"],
            num_heads=kw["num_heads"],
            patch_size=kw.get("patch_size", 16),
            in_chans=kw.get("in_chans", 3),
            ffn_layer=kw.get("ffn_layer", "mlp"),
            ffn_ratio=float(kw.get("ffn_ratio", 4.0)),
            n_storage_tokens=kw.get("n_storage_tokens", 0),
            rope_base=float(kw.get("pos_embed_rope_base", 100.0)),
            rope_normalize_coords=kw.get("pos_embed_rope_normalize_coords", "separate"),
            qkv_bias=kw.get("qkv_bias", True),
            mask_k_bias=kw.get("mask_k_bias", False),
            proj_bias=kw.get("proj_bias", True),
            ffn_bias=kw.get("ffn_bias", True),
            layerscale=kw.get("layerscale_init") is not None,
            norm_eps=_NORM_EPS[kw.get("norm_layer", "layernorm")],
        )

    @classmethod
    def from_dict(cls, config: dict) -> "DinoV3Config":
        return cls(**config)

    def to_dict(self) -> dict:
        return asdict(self)


class RopeEmbedding(nn.Module):
    """Axial 2-D RoPE tables; eval mode (no shift / jitter / rescale augmentation)."""

    def __init__(self, head_dim: int, base: float, normalize_coords: str):
        super().__init__()
        self.normalize_coords = normalize_coords
        exponents = 2 * torch.arange(head_dim // 4, dtype=torch.float32) / (head_dim // 2)
        self.register_buffer("periods", base**exponents)  # [head_dim/4], in the official state dict

    def forward(self, h: int, w: int) -> tuple[Tensor, Tensor]:
        """sin, cos tables [h*w, head_dim] for a patch grid h x w (row-major).

        Computed in NumPy with the official float32 steps, so an exported graph holds them as constants.
        """
        if self.normalize_coords == "separate":
            div_h, div_w = h, w
        else:
            div_h = div_w = max(h, w) if self.normalize_coords == "max" else min(h, w)
        f32 = np.float32
        coords_h = np.arange(0.5, h, dtype=f32) / f32(div_h)  # [h]
        coords_w = np.arange(0.5, w, dtype=f32) / f32(div_w)  # [w]
        coords = np.stack(np.meshgrid(coords_h, coords_w, indexing="ij"), axis=-1).reshape(h * w, 2)
        coords = f32(2.0) * coords - f32(1.0)  # [h*w, 2] in [-1, 1]
        periods = constant_values(self.periods).astype(f32)  # [head_dim/4]
        angles = (f32(2 * math.pi) * coords[:, :, None] / periods[None, None, :]).reshape(h * w, -1)
        angles = np.concatenate([angles, angles], axis=-1).astype(np.float64)  # [h*w, head_dim] (.tile(2))
        return torch.from_numpy(np.sin(angles).astype(f32)), torch.from_numpy(np.cos(angles).astype(f32))


def _rope_rotate(x: Tensor, sin: Tensor, cos: Tensor) -> Tensor:
    """x: [..., n, d]; sin/cos: [n, d]."""
    half = static_shape(x)[-1] // 2
    return x * cos + torch.cat([-x[..., half:], x[..., :half]], dim=-1) * sin


class KMaskedLinear(nn.Linear):
    """qkv projection whose bias is multiplied by `bias_mask` (1 on q and v, 0 on k): the k bias never applies."""

    def __init__(self, dim: int):
        super().__init__(dim, 3 * dim, bias=True)
        mask = torch.ones(3 * dim)
        mask[dim : 2 * dim] = 0
        self.register_buffer("bias_mask", mask)  # [3*dim], a buffer in the official state dict

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias * self.bias_mask)


class SelfAttention(nn.Module):
    def __init__(self, cfg: DinoV3Config):
        super().__init__()
        self.num_heads, self.head_dim = cfg.num_heads, cfg.head_dim
        if cfg.qkv_bias and cfg.mask_k_bias:
            self.qkv = KMaskedLinear(cfg.embed_dim)
        else:
            self.qkv = nn.Linear(cfg.embed_dim, 3 * cfg.embed_dim, bias=cfg.qkv_bias)
        self.proj = nn.Linear(cfg.embed_dim, cfg.embed_dim, bias=cfg.proj_bias)

    def forward(self, x: Tensor, sin: Tensor, cos: Tensor) -> Tensor:
        _, n, dim = static_shape(x)  # x: [B, n, D] with n = prefix + h*w
        prefix = n - sin.shape[0]
        qkv = self.qkv(x).reshape(-1, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        qk, v = qkv[:2], qkv[2]  # [2, B, heads, n, head_dim], [B, heads, n, head_dim]
        qk = torch.cat([qk[..., :prefix, :], _rope_rotate(qk[..., prefix:, :], sin, cos)], dim=-2)
        q, k = qk.unbind(0)
        out = attention(q, k, v).transpose(1, 2).reshape(-1, n, dim)  # [B, n, D]
        return self.proj(out)


class SwiGLU(nn.Module):
    def __init__(self, dim: int, hidden: int, bias: bool):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=bias)
        self.w2 = nn.Linear(dim, hidden, bias=bias)
        self.w3 = nn.Linear(hidden, dim, bias=bias)

    def forward(self, x: Tensor) -> Tensor:
        return self.w3(F.silu(self.w1(x)) * self.w2(x))


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int, bias: bool):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden, bias=bias)
        self.fc2 = nn.Linear(hidden, dim, bias=bias)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(F.gelu(self.fc1(x)))


class LayerScale(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.full((dim,), 1e-5))

    def forward(self, x: Tensor) -> Tensor:
        return x * self.gamma


class Block(nn.Module):
    def __init__(self, cfg: DinoV3Config):
        super().__init__()
        dim = cfg.embed_dim
        ffn = Mlp if cfg.ffn_layer == "mlp" else SwiGLU
        self.norm1 = nn.LayerNorm(dim, eps=cfg.norm_eps)
        self.attn = SelfAttention(cfg)
        self.ls1 = LayerScale(dim) if cfg.layerscale else nn.Identity()
        self.norm2 = nn.LayerNorm(dim, eps=cfg.norm_eps)
        self.mlp = ffn(dim, cfg.ffn_hidden, cfg.ffn_bias)
        self.ls2 = LayerScale(dim) if cfg.layerscale else nn.Identity()

    def forward(self, x: Tensor, sin: Tensor, cos: Tensor) -> Tensor:
        x = x + self.ls1(self.attn(self.norm1(x), sin, cos))
        return x + self.ls2(self.mlp(self.norm2(x)))


class PatchEmbed(nn.Module):
    def __init__(self, cfg: DinoV3Config):
        super().__init__()
        self.proj = nn.Conv2d(cfg.in_chans, cfg.embed_dim, kernel_size=cfg.patch_size, stride=cfg.patch_size)

    def forward(self, pixels: Tensor) -> tuple[Tensor, int, int]:
        x = self.proj(pixels)  # [B, D, h, w]
        _, dim, h, w = static_shape(x)
        return x.reshape(-1, dim, h * w).transpose(1, 2), h, w  # [B, h*w, D]


class DinoV3(nn.Module):
    def __init__(self, cfg: DinoV3Config):
        super().__init__()
        self.config = cfg
        dim = cfg.embed_dim
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        if cfg.n_storage_tokens:
            self.storage_tokens = nn.Parameter(torch.zeros(1, cfg.n_storage_tokens, dim))
        self.mask_token = nn.Parameter(torch.zeros(1, dim))  # training-only; kept for the state dict
        self.patch_embed = PatchEmbed(cfg)
        self.rope_embed = RopeEmbedding(cfg.head_dim, cfg.rope_base, cfg.rope_normalize_coords)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.depth))
        self.norm = nn.LayerNorm(dim, eps=cfg.norm_eps)

    def features(self, pixels: Tensor) -> dict[str, Tensor]:
        """The official forward_features outputs for pixels [B, 3, H, W] (ImageNet-normalised)."""
        patches, h, w = self.patch_embed(pixels)  # [B, h*w, D]
        prefix = [self.cls_token] + ([self.storage_tokens] if self.config.n_storage_tokens else [])
        x = prepend_tokens(patches, torch.cat(prefix, dim=1))  # [B, 1+S+h*w, D]
        sin, cos = self.rope_embed(h, w)  # [h*w, head_dim] each
        for block in self.blocks:
            x = block(x, sin, cos)
        x_norm = self.norm(x)
        n_prefix = 1 + self.config.n_storage_tokens
        return {
            "x_norm_clstoken": x_norm[:, 0],  # [B, D]
            "x_storage_tokens": x_norm[:, 1:n_prefix],  # [B, S, D]
            "x_norm_patchtokens": x_norm[:, n_prefix:],  # [B, h*w, D]
            "x_prenorm": x,  # [B, 1+S+h*w, D]
        }

    def forward(self, pixels: Tensor) -> Tensor:
        """pixels [B, 3, H, W] -> x_norm_patchtokens [B, (H/16)*(W/16), D]."""
        return self.features(pixels)["x_norm_patchtokens"]
