"""Stage 2: the residual ViT and the convolutional decoder, trained to reconstruct through the frozen encoder.

latent = [DINO patch tokens (frozen) ; residual aligned to their batch statistics] -> decoder -> pixels.
Loss: L1 + 0.5 * (1 - SSIM) on [0, 1] pixels (no perceptual network exists offline). Residual masking, our
reading of SVG's recipe: for a random 10 % of the samples the residual channels are zeroed before decoding,
so the decoder also learns to draw from the DINO features alone and cannot hide everything in 8 channels.
"""
import math
import time
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor

from svg_models.decoder import Decoder
from svg_models.dinov3 import DinoV3
from svg_models.latent import match_distribution
from svg_models.residual_vit import ResidualViT

from .augment import random_flip
from .data import to_encoder_input
from .device import place

RESIDUAL_MASK_P = 0.1


def ssim(a: Tensor, b: Tensor, window: int = 7, sigma: float = 1.5) -> Tensor:
    """Mean SSIM of [B,3,H,W] images in [0,1]: Gaussian window, C1 = 0.01^2, C2 = 0.03^2 (Wang et al. 2004)."""
    coords = torch.arange(window, dtype=a.dtype, device=a.device) - window // 2
    g = torch.exp(-(coords**2) / (2 * sigma**2))
    g = (g / g.sum())[None, :] * (g / g.sum())[:, None]
    kernel = g.expand(a.shape[1], 1, window, window)
    blur = lambda x: F.conv2d(x, kernel, padding=window // 2, groups=a.shape[1])  # noqa: E731
    mu_a, mu_b = blur(a), blur(b)
    var_a, var_b = blur(a * a) - mu_a**2, blur(b * b) - mu_b**2
    cov = blur(a * b) - mu_a * mu_b
    c1, c2 = 0.01**2, 0.03**2
    return (((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2))).mean()


def reconstruction_loss(out: Tensor, x: Tensor) -> Tensor:
    """Decoder output and target [B,3,S,S] in [-1,1] -> L1 + 0.5 * (1 - SSIM on [0, 1] pixels)."""
    return F.l1_loss(out, x) + 0.5 * (1 - ssim((out.clamp(-1, 1) + 1) / 2, (x + 1) / 2))


def encode(dino: DinoV3, residual: ResidualViT, images: Tensor, grid: int, eps: float = 1e-6) -> Tensor:
    """images [B,3,S,S] in [-1,1] -> raw latent [B, D+R, grid, grid] (alignment over this batch)."""
    pixels = to_encoder_input(images)
    with torch.no_grad():
        h = dino(pixels).transpose(1, 2)  # [B, D, N]
    r = match_distribution(h, residual(pixels), eps)  # [B, R, N]
    return torch.cat([h, r], dim=1).reshape(images.shape[0], -1, grid, grid)


def noised(latent: Tensor, tau: float, gen: torch.Generator) -> Tensor:
    """The noise-robust decoder's input (RAE, arXiv 2510.11690, section 4): latent [B,C,h,w] + sigma * std_c * eps,
    sigma ~ |N(0, tau^2)| per sample, std_c each channel's std over the batch, so the noise is in the DiT's
    standardised units and the decoder learns to draw what a slightly-off DiT sample means."""
    if tau <= 0:
        return latent
    b = latent.shape[0]
    sigma = (torch.randn(b, generator=gen, device=latent.device) * tau).abs()[:, None, None, None]
    std = latent.detach().transpose(0, 1).reshape(latent.shape[1], -1).std(dim=1)[None, :, None, None]
    return latent + sigma * std * torch.randn(latent.shape, generator=gen, device=latent.device)


def train_autoencoder(images: Tensor, dino: DinoV3, residual: ResidualViT, decoder: Decoder, *, steps: int,
                      batch: int, seed: int, checkpoint, log, lr: float = 5e-4, device: str = "cpu",
                      latent_noise: float = 0.0, train_residual: bool = True, warmup: int = 50,
                      checkpoint_every: int = 50, on_checkpoint: Callable[[int], None] | None = None) -> None:
    """Trains the residual ViT and the decoder (or, with train_residual=False, the decoder alone on the frozen
    residual: the v2 decoder fine-tune) to reconstruct `images` [N,3,S,S]; `latent_noise` is the RAE noise
    scale tau of the decoder's input (0: clean latents, the v1 recipe). Networks stay on `device`."""
    torch.manual_seed(seed)
    grid = images.shape[-1] // dino.config.patch_size
    dim = dino.config.embed_dim
    images = images.to(device)
    place(dino, device), place(residual, device), place(decoder, device)
    params = (list(residual.parameters()) if train_residual else []) + list(decoder.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    state = checkpoint.load()
    start = 0
    if state:
        residual.load_state_dict(state["residual"]), decoder.load_state_dict(state["decoder"])
        opt.load_state_dict(state["opt"])
        start = state["step"]
    gen = torch.Generator(device=device).manual_seed(seed * 1000 + start)
    residual.train(train_residual), decoder.train()
    started = time.time()
    for step in range(start, steps):
        for group in opt.param_groups:
            group["lr"] = lr * min(1.0, (step + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * step / steps))
        x = random_flip(images[torch.randint(0, images.shape[0], (batch,), generator=gen, device=device)], gen)
        with torch.set_grad_enabled(train_residual):
            latent = encode(dino, residual, x, grid)
        keep = (torch.rand(batch, generator=gen, device=device) >= RESIDUAL_MASK_P).float()[:, None, None, None]
        latent = noised(torch.cat([latent[:, :dim], latent[:, dim:] * keep], dim=1), latent_noise, gen)
        out = decoder(latent)
        loss = reconstruction_loss(out, x)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if (step + 1) % checkpoint_every == 0 or step + 1 == steps:
            psnr = -10 * torch.log10(F.mse_loss(out.detach().clamp(-1, 1), x) / 4).item()
            what = "autoencoder" if train_residual else f"decoder (noise {latent_noise:g})"
            log(f"{what} step {step + 1}/{steps} loss {loss.item():.4f} psnr {psnr:.2f} ({time.time() - started:.0f} s)")
            checkpoint.save({"residual": residual.state_dict(), "decoder": decoder.state_dict(),
                             "opt": opt.state_dict(), "step": step + 1})
            if on_checkpoint is not None:
                on_checkpoint(step + 1)
    residual.eval(), decoder.eval()
