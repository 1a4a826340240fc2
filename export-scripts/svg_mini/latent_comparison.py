"""The paper's claim in miniature: the same DiT, trained with the same budget on SVG-Mini's latents and on a
KL-VAE's, scored by Fréchet distance against training steps.

Both latent spaces are 8x8 token grids (SVG-Mini: 104 channels, DINO + residual; KL-VAE: VAE_CHANNELS), so
the DiT differs only in its input/output width. Each DiT is trained from the same seed with SVG-Mini's flow
stage (same batch, steps, learning rate, time shift, label dropout, EMA); its EMA is kept at every milestone.
Samples from each snapshot are decoded by their own decoder and compared with the held-out images in the
frozen SVG-Mini encoder's feature space (the evaluation's FD), at 25 Euler steps without and with guidance,
and at 5 steps with guidance. Every stage is resumable, like the pipeline's.
"""
import json
from dataclasses import replace
from pathlib import Path

import torch
from torch import Tensor

from svg_models.decoder import DecoderConfig
from svg_models.dit import DiT

from .autoencoder import ssim
from .data import CLASS_NAMES
from .evaluate import decode_tokens, features, frechet_distance, sample, save_grid
from .flow import train_flow
from .kl_vae import KlVae, train_kl_vae
from .pipeline import GRID, Budget, Checkpoint, configs, encode_training_set

VAE_CHANNELS = 4  # 8x8x4: the channel count of latent-diffusion KL-VAEs
MILESTONES = (200, 500, 1000)  # plus the last step of the budget
SETTINGS = ((25, 1.0), (25, 3.0), (5, 3.0))  # (Euler steps, guidance scale), at the manifest's shift
GRID_SETTING = (25, 3.0)  # the sample grid: the last snapshot of each space


def vae_config() -> DecoderConfig:
    return replace(configs()["decoder"], z_channels=VAE_CHANNELS)


def _train_dit(name: str, latents: dict, in_channels: int, budget: Budget, seed: int, folder: Path, log) -> dict[int, Path]:
    """-> {training step: EMA snapshot file}; finished snapshots are not retrained."""
    steps = tuple(m for m in MILESTONES if m < budget.flow_steps) + (budget.flow_steps,)
    files = {step: folder / f"{name}-dit-{step}.pt" for step in steps}
    if all(f.exists() for f in files.values()):
        return files

    def keep(step: int, ema: DiT) -> None:
        if step in files:
            torch.save(ema.state_dict(), files[step])

    torch.manual_seed(seed + 3)  # as the pipeline's flow stage
    dit = DiT(replace(configs()["dit"], in_channels=in_channels))
    train_flow(latents["tokens"], latents["labels"], dit, steps=budget.flow_steps, batch=budget.flow_batch,
               seed=seed + 3, checkpoint=Checkpoint(folder / f"{name}-dit.ckpt"), log=lambda m: log(f"{name}: {m}"),
               on_checkpoint=keep)
    return files


def _reconstruction(decoded: Tensor, originals: Tensor) -> dict:
    mse = ((decoded - originals) / 2).pow(2).flatten(1).mean(1)
    return {"psnr_db": float((-10 * torch.log10(mse)).mean()),
            "ssim": float(ssim((decoded + 1) / 2, (originals + 1) / 2, window=11))}


def compare(result: dict, run_dir: Path, budget: Budget, seed: int, out_dir: Path, manifest: dict,
            samples_per_class: int = 32, log=print) -> dict:
    """result: pipeline.run's output for the finished SVG-Mini run. Writes out_dir/latent-comparison.{json,png}
    (the grid: two rows of SVG-Mini samples, then two of KL-VAE samples, one column per class)."""
    folder = run_dir / "latent-comparison"
    folder.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    nets, data = result["networks"], result["data"]
    train_images, train_labels = data.images[result["train"]], data.labels[result["train"]]
    held_images = data.images[result["held_out"]]

    vae = KlVae(vae_config())
    final = folder / "kl-vae.pt"
    if final.exists():
        vae.load_state_dict(torch.load(final))
    else:
        torch.manual_seed(seed + 1)  # as the pipeline's autoencoder stage
        vae = KlVae(vae_config())
        train_kl_vae(train_images, vae, steps=budget.ae_steps, batch=budget.batch, seed=seed + 1,
                     checkpoint=Checkpoint(folder / "kl-vae.ckpt"), log=log)
        torch.save(vae.state_dict(), final)
    vae.eval()

    final = folder / "kl-vae-latents.pt"
    if final.exists():
        vae_latents = torch.load(final)
    else:
        vae_latents = encode_training_set(train_images, train_labels, vae.encode, seed)
        torch.save(vae_latents, final)

    spaces = {
        "svg": (result["latents"], nets.decoder, configs()["dit"].in_channels),
        "kl-vae": (vae_latents, vae.decoder, VAE_CHANNELS),
    }
    with torch.no_grad():
        vae_recon = torch.cat([vae.decoder(vae.encode(held_images[i:i + 64])).clamp(-1, 1)
                               for i in range(0, len(held_images), 64)])
    report = {"budget": {"flow_steps": budget.flow_steps, "flow_batch": budget.flow_batch,
                         "autoencoder_steps": budget.ae_steps},
              "latent_shape": {"svg": [GRID, GRID, spaces["svg"][2]], "kl-vae": [GRID, GRID, VAE_CHANNELS]},
              "parameters": {"svg_trainable": sum(p.numel() for m in (nets.residual, nets.decoder) for p in m.parameters()),
                             "kl-vae": sum(p.numel() for p in vae.parameters())},
              "kl_vae_reconstruction": _reconstruction(vae_recon, held_images),
              "shift": manifest["sampler"]["shift"], "samples": samples_per_class * len(CLASS_NAMES),
              "frechet_distance": {}}
    log(f"kl-vae held-out reconstruction: {report['kl_vae_reconstruction']}")

    real = features(nets.dino, held_images)
    labels = torch.arange(len(CLASS_NAMES)).repeat_interleave(samples_per_class)
    rows = []
    for name, (latents, decoder, channels) in spaces.items():
        snapshots = _train_dit(name, latents, channels, budget, seed, folder, log)
        dit = DiT(replace(configs()["dit"], in_channels=channels)).eval()
        curve = report["frechet_distance"][name] = {}
        for step, path in snapshots.items():
            dit.load_state_dict(torch.load(path))
            for steps, guidance in SETTINGS:
                tokens = sample(dit, labels, steps, report["shift"], guidance, seed)
                images = decode_tokens(decoder, tokens, latents["mean"], latents["std"], GRID)
                fd = frechet_distance(features(nets.dino, images), real)
                curve.setdefault(f"{steps} steps, guidance {guidance:g}", {})[str(step)] = fd
                if (steps, guidance) == GRID_SETTING and step == budget.flow_steps:
                    # Two rows per latent space: samples 0 and 1 of every class.
                    per_class = images.reshape(len(CLASS_NAMES), samples_per_class, *images.shape[1:])
                    rows.append(per_class[:, :2].transpose(0, 1).flatten(0, 1))
                log(f"{name} DiT at {step} training steps, {steps} sampling steps, guidance {guidance:g}: FD {fd:.3f}")
    save_grid(torch.cat(rows), len(CLASS_NAMES), out_dir / "latent-comparison.png")
    (out_dir / "latent-comparison.json").write_text(json.dumps(report, indent=2) + "\n")
    return report
