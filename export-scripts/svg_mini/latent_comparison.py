"""The paper's claim in miniature: the same DiT, trained with the same budget on SVG-Mini's latents and on a
KL-VAE's, scored by Fréchet distance against training steps. One implementation for both scales:

- v1 (`compare`, 32 px, pipeline.py): one seed, FD at three sampler settings per snapshot.
- v2 (`compare_v2`, 64 px, pipeline_v2.Run): N seeds (default 3), FD and class consistency per snapshot at the
  manifest's sampler defaults, each as the mean and standard deviation over seeds, and a reading per snapshot:
  whether |gap| exceeds 2 x the standard error of the difference (Welch: sqrt(sd_svg^2 / n + sd_kl^2 / n)).

Both latent spaces are 8x8 token grids (v1: 104 channels against VAE_CHANNELS; v2: 136 against VAE_CHANNELS),
so the DiT differs only in its input/output width. Each DiT is trained from the same seed with the pipeline's
flow stage (same batch, steps, learning rate, label dropout, EMA; v2 also its class-balanced batches and
RAE's dimension-dependent training shift, applied to each space's own dimension as the v2 recipe prescribes);
its EMA is kept at every milestone. Samples from each snapshot are decoded by their own decoder and compared
with the held-out images in the frozen encoder's feature space (the evaluation's FD). Every stage is
resumable, like the pipeline's: re-running the same command skips what is finished.

v2 cost on the 2-core CPU machine (V2_BUDGETS["cpu"], 3 seeds, full sizes, 1942 training images), measured
on the shared machine (a CI run beside it) and scaled:
- KL-VAE (4.0 M parameters), trained once: 300 steps x 32 at 6.0 s a step on 1 thread (tiny sizes 2.0 s)
  -> 0.3 h (2 threads) to 0.5 h (1 thread);
- DiTs: 300 steps x 64, 2 spaces x 3 seeds = 1800 steps at ~2.2 s (the v2 DiT on 2 cores; the KL-VAE's DiT is
  the same 256-wide network with a 4-channel input, its forward pass 0.9x the SVG one's) -> 1.1 h;
- scoring: 3 snapshots x 2 spaces x 3 seeds = 18, each 15 classes x 32 samples x 16 Euler steps x 2 passes
  (guidance), i.e. ~120 passes of 128 samples at 2.0 s each on 1 thread, plus decoding -> 2-4 min a snapshot,
  0.7-1.2 h;
- encoding both training sets (3884 images each): minutes.
All told about 2.5 CPU hours (2.1-2.8), resumable across sessions stage by stage and seed by seed.
"""
import json
import math
import statistics
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

import torch
from torch import Tensor

from svg_models.decoder import DecoderConfig
from svg_models.dit import DiT, DiTConfig

from .autoencoder import ssim
from .evaluate import decode_tokens, features, frechet_distance, sample, save_grid
from .evaluate_v2 import consistency, generate
from .flow import class_balanced_weights, train_flow
from .kl_vae import KlVae, train_kl_vae

VAE_CHANNELS = 4  # 8x8x4: the channel count of latent-diffusion KL-VAEs
MILESTONES = (200, 500, 1000)  # v1: plus the last step of the budget
SETTINGS = ((25, 1.0), (25, 3.0), (5, 3.0))  # v1: (Euler steps, guidance scale), at the manifest's shift
GRID_SETTING = (25, 3.0)  # v1's sample grid: the last snapshot of each space
SPACES = ("svg", "kl-vae")
FOLDER = "latent-comparison"  # inside the run folder: everything this comparison trains
NOISE_FACTOR = 2.0  # a gap is read as real when |gap| > NOISE_FACTOR x its standard error


def vae_config(decoder: DecoderConfig) -> DecoderConfig:
    """The KL-VAE: the pipeline's decoder config with VAE_CHANNELS latent channels (encoder its mirror)."""
    return replace(decoder, z_channels=VAE_CHANNELS)


