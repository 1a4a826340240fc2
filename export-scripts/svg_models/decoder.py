"""SVG's pixel decoder: the LDM / VA-VAE convolutional `Decoder` (latent [B, C, h, w] -> image in [-1, 1]).

Why this file: the official Decoder lives in a module that pulls in einops, the LDM config machinery and
linear attention. This is its eval forward (no timestep embedding, vanilla attention written with the
shared explicit attention) under the same keys: `conv_in`, `mid.{block_1,attn_1,block_2}`,
`up.L.{block.i,attn.i,upsample.conv}`, `norm_out`, `conv_out`.
"""
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .layers import attention, static_shape


@dataclass(frozen=True)
class DecoderConfig:
    z_channels: int = 392
    resolution: int = 256  # output size; the latent grid is resolution / 2^(len(ch_mult)-1)
    ch: int = 128
    ch_mult: tuple[int, ...] = (1, 1, 2, 2, 4)
    num_res_blocks: int = 2
    attn_resolutions: tuple[int, ...] = (16,)
    out_ch: int = 3
    norm_groups: int = 32
    norm_eps: float = 1e-6
    tanh_out: bool = False

    def __post_init__(self):
        object.__setattr__(self, "ch_mult", tuple(self.ch_mult))
        object.__setattr__(self, "attn_resolutions", tuple(self.attn_resolutions))

    @property
    def latent_size(self) -> int:
        return self.resolution // 2 ** (len(self.ch_mult) - 1)

    @classmethod
    def svg(cls) -> "DecoderConfig":
        return cls()

    @classmethod
    def from_fixture_config(cls, config: dict) -> "DecoderConfig":
        """From decoder_state_dict_config.json (the LDM ddconfig plus the fixed layer options)."""
        dd = config["ddconfig"]
        fixed = {"resamp_with_conv": True, "attn_type": "vanilla", "give_pre_end": False}
        for key, required in fixed.items():
            if config.get(key, dd.get(key, required)) != required:
                raise ValueError(f"{key}={config.get(key, dd.get(key))!r} is not supported")
        return cls(
            z_channels=dd["z_channels"],
            resolution=dd["resolution"],
            ch=dd["ch"],
            ch_mult=tuple(dd["ch_mult"]),
            num_res_blocks=dd["num_res_blocks"],
            attn_resolutions=tuple(dd["attn_resolutions"]),
            out_ch=dd["out_ch"],
            norm_groups=config.get("groupnorm_groups", 32),
            norm_eps=config.get("groupnorm_eps", 1e-6),
            tanh_out=config.get("tanh_out", dd.get("tanh_out", False)),
        )

    @classmethod
    def from_dict(cls, config: dict) -> "DecoderConfig":
        return cls(**config)

    def to_dict(self) -> dict:
        d = asdict(self)
        return {**d, "ch_mult": list(self.ch_mult), "attn_resolutions": list(self.attn_resolutions)}


class GroupNorm(nn.GroupNorm):
    """nn.GroupNorm (same parameters) computed as InstanceNormalization over [B, groups, rest] with
    constant reshapes, so the exported graph needs no Shape ops."""

    def __init__(self, num_groups: int, num_channels: int, eps: float):
        super().__init__(num_groups, num_channels, eps=eps)
        self.register_buffer("group_one", torch.ones(num_groups), persistent=False)
        self.register_buffer("group_zero", torch.zeros(num_groups), persistent=False)

    def forward(self, x: Tensor) -> Tensor:  # [B, c, s, s]
        _, c, h, w = static_shape(x)
        groups = x.reshape(-1, self.num_groups, c // self.num_groups * h * w)
        y = F.instance_norm(groups, weight=self.group_one, bias=self.group_zero, eps=self.eps)
        return y.reshape(-1, c, h, w) * self.weight[:, None, None] + self.bias[:, None, None]


class ResnetBlock(nn.Module):
    def __init__(self, cfg: DecoderConfig, in_channels: int, out_channels: int):
        super().__init__()
        self.norm1 = GroupNorm(cfg.norm_groups, in_channels, eps=cfg.norm_eps)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.norm2 = GroupNorm(cfg.norm_groups, out_channels, eps=cfg.norm_eps)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.nin_shortcut = nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else nn.Identity()

    def forward(self, x: Tensor) -> Tensor:  # [B, in, s, s] -> [B, out, s, s]
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return self.nin_shortcut(x) + h


class AttnBlock(nn.Module):
    """Single-head self-attention over the s*s positions, 1x1-conv projections."""

    def __init__(self, cfg: DecoderConfig, channels: int):
        super().__init__()
        self.norm = GroupNorm(cfg.norm_groups, channels, eps=cfg.norm_eps)
        self.q, self.k, self.v, self.proj_out = (nn.Conv2d(channels, channels, 1) for _ in range(4))

    def forward(self, x: Tensor) -> Tensor:  # [B, c, s, s]
        _, c, h, w = static_shape(x)
        normed = self.norm(x)

        def tokens(conv: nn.Conv2d) -> Tensor:  # [B, 1, s*s, c]
            return conv(normed).reshape(-1, 1, c, h * w).transpose(2, 3)

        out = attention(tokens(self.q), tokens(self.k), tokens(self.v))  # [B, 1, s*s, c]
        return x + self.proj_out(out.transpose(2, 3).reshape(-1, c, h, w))


class Upsample(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: Tensor) -> Tensor:  # [B, c, s, s] -> [B, c, 2s, 2s]
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class Decoder(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.config = cfg
        levels = len(cfg.ch_mult)
        block_in = cfg.ch * cfg.ch_mult[-1]
        res = cfg.latent_size
        self.conv_in = nn.Conv2d(cfg.z_channels, block_in, 3, padding=1)
        self.mid = nn.Module()
        self.mid.block_1 = ResnetBlock(cfg, block_in, block_in)
        self.mid.attn_1 = AttnBlock(cfg, block_in)
        self.mid.block_2 = ResnetBlock(cfg, block_in, block_in)
        up_levels = []
        for level in reversed(range(levels)):  # lowest resolution first; stored in level order
            up = nn.Module()
            block_out = cfg.ch * cfg.ch_mult[level]
            up.block = nn.ModuleList()
            up.attn = nn.ModuleList()
            for _ in range(cfg.num_res_blocks + 1):
                up.block.append(ResnetBlock(cfg, block_in, block_out))
                block_in = block_out
                if res in cfg.attn_resolutions:
                    up.attn.append(AttnBlock(cfg, block_in))
            if level != 0:
                up.upsample = Upsample(block_in)
                res *= 2
            up_levels.insert(0, up)
        self.up = nn.ModuleList(up_levels)
        self.norm_out = GroupNorm(cfg.norm_groups, block_in, eps=cfg.norm_eps)
        self.conv_out = nn.Conv2d(block_in, cfg.out_ch, 3, padding=1)

    def forward(self, latent: Tensor) -> Tensor:
        """latent [B, z_channels, s, s] (raw, un-standardised) -> image [B, out_ch, s*2^(L-1), ...]."""
        h = self.mid.block_2(self.mid.attn_1(self.mid.block_1(self.conv_in(latent))))
        for level in reversed(range(len(self.up))):
            up = self.up[level]
            for i, block in enumerate(up.block):
                h = block(h)
                if len(up.attn):
                    h = up.attn[i](h)
            if level != 0:
                h = up.upsample(h)
        h = self.conv_out(F.silu(self.norm_out(h)))
        return h.tanh() if self.config.tanh_out else h
