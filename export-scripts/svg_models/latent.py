"""SVG's latent assembly (DinoDecoder.encode, eval): DINO tokens + distribution-aligned residual.

Why this file: the alignment needs statistics over the whole batch, so it is not part of any exported
graph (the studio does it in TypeScript). This is the Python reference of that step, used by the tests and
to measure latent statistics of a model set.
"""
import torch
from torch import Tensor


def match_distribution(h: Tensor, h_vit: Tensor, eps: float = 1e-6) -> Tensor:
    """Rescale h_vit [B, R, N] to the scalar mean / mean per-channel std of h [B, D, N], over the whole batch."""
    mean_h = h.mean(dim=(0, 2)).mean()
    std_h = h.std(dim=(0, 2)).mean()
    mean_vit = h_vit.mean(dim=(0, 2)).mean()
    std_vit = h_vit.std(dim=(0, 2)).mean()
    return (h_vit - mean_vit) / (std_vit + eps) * std_h + mean_h


def assemble_latent(patch_tokens: Tensor, residual: Tensor, grid: tuple[int, int], eps: float = 1e-6) -> Tensor:
    """patch_tokens [B, N, D] (DINO), residual [B, R, N] (raw) -> latent [B, D+R, rows, cols]."""
    h = patch_tokens.transpose(1, 2)  # [B, D, N]
    latent = torch.cat([h, match_distribution(h, residual, eps)], dim=1)  # [B, D+R, N]
    return latent.reshape(latent.shape[0], latent.shape[1], *grid)


@torch.no_grad()
def measure_latent_stats(patch_tokens: Tensor, residual: Tensor, grid: tuple[int, int],
                         eps: float = 1e-6) -> tuple[Tensor, Tensor]:
    """Per-channel mean and std [C] of the latents of one batch (aligned together, as in training)."""
    latent = assemble_latent(patch_tokens, residual, grid, eps)  # [B, C, rows, cols]
    per_channel = latent.transpose(0, 1).reshape(latent.shape[1], -1)  # [C, B*rows*cols]
    return per_channel.mean(dim=1), per_channel.std(dim=1)
