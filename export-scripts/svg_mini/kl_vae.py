"""The baseline of the paper's claim: a KL-VAE of SVG-Mini's size, trained on the same images.

Encoder: the mirror of SVG's convolutional decoder (ResNet blocks, strided-conv downsampling, one attention
block at the latent grid) ending in 2 x C channels, a diagonal Gaussian's mean and log-variance. Decoder: SVG's
`Decoder` with z_channels = C. 32x32 images -> 8x8xC latents, the same token grid as SVG-Mini's 8x8x104 so
the same DiT trains on both. Loss: SVG-Mini's reconstruction loss (L1 + SSIM) + KL_WEIGHT * KL, the weak KL
of latent-diffusion VAEs (no perceptual network or discriminator exists offline, as for SVG-Mini).
"""
import math
import time

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from svg_models.decoder import AttnBlock, Decoder, DecoderConfig, GroupNorm, ResnetBlock

from .augment import random_flip
from .autoencoder import reconstruction_loss

KL_WEIGHT = 1e-6


class VaeEncoder(nn.Module):
    """image [B, 3, S, S] in [-1, 1] -> (mean, logvar), each [B, C, S / 2^(L-1), ...] (C = cfg.z_channels)."""

    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.conv_in = nn.Conv2d(3, cfg.ch, 3, padding=1)
        layers: list[nn.Module] = []
        block_in = cfg.ch
        for level, mult in enumerate(cfg.ch_mult):
            for _ in range(cfg.num_res_blocks):
                layers.append(ResnetBlock(cfg, block_in, cfg.ch * mult))
                block_in = cfg.ch * mult
            if level != len(cfg.ch_mult) - 1:
                layers.append(nn.Conv2d(block_in, block_in, 3, stride=2, padding=1))
        layers += [ResnetBlock(cfg, block_in, block_in), AttnBlock(cfg, block_in), ResnetBlock(cfg, block_in, block_in)]
        self.body = nn.Sequential(*layers)
        self.norm_out = GroupNorm(cfg.norm_groups, block_in, eps=cfg.norm_eps)
        self.conv_out = nn.Conv2d(block_in, 2 * cfg.z_channels, 3, padding=1)

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        moments = self.conv_out(F.silu(self.norm_out(self.body(self.conv_in(x)))))  # [B, 2C, s, s]
        mean, logvar = moments.chunk(2, dim=1)
        return mean, logvar.clamp(-30, 20)


class KlVae(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.encoder, self.decoder = VaeEncoder(cfg), Decoder(cfg)

    @torch.no_grad()
    def encode(self, images: Tensor) -> Tensor:
        """[B, 3, S, S] -> the posterior mean [B, C, s, s] (the DiT's deterministic latent)."""
        return self.encoder(images)[0]


def train_kl_vae(images: Tensor, vae: KlVae, *, steps: int, batch: int, seed: int, checkpoint, log,
                 lr: float = 5e-4) -> KlVae:
    """The same schedule, batch and augmentation as SVG-Mini's autoencoder stage."""
    torch.manual_seed(seed)
    opt = torch.optim.AdamW(vae.parameters(), lr=lr, weight_decay=0.01)
    state = checkpoint.load()
    start = 0
    if state:
        vae.load_state_dict(state["vae"]), opt.load_state_dict(state["opt"])
        start = state["step"]
    gen = torch.Generator().manual_seed(seed * 1000 + start)
    vae.train()
    started = time.time()
    for step in range(start, steps):
        for group in opt.param_groups:
            group["lr"] = lr * min(1.0, (step + 1) / 50) * 0.5 * (1 + math.cos(math.pi * step / steps))
        x = random_flip(images[torch.randint(0, images.shape[0], (batch,), generator=gen)], gen)
        mean, logvar = vae.encoder(x)
        z = mean + torch.randn(mean.shape, generator=gen) * (0.5 * logvar).exp()
        out = vae.decoder(z)
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).flatten(1).sum(1).mean()
        loss = reconstruction_loss(out, x) + KL_WEIGHT * kl
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        opt.step()
        if (step + 1) % 50 == 0 or step + 1 == steps:
            log(f"kl-vae step {step + 1}/{steps} loss {loss.item():.4f} kl {kl.item():.1f} ({time.time() - started:.0f} s)")
            checkpoint.save({"vae": vae.state_dict(), "opt": opt.state_dict(), "step": step + 1})
    return vae.eval()