def trained_kl_vae(folder: Path, images: Tensor, cfg: DecoderConfig, *, steps: int, batch: int, seed: int,
                   log) -> KlVae:
    """The KL-VAE of folder/kl-vae.pt, trained (resumably, from kl-vae.ckpt) when missing."""
    from .pipeline import Checkpoint

    final = folder / "kl-vae.pt"
    torch.manual_seed(seed + 1)  # as the pipeline's autoencoder stage
    vae = KlVae(cfg)
    if final.exists():
        vae.load_state_dict(torch.load(final, map_location="cpu"))
    else:
        train_kl_vae(images, vae, steps=steps, batch=batch, seed=seed + 1,
                     checkpoint=Checkpoint(folder / "kl-vae.ckpt"), log=log)
        torch.save(vae.state_dict(), final)
    return vae.eval()


def cached(path: Path, make: Callable[[], dict]) -> dict:
    if path.exists():
        return torch.load(path, map_location="cpu")
    value = make()
    torch.save(value, path)
    return value


def dit_snapshots(name: str, latents: dict, cfg: DiTConfig, *, steps: int, milestones: tuple[int, ...], batch: int,
                  seed: int, folder: Path, log, **flow_options) -> dict[int, Path]:
    """Trains `cfg` on `latents` (resumable from folder/<name>-dit.ckpt) -> {training step: EMA snapshot file}
    at every milestone below `steps` and at `steps`; finished snapshots are not retrained. Milestones must be
    checkpoint steps of train_flow (multiples of its checkpoint_every, default 100)."""
    from .pipeline import Checkpoint

    every = flow_options.get("checkpoint_every", 100)
    kept = tuple(m for m in milestones if m < steps) + (steps,)
    if any(m % every for m in kept[:-1]):
        raise ValueError(f"milestones {kept} must be multiples of checkpoint_every {every}")
    files = {step: folder / f"{name}-dit-{step}.pt" for step in kept}
    if all(f.exists() for f in files.values()):
        return files

    def keep(step: int, ema: DiT) -> None:
        if step in files:
            torch.save(ema.state_dict(), files[step])

    torch.manual_seed(seed)  # as the pipeline's flow stage (called with its seed + 3)
    train_flow(latents["tokens"], latents["labels"], DiT(cfg), steps=steps, batch=batch, seed=seed,
               checkpoint=Checkpoint(folder / f"{name}-dit.ckpt"), log=lambda m: log(f"{name}: {m}"),
               on_checkpoint=keep, **flow_options)
    return files


def load_snapshot(cfg: DiTConfig, path: Path) -> DiT:
    dit = DiT(cfg).eval()
    dit.load_state_dict(torch.load(path, map_location="cpu"))
    return dit


def _reconstruction(decoded: Tensor, originals: Tensor) -> dict:
    mse = ((decoded - originals) / 2).pow(2).flatten(1).mean(1)
    return {"psnr_db": float((-10 * torch.log10(mse)).mean()),
            "ssim": float(ssim((decoded + 1) / 2, (originals + 1) / 2, window=11))}


@torch.no_grad()
def kl_vae_reconstruction(vae: KlVae, images: Tensor) -> dict:
    decoded = torch.cat([vae.decoder(vae.encode(images[i:i + 64])).clamp(-1, 1) for i in range(0, len(images), 64)])
    return _reconstruction(decoded, images)


