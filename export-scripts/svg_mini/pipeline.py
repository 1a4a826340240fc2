"""The SVG-Mini pipeline: sizes, stages, checkpoints. Each stage saves periodic checkpoints and a final
file; a finished stage is skipped, an interrupted one resumes from its last checkpoint. Seeded throughout.
"""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
from torch import Tensor

from svg_export.model_set import ModelSetInfo, SamplerDefaults, SvgNetworks, write_model_set
from svg_models.decoder import Decoder, DecoderConfig
from svg_models.dinov3 import DinoV3, DinoV3Config
from svg_models.dit import DiT, DiTConfig
from svg_models.residual_vit import ResidualViT, ResidualViTConfig

from .autoencoder import encode, train_autoencoder
from .data import CLASS_NAMES, load_emoji, split_by_emoji
from .flow import latent_statistics, to_tokens, train_flow
from .ssl import train_ssl

RESOLUTION = 32
PATCH = 4
GRID = RESOLUTION // PATCH  # 8 x 8 tokens
HELD_OUT_FRACTION = 0.1
DEFAULT_STEPS = 16


@dataclass(frozen=True)
class Budget:
    """Optimiser steps per stage; `smoke` is for tests (seconds), `full` for the shipped model (about 1.5 h on 2
    CPU cores: self-distillation 1.3-2.5 s a step, autoencoder about 3 s, DiT about 0.6 s)."""
    ssl_steps: int
    ae_steps: int
    flow_steps: int
    batch: int = 64
    flow_batch: int = 128


BUDGETS = {"smoke": Budget(2, 2, 2, batch=8, flow_batch=8), "full": Budget(600, 300, 1500)}


def configs() -> dict:
    dino = DinoV3Config(embed_dim=96, depth=4, num_heads=4, patch_size=PATCH, ffn_layer="mlp", ffn_ratio=4.0,
                        n_storage_tokens=2)
    channels = dino.embed_dim + 8
    return {
        "dino": dino,
        "residual": ResidualViTConfig(image_size=RESOLUTION, patch_size=PATCH, num_layers=2, num_heads=4,
                                      hidden_dim=96, mlp_dim=256, output_dim=8),
        "decoder": DecoderConfig(z_channels=channels, resolution=RESOLUTION, ch=64, ch_mult=(1, 2, 2),
                                 num_res_blocks=1, attn_resolutions=(GRID,)),
        "dit": DiTConfig(in_channels=channels, hidden_size=128, depth=5, num_heads=4, num_classes=len(CLASS_NAMES),
                         learn_sigma=False, grid=(GRID, GRID)),
    }


class Checkpoint:
    def __init__(self, path: Path):
        self.path = path

    def load(self):
        return torch.load(self.path) if self.path.exists() else None

    def save(self, state) -> None:
        tmp = self.path.with_suffix(".tmp")
        torch.save(state, tmp)
        os.replace(tmp, self.path)  # never a half-written checkpoint


