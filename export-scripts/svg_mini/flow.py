"""Stage 3: latent statistics, then the SVG DiT trained with rectified flow on standardised latents.

Convention of the reference code (SPEC §3): t = 0 noise, t = 1 data, z_t = (1 - t) noise + t data, target
velocity = data - noise. Training times: u ~ U(0, 1) mapped by shift(u) = s u / (1 + (s - 1) u) with s = 0.4,
as the reference trains. Labels are dropped to the null id with probability 0.1 (for guidance); the
exported weights are an EMA (0.999) of the trained ones.
"""
import copy
import math
import time
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor

from svg_models.dit import DiT

TRAIN_SHIFT = 0.4
LABEL_DROPOUT = 0.1
EMA_DECAY = 0.999
SHIFT_BASE_DIMENSION = 4096


def shift_time(u: Tensor, s: float) -> Tensor:
    return s * u / (1 + (s - 1) * u)


def latent_statistics(latents: Tensor) -> tuple[Tensor, Tensor]:
    """Per-channel mean and std of raw latents [N, C, h, w] -> ([C], [C])."""
    per_channel = latents.transpose(0, 1).reshape(latents.shape[1], -1)
    return per_channel.mean(dim=1), per_channel.std(dim=1)


def to_tokens(latents: Tensor, mean: Tensor, std: Tensor) -> Tensor:
    """Raw [N, C, h, w] -> standardised tokens [N, h*w, C] (the DiT's space)."""
    x = (latents - mean[None, :, None, None]) / std[None, :, None, None]
    return x.flatten(2).transpose(1, 2)


def dimension_shift(tokens: int, channels: int, base: int = SHIFT_BASE_DIMENSION) -> float:
    """RAE's dimension-dependent schedule shift (arXiv 2510.11690, after SD3): alpha = sqrt(m / n) for a latent
    of m = tokens * channels numbers against the base n = 4096 (SD-VAE's 32x32x4). In this code's convention
    (t = 0 noise) shifting towards noise by alpha is s = 1 / alpha in `shift_time`."""
    return math.sqrt(base / (tokens * channels))


def class_balanced_weights(labels: Tensor) -> Tensor:
    """Sampling weight per example [N] so that every class is drawn equally often."""
    counts = torch.bincount(labels).float()
    return 1.0 / counts[labels]


def train_flow(tokens: Tensor, labels: Tensor, dit: DiT, *, steps: int, batch: int, seed: int, checkpoint, log,
               lr: float = 3e-4, on_checkpoint: Callable[[int, DiT], None] | None = None, shift: float = TRAIN_SHIFT,
               sample_weights: Tensor | None = None, device: str = "cpu", checkpoint_every: int = 100,
               warmup: int = 100) -> DiT:
    """tokens [N, T, C] standardised, labels [N] -> the EMA DiT (eval mode, on `device`). `on_checkpoint(step,
    ema)` runs at every checkpoint (each `checkpoint_every` steps and the last), e.g. to keep snapshots for a
    training curve. `shift` maps training times as `shift_time`; `sample_weights` [N] (e.g.
    class_balanced_weights) draws batches by weight instead of uniformly."""
    torch.manual_seed(seed)
    dit.to(device)
    ema = copy.deepcopy(dit)
    opt = torch.optim.AdamW(dit.parameters(), lr=lr, weight_decay=0.0)
    null = dit.config.null_class
    tokens, labels = tokens.to(device), labels.to(device)
    weights = None if sample_weights is None else sample_weights.to(device)
    state = checkpoint.load()
    start = 0
    if state:
        dit.load_state_dict(state["dit"]), ema.load_state_dict(state["ema"]), opt.load_state_dict(state["opt"])
        start = state["step"]
    gen = torch.Generator(device=device).manual_seed(seed * 1000 + start)
    dit.train()
    channels = dit.config.in_channels
    started = time.time()
    for step in range(start, steps):
        for group in opt.param_groups:
            group["lr"] = lr * min(1.0, (step + 1) / warmup) * (0.55 + 0.45 * math.cos(math.pi * step / steps))
        if weights is None:
            index = torch.randint(0, tokens.shape[0], (batch,), generator=gen, device=device)
        else:
            index = torch.multinomial(weights, batch, replacement=True, generator=gen)
        data, y = tokens[index], labels[index].clone()
        y[torch.rand(batch, generator=gen, device=device) < LABEL_DROPOUT] = null
        noise = torch.randn(data.shape, generator=gen, device=device)
        t = shift_time(torch.rand(batch, generator=gen, device=device), shift)
        z = (1 - t[:, None, None]) * noise + t[:, None, None] * data
        velocity = dit(z, t, y)[..., :channels]
        loss = F.mse_loss(velocity, data - noise)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(dit.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            decay = min(EMA_DECAY, (1 + step) / (10 + step))
            for pe, p in zip(ema.parameters(), dit.parameters()):
                pe.mul_(decay).add_(p.detach(), alpha=1 - decay)
        if (step + 1) % checkpoint_every == 0 or step + 1 == steps:
            log(f"flow step {step + 1}/{steps} loss {loss.item():.4f} ({time.time() - started:.0f} s)")
            checkpoint.save({"dit": dit.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "step": step + 1})
            if on_checkpoint is not None:
                on_checkpoint(step + 1, ema)
    return ema.eval()