# ---- v1 ------------------------------------------------------------------------------------------------------
def compare(result: dict, run_dir: Path, budget, seed: int, out_dir: Path, manifest: dict,
            samples_per_class: int = 32, log=print) -> dict:
    """result: pipeline.run's output for the finished SVG-Mini run. Writes out_dir/latent-comparison.{json,png}
    (the grid: two rows of SVG-Mini samples, then two of KL-VAE samples, one column per class)."""
    from .data import CLASS_NAMES
    from .pipeline import GRID, configs, encode_training_set

    folder = run_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    nets, data = result["networks"], result["data"]
    train_images, train_labels = data.images[result["train"]], data.labels[result["train"]]
    held_images = data.images[result["held_out"]]

    vae = trained_kl_vae(folder, train_images, vae_config(configs()["decoder"]), steps=budget.ae_steps,
                         batch=budget.batch, seed=seed, log=log)
    vae_latents = cached(folder / "kl-vae-latents.pt",
                         lambda: encode_training_set(train_images, train_labels, vae.encode, seed))
    dit_cfg = configs()["dit"]
    spaces = {
        "svg": (result["latents"], nets.decoder, dit_cfg.in_channels),
        "kl-vae": (vae_latents, vae.decoder, VAE_CHANNELS),
    }
    report = {"budget": {"flow_steps": budget.flow_steps, "flow_batch": budget.flow_batch,
                         "autoencoder_steps": budget.ae_steps},
              "latent_shape": {"svg": [GRID, GRID, spaces["svg"][2]], "kl-vae": [GRID, GRID, VAE_CHANNELS]},
              "parameters": {"svg_trainable": sum(p.numel() for m in (nets.residual, nets.decoder) for p in m.parameters()),
                             "kl-vae": sum(p.numel() for p in vae.parameters())},
              "kl_vae_reconstruction": kl_vae_reconstruction(vae, held_images),
              "shift": manifest["sampler"]["shift"], "samples": samples_per_class * len(CLASS_NAMES),
              "frechet_distance": {}}
    log(f"kl-vae held-out reconstruction: {report['kl_vae_reconstruction']}")

    real = features(nets.dino, held_images)
    labels = torch.arange(len(CLASS_NAMES)).repeat_interleave(samples_per_class)
    rows = []
    for name, (latents, decoder, channels) in spaces.items():
        cfg = replace(dit_cfg, in_channels=channels)
        snapshots = dit_snapshots(name, latents, cfg, steps=budget.flow_steps, milestones=MILESTONES,
                                  batch=budget.flow_batch, seed=seed + 3, folder=folder, log=log)
        curve = report["frechet_distance"][name] = {}
        for step, path in snapshots.items():
            dit = load_snapshot(cfg, path)
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


# ---- v2 ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComparisonBudget:
    """The v2 comparison's training: the KL-VAE (once, see compare_v2) and each DiT (per seed and space)."""
    vae_steps: int
    vae_batch: int
    dit_steps: int
    dit_batch: int
    milestones: tuple[int, ...]  # EMA snapshots kept (plus dit_steps), multiples of checkpoint_every
    checkpoint_every: int = 100


V2_BUDGETS = {
    "smoke": ComparisonBudget(vae_steps=2, vae_batch=4, dit_steps=2, dit_batch=4, milestones=(1,), checkpoint_every=1),
    # 300 DiT steps: the shift ablation's length, where v2's DiTs already separate (README, ablation table).
    "cpu": ComparisonBudget(vae_steps=300, vae_batch=32, dit_steps=300, dit_batch=64, milestones=(100, 200)),
}


class ComparisonSettingsError(ValueError):
    """The comparison folder was trained under other settings than the ones asked for."""


def check_same_budget(path: Path, settings: dict) -> None:
    """Resuming reuses what is trained: refuse a folder trained under other settings instead of mixing them."""
    settings = json.loads(json.dumps(settings))  # tuples as lists, as read back
    if path.exists():
        recorded = json.loads(path.read_text())
        if recorded != settings:
            raise ComparisonSettingsError(f"{path.parent}: trained with {recorded}, asked for {settings}; use another run "
                             "folder or remove that one to start over")
    else:
        path.write_text(json.dumps(settings) + "\n")


def mean_and_spread(values: list[float | None]) -> dict:
    """{"mean", "std" (sample std, None for one seed), "per_seed"}; None values (unscored) are left out."""
    present = [v for v in values if v is not None]
    return {"mean": statistics.fmean(present) if present else None,
            "std": statistics.stdev(present) if len(present) >= 2 else None, "per_seed": values}


