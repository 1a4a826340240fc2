"""Stage 1: DINO-style self-distillation of our DINOv3-family ViT (RoPE, storage tokens), then frozen.

Student and teacher share the architecture; the teacher is an EMA of the student (momentum 0.99 -> 1,
cosine); teacher outputs are centred (running centre, momentum 0.9) and sharpened (temperature 0.04, student
0.1); multi-crop: 2 global crops at the model resolution and LOCAL_CROPS (2, for CPU time) local crops at half of
it; the student sees every view, the teacher only the globals (Caron et al. 2021). The head reads the CLS token and the mean patch
token, so the patch tokens SVG uses as its latent are trained directly.
"""
import math
import time
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from svg_models.dinov3 import DinoV3, DinoV3Config

from .augment import colour_jitter, random_flip, random_resized_crops
from .data import to_encoder_input
from .device import place

LOCAL_CROPS = 2


class UnitNormLinear(nn.Module):
    """DINO's last layer: weight normalisation with the norm fixed to 1 (norm_last_layer), W = V / ||V|| per
    prototype, written out because torch deprecates nn.utils.weight_norm (the GPU machine runs torch 2.x).
    [B, in] -> [B, out]; V is initialised as nn.Linear's weight."""

    def __init__(self, features_in: int, features_out: int):
        super().__init__()
        self.weight_v = nn.Parameter(nn.Linear(features_in, features_out, bias=False).weight.detach().clone())

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, F.normalize(self.weight_v, dim=1))


class DinoHead(nn.Module):
    """MLP 3 layers -> L2-normalised bottleneck -> weight-normalised prototypes: [B, D] -> [B, K]."""

    def __init__(self, dim: int, hidden: int = 256, bottleneck: int = 64, prototypes: int = 512):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(),
                                 nn.Linear(hidden, bottleneck))
        self.last = UnitNormLinear(bottleneck, prototypes)

    def forward(self, x: Tensor) -> Tensor:
        return self.last(F.normalize(self.mlp(x), dim=-1))


class Student(nn.Module):
    def __init__(self, cfg: DinoV3Config):
        super().__init__()
        self.backbone = DinoV3(cfg)
        self.head = DinoHead(cfg.embed_dim)

    def forward(self, pixels: Tensor) -> Tensor:  # [B,3,H,W] -> [2B, K] (CLS rows, then mean-patch rows)
        features = self.backbone.features(pixels)
        tokens = torch.cat([features["x_norm_clstoken"], features["x_norm_patchtokens"].mean(dim=1)])
        return self.head(tokens)


def dino_loss(student_out: list[Tensor], teacher_out: list[Tensor], centre: Tensor, t_student: float,
              t_teacher: float) -> Tensor:
    """Cross-entropy between sharpened, centred teacher views and every other student view."""
    targets = [F.softmax((t - centre) / t_teacher, dim=-1) for t in teacher_out]
    total, terms = 0.0, 0
    for i, target in enumerate(targets):
        for j, s in enumerate(student_out):
            if i == j:
                continue
            total = total + torch.sum(-target * F.log_softmax(s / t_student, dim=-1), dim=-1).mean()
            terms += 1
    return total / terms


def train_ssl(images: Tensor, cfg: DinoV3Config, *, steps: int, batch: int, seed: int, checkpoint, log,
              lr: float = 1e-3, device: str = "cpu", checkpoint_every: int = 50,
              on_checkpoint: Callable[[int, DinoV3], None] | None = None) -> DinoV3:
    """images [N,3,S,S] in [-1,1] -> the teacher backbone (eval mode, frozen, on `device`). `checkpoint`
    saves/loads state every `checkpoint_every` steps and at the end, then `on_checkpoint(step, teacher
    backbone)` runs (e.g. to keep snapshots for a quality-per-hour curve)."""
    torch.manual_seed(seed)
    student, teacher = Student(cfg), Student(cfg)
    place(student, device), place(teacher, device)
    images = images.to(device)
    teacher.load_state_dict(student.state_dict())
    for p in teacher.parameters():
        p.requires_grad = False
    params = [p for p in student.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.04)
    centre = torch.zeros(1, student.head.last.weight_v.shape[0], device=device)
    state = checkpoint.load()
    start = 0
    if state:
        student.load_state_dict(_without_fixed_norm(state["student"]))
        teacher.load_state_dict(_without_fixed_norm(state["teacher"]))
        opt.load_state_dict(state["opt"]), centre.copy_(state["centre"])
        start = state["step"]
    gen = torch.Generator(device=device).manual_seed(seed * 1000 + start)
    size = images.shape[-1]
    started = time.time()
    for step in range(start, steps):
        progress = step / steps
        for group in opt.param_groups:  # linear warm-up, cosine decay
            group["lr"] = lr * min(1.0, (step + 1) / (0.1 * steps)) * 0.5 * (1 + math.cos(math.pi * progress))
        index = torch.randint(0, images.shape[0], (batch,), generator=gen, device=device)
        x = images[index]
        views = [colour_jitter(random_flip(random_resized_crops(x, size, (0.35, 1.0), gen), gen), gen) for _ in range(2)]
        views += [colour_jitter(random_flip(random_resized_crops(x, size // 2, (0.1, 0.35), gen), gen), gen) for _ in range(LOCAL_CROPS)]
        with torch.no_grad():
            teacher_out = [teacher(to_encoder_input(v)) for v in views[:2]]
        student_out = _split_views(student(to_encoder_input(torch.cat(views[:2]))), batch, 2)
        student_out += _split_views(student(to_encoder_input(torch.cat(views[2:]))), batch, LOCAL_CROPS)
        loss = dino_loss(student_out, teacher_out, centre, 0.1, teacher_temperature(step, steps))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 3.0)
        opt.step()
        with torch.no_grad():
            momentum = 1 - (1 - 0.99) * (math.cos(math.pi * progress) + 1) / 2
            for ps, pt in zip(student.parameters(), teacher.parameters()):
                pt.mul_(momentum).add_(ps.detach(), alpha=1 - momentum)
            batch_centre = torch.cat(teacher_out).mean(dim=0, keepdim=True)
            centre.mul_(0.9).add_(batch_centre, alpha=0.1)
        if (step + 1) % checkpoint_every == 0 or step + 1 == steps:
            log(f"ssl step {step + 1}/{steps} loss {loss.item():.4f} ({time.time() - started:.0f} s)")
            checkpoint.save({"student": student.state_dict(), "teacher": teacher.state_dict(), "opt": opt.state_dict(),
                             "centre": centre, "step": step + 1})
            if on_checkpoint is not None:
                on_checkpoint(step + 1, teacher.backbone)
    backbone = teacher.backbone.eval()
    for p in backbone.parameters():
        p.requires_grad = False
    return backbone


def _without_fixed_norm(state: dict) -> dict:
    """A checkpoint from before UnitNormLinear (nn.utils.weight_norm) also holds the fixed norm g = 1."""
    return {k: v for k, v in state.items() if not k.endswith("head.last.weight_g")}


def _split_views(out: Tensor, batch: int, views: int) -> list[Tensor]:
    """Student output rows [2 * views * B, K] (CLS block then mean-patch block) -> per view [2B, K]."""
    cls, patch = out.chunk(2)
    return [torch.cat([c, p]) for c, p in zip(cls.split(batch), patch.split(batch))][:views]


def teacher_temperature(step: int, steps: int) -> float:
    """0.07 -> 0.04 over the first 10 % of training (DINO's warm-up), then 0.04."""
    warmup = 0.1 * steps
    return 0.04 + 0.03 * max(0.0, 1 - step / warmup)
