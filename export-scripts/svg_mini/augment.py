"""Batched, seeded image augmentations in plain torch (multi-crop for self-distillation, flips for the
autoencoder and the DiT). Batched because per-image torchvision transforms dominate a CPU step at 32 px.
Random numbers are drawn on the images' device from `gen` (a generator on that device), so the same code runs
on the CPU (bit-identical to before) and on CUDA."""
import torch
import torch.nn.functional as F
from torch import Tensor


def random_resized_crops(images: Tensor, out_size: int, scale: tuple[float, float], gen: torch.Generator) -> Tensor:
    """One random crop per image (area fraction in `scale`, aspect 3/4..4/3), resized: [B,3,S,S] -> [B,3,o,o]."""
    b, device = images.shape[0], images.device
    area = torch.empty(b, device=device).uniform_(*scale, generator=gen)
    log_ratio = torch.empty(b, device=device).uniform_(-0.2877, 0.2877, generator=gen)  # log(3/4) .. log(4/3)
    ratio = log_ratio.exp()
    w = (area * ratio).sqrt().clamp(max=1.0)
    h = (area / ratio).sqrt().clamp(max=1.0)
    cx = torch.rand(b, generator=gen, device=device) * (1 - w) + w / 2
    cy = torch.rand(b, generator=gen, device=device) * (1 - h) + h / 2
    theta = torch.zeros(b, 2, 3, device=device)
    theta[:, 0, 0], theta[:, 0, 2] = w, cx * 2 - 1
    theta[:, 1, 1], theta[:, 1, 2] = h, cy * 2 - 1
    grid = F.affine_grid(theta, [b, 3, out_size, out_size], align_corners=False)
    # Padding with 1 (white) matches the emoji background.
    return F.grid_sample(images - 1, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + 1


def random_flip(images: Tensor, gen: torch.Generator) -> Tensor:
    flip = torch.rand(images.shape[0], generator=gen, device=images.device) < 0.5
    return torch.where(flip[:, None, None, None], images.flip(-1), images)


def colour_jitter(images: Tensor, gen: torch.Generator, strength: float = 0.4, grey_p: float = 0.2) -> Tensor:
    """Brightness, contrast, saturation and channel-mixing hue jitter, then random greyscale; [-1, 1] in and out."""
    b, device = images.shape[0], images.device
    x = (images + 1) / 2
    rnd = lambda: 1 + (torch.rand(b, 1, 1, 1, generator=gen, device=device) * 2 - 1) * strength  # noqa: E731
    x = x * rnd()
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * rnd() + mean
    grey = x.mean(dim=1, keepdim=True)
    x = (x - grey) * rnd() + grey
    # Hue: rotate the colour around the grey axis by a random angle (a cheap, differentiable hue shift).
    angle = (torch.rand(b, generator=gen, device=device) * 2 - 1) * strength * torch.pi / 2
    cos, sin = angle.cos()[:, None, None, None], angle.sin()[:, None, None, None]
    k = torch.full((1, 3, 1, 1), 3 ** -0.5, device=device)
    chroma = x - grey
    cross = torch.cross(k.expand_as(chroma), chroma, dim=1)
    x = grey + chroma * cos + cross * sin
    to_grey = torch.rand(b, generator=gen, device=device) < grey_p
    x = torch.where(to_grey[:, None, None, None], x.mean(dim=1, keepdim=True).expand_as(x), x)
    return x.clamp(0, 1) * 2 - 1