def gap_reading(metric: str, svg: dict, kl: dict, lower_is_better: bool) -> dict:
    """The KL-VAE's mean minus SVG's, its standard error over seeds (Welch) and whether the gap exceeds
    NOISE_FACTOR x that error, with a one-line reading."""
    if svg["mean"] is None or kl["mean"] is None:
        return {"kl_vae_minus_svg": None, "standard_error": None, "exceeds_noise": None,
                "reading": f"{metric}: not scored"}
    gap = kl["mean"] - svg["mean"]
    n_svg = sum(v is not None for v in svg["per_seed"])
    n_kl = sum(v is not None for v in kl["per_seed"])
    if svg["std"] is None or kl["std"] is None:
        return {"kl_vae_minus_svg": gap, "standard_error": None, "exceeds_noise": None,
                "reading": f"{metric}: gap {gap:+.4g} (KL-VAE - SVG) from one seed, no spread to judge it by"}
    error = math.sqrt(svg["std"] ** 2 / n_svg + kl["std"] ** 2 / n_kl)
    exceeds = abs(gap) > NOISE_FACTOR * error
    better = "SVG" if (gap > 0) == lower_is_better else "KL-VAE"
    verdict = f"exceeds {NOISE_FACTOR:g} x SE: {better} is better" if exceeds else \
        f"within {NOISE_FACTOR:g} x SE: no difference beyond the seed noise"
    return {"kl_vae_minus_svg": gap, "standard_error": error, "exceeds_noise": exceeds,
            "reading": f"{metric}: gap {gap:+.4g} (KL-VAE - SVG), SE {error:.3g}, {verdict}"}


@torch.no_grad()
def score_snapshot(dit: DiT, decoder, latents: dict, labels: Tensor, sampler: dict, seed: int, dino, real: Tensor,
                   judge, classes: int) -> dict:

    images = generate(dit, decoder, labels, sampler["steps"], sampler["shift"], sampler["guidanceScale"], seed,
                      latents["mean"], latents["std"])
    return {"frechet_distance": frechet_distance(features(dino, images), real),
            "class_consistency": consistency(judge, images, labels, classes)["overall"] if judge is not None else None}