def run(run_dir: Path, node_modules: Path, budget: Budget, seed: int, log=print, export_to: Path | None = None,
        check_with_ort: bool = True) -> dict:
    run_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    cfg = configs()
    data = load_emoji(node_modules, RESOLUTION, with_skin_tones=False)
    train_index, held_index = split_by_emoji(data, HELD_OUT_FRACTION, seed)
    train_images, train_labels = data.images[train_index], data.labels[train_index]
    log(f"data: {len(train_index)} training and {len(held_index)} held-out images, {len(CLASS_NAMES)} classes")

    final = run_dir / "ssl.pt"
    dino = DinoV3(cfg["dino"])
    if final.exists():
        dino.load_state_dict(torch.load(final))
    else:
        dino.load_state_dict(train_ssl(train_images, cfg["dino"], steps=budget.ssl_steps, batch=budget.batch,
                                       seed=seed, checkpoint=Checkpoint(run_dir / "ssl.ckpt"), log=log).state_dict())
        torch.save(dino.state_dict(), final)
    dino.eval().requires_grad_(False)

    final = run_dir / "autoencoder.pt"
    residual, decoder = ResidualViT(cfg["residual"]), Decoder(cfg["decoder"])
    if final.exists():
        state = torch.load(final)
        residual.load_state_dict(state["residual"]), decoder.load_state_dict(state["decoder"])
    else:
        torch.manual_seed(seed + 1)
        residual, decoder = ResidualViT(cfg["residual"]), Decoder(cfg["decoder"])
        train_autoencoder(train_images, dino, residual, decoder, steps=budget.ae_steps, batch=budget.batch,
                          seed=seed + 1, checkpoint=Checkpoint(run_dir / "autoencoder.ckpt"), log=log)
        torch.save({"residual": residual.state_dict(), "decoder": decoder.state_dict()}, final)
    residual.eval(), decoder.eval()

    final = run_dir / "latents.pt"
    if final.exists():
        latents = torch.load(final)
    else:
        latents = encode_training_set(train_images, train_labels, lambda x: encode(dino, residual, x, GRID), seed)
        torch.save(latents, final)
        log(f"latents: {tuple(latents['tokens'].shape)}, std {latents['std'].min():.3f}..{latents['std'].max():.3f}")

    final = run_dir / "dit.pt"
    dit = DiT(cfg["dit"])
    if final.exists():
        dit.load_state_dict(torch.load(final))
    else:
        torch.manual_seed(seed + 3)
        dit = train_flow(latents["tokens"], latents["labels"], DiT(cfg["dit"]), steps=budget.flow_steps,
                         batch=budget.flow_batch, seed=seed + 3, checkpoint=Checkpoint(run_dir / "dit.ckpt"), log=log)
        torch.save(dit.state_dict(), final)
    dit.eval()

    networks = SvgNetworks(dino=dino, residual=residual, decoder=decoder, dit=dit)
    if export_to is not None:
        write_model_set(networks, model_set_info(latents["mean"], latents["std"]), export_to, log=log,
                        check_with_ort=check_with_ort, float16=True)
    return {"networks": networks, "latents": latents, "data": data, "train": train_index, "held_out": held_index}


def encode_training_set(images: Tensor, labels: Tensor, encode_batch: Callable[[Tensor], Tensor], seed: int) -> dict:
    """The DiT's training set: both orientations of every training image, encoded in batches of 64 as in
    training (SVG's alignment uses batch statistics), in a seeded order -> standardised tokens [N, h*w, C],
    labels [N] and the per-channel statistics of the raw latents."""
    images, labels = torch.cat([images, images.flip(-1)]), torch.cat([labels, labels])
    order = torch.randperm(images.shape[0], generator=torch.Generator().manual_seed(seed + 2))
    with torch.no_grad():
        raw = torch.cat([encode_batch(images[order[i:i + 64]]) for i in range(0, len(order), 64)])
    mean, std = latent_statistics(raw)
    return {"tokens": to_tokens(raw, mean, std), "labels": labels[order], "mean": mean, "std": std}


def model_set_info(mean, std) -> ModelSetInfo:
    return ModelSetInfo(
        id="svg-mini",
        name="SVG-Mini (emoji, trained here)",
        description="SVG's recipe at toy scale, trained on this project's CPU machine on Noto Emoji and Twemoji "
        "artwork (32x32, 12 emoji classes): a self-distilled DINOv3-family ViT (frozen), a residual ViT and "
        "decoder, and a rectified-flow DiT on the 8x8x104 latent. Not the paper's ImageNet model.",
        random_weights=False,
        license="Model weights: Apache-2.0. Training images: Noto Emoji (Apache-2.0), Twemoji graphics (CC-BY 4.0).",
        attribution="Trained on Noto Emoji (Google, Apache-2.0) and Twemoji (Twitter, Inc. and other contributors, "
        "CC-BY 4.0, https://github.com/twitter/twemoji) via the emoji-datasource npm packages. Architectures of "
        "SVG (Shi, Wang, Zheng et al., arXiv 2510.15301) and DINOv3 (Meta AI).",
        resolution=RESOLUTION,
        class_names=CLASS_NAMES,
        latent_mean=tuple(float(v) for v in mean),
        latent_std=tuple(float(v) for v in std),
        # Shift and guidance as chosen by `npm run tune:svg-mini` on the trained model
        # (docs/svg-mini/sampler-sweep.json: lowest FD with class consistency within 0.05 of the best).
        sampler=SamplerDefaults(steps=DEFAULT_STEPS, sampler="euler", shift=0.2, guidance_scale=4.5,
                                guidance_schedule="constant"),
        created_by="export-scripts/train_svg_mini.py",
    )