def compare_v2(run, manifest: dict, out_dir: Path, seeds: int = 3, budget: ComparisonBudget = V2_BUDGETS["cpu"],
               samples_per_class: int = 32, log=print) -> dict:
    """run: a pipeline_v2.Run whose ssl, autoencoder and decoder stages are finished (classifier.pt, when there,
    judges class consistency). Trains in run.dir/latent-comparison/ only; writes out_dir/latent-comparison.json.

    The KL-VAE is trained once for all seeds, like the SVG side's encoder and decoder (the finished run's, one
    training): both spaces then have one fixed autoencoder, and the seeds vary what the comparison is about, the
    DiT trained on each space (its initialisation, batches, noise) and the sampling noise. Training one VAE per
    seed would add the VAE's seed noise to one side only, and triple the dearest stage."""
    if seeds < 1:
        raise ValueError(f"seeds must be at least 1, got {seeds}")
    from .pipeline import encode_training_set
    from .pipeline_v2 import DECODER_NOISE, dimension_shift

    folder = run.dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    check_same_budget(folder / "budget.json", {"budget": asdict(budget), "sizes": asdict(run.sizes)})
    out_dir.mkdir(parents=True, exist_ok=True)
    data, classes = run.data, len(run.data.class_names)
    held_images = data.images[data.held_index]
    dino = run.ssl()
    residual = run.autoencoder(dino)
    svg_decoder = run.decoder(dino, residual, DECODER_NOISE)
    judge = run.classifier() if run.file("classifier").exists() else None  # never trained here

    vae = trained_kl_vae(folder, run.train_images, vae_config(run.cfg["decoder"]), steps=budget.vae_steps,
                         batch=budget.vae_batch, seed=run.seed, log=log)
    spaces = {
        "svg": (cached(folder / "svg-latents.pt", lambda: run.latents(dino, residual)), svg_decoder,
                run.cfg["dit"].in_channels),
        "kl-vae": (cached(folder / "kl-vae-latents.pt", lambda: encode_training_set(
            run.train_images, run.train_labels, vae.encode, run.seed)), vae.decoder, VAE_CHANNELS),
    }
    sampler = {k: manifest["sampler"][k] for k in ("steps", "shift", "guidanceScale")}
    tokens = run.grid * run.grid
    report: dict = {
        "seeds": seeds, "sampler": sampler, "samples_per_seed": samples_per_class * classes,
        "budget": {"vae_steps": budget.vae_steps, "vae_batch": budget.vae_batch, "dit_steps": budget.dit_steps,
                   "dit_batch": budget.dit_batch},
        "latent_shape": {name: [run.grid, run.grid, channels] for name, (_, _, channels) in spaces.items()},
        "training_shift": {name: dimension_shift(tokens, channels) for name, (_, _, channels) in spaces.items()},
        "parameters": {"svg_trainable": sum(p.numel() for m in (residual, svg_decoder) for p in m.parameters()),
                       "kl-vae": sum(p.numel() for p in vae.parameters())},
        "kl_vae_reconstruction": kl_vae_reconstruction(vae, held_images),
        "judge": judge is not None, "noise_rule": f"|gap| > {NOISE_FACTOR:g} x sqrt(sd_svg^2/n + sd_kl^2/n)",
    }
    log(f"kl-vae held-out reconstruction: {report['kl_vae_reconstruction']}")

    real = features(dino, held_images)
    labels = torch.arange(classes).repeat_interleave(samples_per_class)
    scores: dict[str, dict[int, list]] = {name: {} for name in spaces}  # space -> step -> per-seed scores
    grid_rows = []  # seed 0's last snapshot of each space: two rows, samples 0 and 1 of every class
    for s in range(seeds):
        seed_folder = folder / f"seed-{s}"
        seed_folder.mkdir(exist_ok=True)
        for name, (latents, decoder, channels) in spaces.items():
            cfg = replace(run.cfg["dit"], in_channels=channels)
            snapshots = dit_snapshots(
                name, latents, cfg, steps=budget.dit_steps, milestones=budget.milestones, batch=budget.dit_batch,
                seed=run.seed + 3 + 1000 * s, folder=seed_folder, log=lambda m, s=s: log(f"seed {s}: {m}"),
                shift=report["training_shift"][name], sample_weights=class_balanced_weights(latents["labels"]),
                checkpoint_every=budget.checkpoint_every)
            for step, path in snapshots.items():
                # Scored once per sampler setting, like a stage: a new manifest default scores again.
                score_file = path.with_name(path.stem + "-score.json")
                score = json.loads(score_file.read_text()) if score_file.exists() else None
                if score is None or score.get("sampler") != sampler:
                    score = {"sampler": sampler, **score_snapshot(
                        load_snapshot(cfg, path), decoder, latents, labels, sampler, run.seed + s, dino, real,
                        judge, classes)}
                    score_file.write_text(json.dumps(score) + "\n")
                    log(f"seed {s}, {name} DiT at {step} steps: {score}")
                scores[name].setdefault(step, []).append(score)
            if s == 0:
                last = max(snapshots)
                grid_labels = torch.arange(classes).repeat(2)  # [2 x classes]: one row per sample index
                grid_rows.append(generate(load_snapshot(cfg, snapshots[last]), decoder, grid_labels,
                                          sampler["steps"], sampler["shift"], sampler["guidanceScale"], run.seed,
                                          latents["mean"], latents["std"]))

    report["snapshots"] = {}
    for step in scores["svg"]:
        entry: dict = {}
        for name in spaces:
            entry[name] = {metric: mean_and_spread([sc[metric] for sc in scores[name][step]])
                           for metric in ("frechet_distance", "class_consistency")}
        entry["gap"] = {
            "frechet_distance": gap_reading("FD", entry["svg"]["frechet_distance"],
                                            entry["kl-vae"]["frechet_distance"], lower_is_better=True),
            "class_consistency": gap_reading("consistency", entry["svg"]["class_consistency"],
                                             entry["kl-vae"]["class_consistency"], lower_is_better=False)}
        entry["reading"] = "; ".join(g["reading"] for g in entry["gap"].values())
        report["snapshots"][str(step)] = entry
        log(f"at {step} DiT steps: {entry['reading']}")
    save_grid(torch.cat(grid_rows), classes, out_dir / "latent-comparison.png")
    report["grid"] = {"file": "latent-comparison.png", "rows": [f"{name}, sample {k}" for name in spaces
                                                                for k in (0, 1)],
                      "dit_steps": budget.dit_steps, "seed": 0}
    (out_dir / "latent-comparison.json").write_text(json.dumps(report, indent=2, allow_nan=False) + "\n")
    return report
