"""SVG-Mini v2 evaluation (docs/svg-mini-v2/metrics.json and grids), re-runnable on a finished run.

Targets (issue "SVG-Mini v2"), each measured as written here:
- reconstruction of the held-out emoji (PSNR, SSIM; 11x11 Gaussian SSIM on [0, 1] RGB), with the shipped
  noise-robust decoder and with the clean control decoder, each also "DINO only" (residual at its training
  mean);
- linear probe (CLS + mean patch token, DINOv2/v3 protocol; weight decay chosen on a by-emoji validation split
  of the training set) of the frozen encoder against the same architecture with random weights;
- the judge: classifier.pt's accuracy on the held-out real images (overall and class-balanced);
- class consistency at the manifest's sampler defaults (the judge's label = requested class), per class too;
- Fréchet distance between generated and held-out images in the frozen encoder's mean patch token at 1, 2, 5,
  10 and 25 Euler steps (manifest shift and guidance);
- the ablation: shift (RAE's dimension-dependent vs v1's 0.4, two DiTs of equal steps) and decoder
  (noise-robust vs clean, decoding the same samples of the shipped DiT), FD and consistency at the defaults;
- a grid of every class x 8 seeds at the defaults.
"""
import json
import random
import statistics
from pathlib import Path

import torch
from torch import Tensor

from svg_models.dinov3 import DinoV3

from .autoencoder import encode, ssim
from .classifier import accuracy, predict
from .evaluate import (decode_tokens, features, frechet_distance, linear_probe, probe_features, sample, save_grid)
from .prepared import PreparedData

FD_STEPS = (1, 2, 5, 10, 25)
PROBE_VALIDATION_FRACTION = 0.1


def validation_split(data: PreparedData, among: Tensor, fraction: float, seed: int) -> tuple[Tensor, Tensor]:
    """(fit, validation) indices inside `among`: per class a seeded fraction of its emoji, all their styles."""
    held: set[str] = set()
    for label in range(len(data.class_names)):
        members = sorted({data.emoji[i] for i in among.tolist() if int(data.labels[i]) == label})
        random.Random(f"validation:{seed}:{label}").shuffle(members)
        held.update(members[:max(1, round(len(members) * fraction))] if len(members) >= 2 else [])
    mask = torch.tensor([data.emoji[i] in held for i in among.tolist()])
    return among[~mask], among[mask]


@torch.no_grad()
def reconstruct(dino, residual, decoder, images: Tensor, mean: Tensor, grid: int) -> tuple[Tensor, Tensor]:
    """Held-out images -> (reconstructions, DINO-only reconstructions), encoded in batches of 64 as trained."""
    dim = dino.config.embed_dim
    recon, dino_only = [], []
    for i in range(0, len(images), 64):
        latent = encode(dino, residual, images[i:i + 64], grid)
        recon.append(decoder(latent).clamp(-1, 1))
        latent[:, dim:] = mean[dim:, None, None]
        dino_only.append(decoder(latent).clamp(-1, 1))
    return torch.cat(recon), torch.cat(dino_only)


def psnr(x: Tensor, reference: Tensor) -> float:
    mse = ((x - reference) / 2).pow(2).flatten(1).mean(1)
    return float((-10 * torch.log10(mse.clamp(min=1e-10))).mean())


def ssim_of(x: Tensor, reference: Tensor) -> float:
    return float(ssim((x + 1) / 2, (reference + 1) / 2, window=11))


@torch.no_grad()
def generate(dit, decoder, labels: Tensor, steps: int, shift: float, guidance: float, seed: int, mean: Tensor,
             std: Tensor, batch: int = 128) -> Tensor:
    """Euler samples of `labels`, decoded: [B, 3, S, S] in [-1, 1] (seeded per batch)."""
    grid = dit.config.grid[0]
    out = []
    for k, i in enumerate(range(0, len(labels), batch)):
        tokens = sample(dit, labels[i:i + batch], steps, shift, guidance, seed * 1000 + k)
        out.append(decode_tokens(decoder, tokens, mean, std, grid))
    return torch.cat(out)


def consistency(judge, images: Tensor, labels: Tensor, classes: int) -> dict:
    predicted = predict(judge, images)
    per_class = [float((predicted[labels == c] == c).float().mean()) for c in range(classes)]
    return {"overall": float((predicted == labels).float().mean()), "per_class": per_class}


@torch.no_grad()
def evaluate_v2(result: dict, data: PreparedData, sampler: dict, out_dir: Path, seed: int = 0,
                samples_per_class: int = 32, fd_steps: tuple[int, ...] = FD_STEPS, log=print) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    dino, residual, decoder, dit = result["dino"], result["residual"], result["decoder"], result["dit"]
    mean, std = result["mean"], result["std"]
    classes = len(data.class_names)
    grid = dit.config.grid[0]
    held, train = data.held_index, data.train_index
    held_images, held_labels = data.images[held], data.labels[held]
    metrics: dict = {"class_names": list(data.class_names), "seed": seed, "held_out_images": len(held),
                     "training_steps": result.get("steps", {})}

    # Reconstruction, shipped decoder and (when trained) the clean control.
    decoders = {"noise_robust": decoder, **({"clean": result["decoder_clean"]} if result.get("decoder_clean") else {})}
    metrics["reconstruction"] = {}
    for name, dec in decoders.items():
        recon, dino_only = reconstruct(dino, residual, dec, held_images, mean, grid)
        metrics["reconstruction"][name] = {"psnr_db": psnr(recon, held_images), "ssim": ssim_of(recon, held_images),
                                           "dino_only_psnr_db": psnr(dino_only, held_images),
                                           "dino_only_ssim": ssim_of(dino_only, held_images)}
        if name == "noise_robust":
            save_grid(torch.cat([held_images[::22][:12], recon[::22][:12], dino_only[::22][:12]]), 12,
                      out_dir / "reconstruction.png")
    log(f"reconstruction: {metrics['reconstruction']}")

    # Linear probe: the frozen encoder against the same architecture with random weights.
    torch.manual_seed(seed)
    random_dino = DinoV3(dino.config).eval()
    fit, validation = validation_split(data, train, PROBE_VALIDATION_FRACTION, seed)
    probe = {"features": "CLS token + mean patch token"}
    for name, encoder in (("trained", dino), ("random_weights", random_dino)):
        r = linear_probe(probe_features(encoder, data.images), data.labels, fit, validation, train, held, seed,
                         classes)
        probe[name], probe[f"{name}_weight_decay"] = r["accuracy"], r["weight_decay"]
    probe["points_over_random"] = 100 * (probe["trained"] - probe["random_weights"])
    metrics["linear_probe"] = probe
    log(f"linear probe: {probe}")

    # The judge on real held-out images.
    judge = result["classifier"]
    metrics["classifier_held_out"] = accuracy(predict(judge, held_images), held_labels, classes)
    log(f"classifier on held-out real images: {metrics['classifier_held_out']}")

    # Generation at the defaults: consistency, grid; FD per step count.
    steps, shift, guidance = sampler["steps"], sampler["shift"], sampler["guidanceScale"]
    labels = torch.arange(classes).repeat_interleave(samples_per_class)
    real = features(dino, held_images)
    generation = {"samples": len(labels), "steps": steps, "shift": shift, "guidance_scale": guidance,
                  "frechet_distance": {}}
    default_images = generate(dit, decoder, labels, steps, shift, guidance, seed, mean, std)
    generation["class_consistency"] = consistency(judge, default_images, labels, classes)
    generation["frechet_distance_at_default_steps"] = frechet_distance(features(dino, default_images), real)
    per_class = default_images.reshape(classes, samples_per_class, *default_images.shape[1:])[:, :8]
    save_grid(per_class.flatten(0, 1), 8, out_dir / "samples-per-class.png")
    log(f"generation at the defaults: consistency {generation['class_consistency']['overall']:.3f}, "
        f"FD {generation['frechet_distance_at_default_steps']:.3f}")
    for n in fd_steps:
        images = default_images if n == steps else generate(dit, decoder, labels, n, shift, guidance, seed, mean, std)
        generation["frechet_distance"][str(n)] = frechet_distance(features(dino, images), real)
        log(f"{n} steps: FD {generation['frechet_distance'][str(n)]:.3f}")
    fd = generation["frechet_distance"]
    if "5" in fd and "25" in fd:
        generation["fd_5_over_25"] = fd["5"] / fd["25"]
    metrics["generation"] = generation

    # Ablations at the defaults (same labels and seeds).
    ablation = {}
    if result.get("decoder_clean") is not None:
        tokens = [sample(dit, labels[i:i + 128], steps, shift, guidance, seed * 1000 + k)
                  for k, i in enumerate(range(0, len(labels), 128))]
        for name, dec in decoders.items():
            images = torch.cat([decode_tokens(dec, t, mean, std, grid) for t in tokens])
            ablation[f"decoder {name}"] = {"frechet_distance": frechet_distance(features(dino, images), real),
                                           "class_consistency": consistency(judge, images, labels, classes)["overall"],
                                           "psnr_db": metrics["reconstruction"][name]["psnr_db"]}
    for stage, dit_arm in (result.get("ablation_dits") or {}).items():
        images = generate(dit_arm, decoder, labels, steps, shift, guidance, seed, mean, std)
        ablation[stage] = {"frechet_distance": frechet_distance(features(dino, images), real),
                           "class_consistency": consistency(judge, images, labels, classes)["overall"]}
    metrics["ablation"] = ablation
    if ablation:
        log(f"ablation: {ablation}")
    metrics_path = out_dir / "metrics.json"
    if result.get("restored"):
        metrics = carry_over_unmeasured(metrics, metrics_path, log)
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


# What a run restored from the model set (svg_mini/restore.py) cannot measure again: the stages that never ship.
UNRESTORABLE = {"training_steps": ("dit",), "reconstruction": ("clean",),
                "ablation": ("decoder noise_robust", "decoder clean", "ablation-dit-shift-dim",
                             "ablation-dit-shift-0.4")}


def carry_over_unmeasured(metrics: dict, previous_path: Path, log=print) -> dict:
    """`metrics` with the UNRESTORABLE entries it lacks taken from the metrics.json it replaces, each named in
    "carried_over", so that re-evaluating a restored run does not erase measurements it cannot repeat."""
    try:
        previous = json.loads(previous_path.read_text())
    except (OSError, ValueError):
        return metrics
    carried = []
    for section, keys in UNRESTORABLE.items():
        old = previous.get(section)
        for key in keys:
            if isinstance(old, dict) and key in old and key not in metrics.get(section, {}):
                metrics.setdefault(section, {})[key] = old[key]
                carried.append(f"{section}.{key}")
    if carried:
        metrics["carried_over"] = {"from": str(previous_path), "entries": carried,
                                   "why": "not restorable from the model set (those networks never ship)"}
        log(f"carried over from {previous_path}: {', '.join(carried)}")
    return metrics


@torch.no_grad()
def score_snapshots(run, result: dict, sampler: dict, out_path: Path, seed: int = 0, samples_per_class: int = 8,
                    log=print, every: int = 1) -> dict:
    """Quality per hour of CPU training from run/snapshots: the probe's margin over random weights per SSL
    snapshot, held-out PSNR per autoencoder snapshot, FD and consistency per DiT snapshot (at the defaults).
    Hours = step x the stage's median seconds per step between consecutive snapshots (all snapshots count
    for the rate); only snapshots whose step is a multiple of `every` are scored."""
    from svg_models.decoder import Decoder
    from svg_models.dit import DiT
    from svg_models.residual_vit import ResidualViT

    from .pipeline_v2 import full

    data, folder = run.data, run.dir / "snapshots"
    held, train = data.held_index, data.train_index
    held_images = data.images[held]
    classes = len(data.class_names)
    curve: dict = {}

    def hours(stage: str, snaps: list[dict]) -> list[float | None]:
        """None while one snapshot gives no rate (strict JSON has no NaN)."""
        rates = [(b["wall_time"] - a["wall_time"]) / (b["step"] - a["step"]) for a, b in zip(snaps, snaps[1:])
                 if b["wall_time"] > a["wall_time"]]
        if not rates:
            return [None] * len(snaps)
        per_step = statistics.median(rates)
        return [s["step"] * per_step / 3600 for s in snaps]

    def scored(snaps: list[dict], snap_hours: list[float | None]):
        return [(snap, h) for snap, h in zip(snaps, snap_hours) if snap["step"] % every == 0]

    def load(stage: str) -> list[dict]:
        return [torch.load(p, map_location="cpu") for p in sorted(folder.glob(f"{stage}-*.pt"))]

    snaps = load("ssl")
    if snaps:
        fit, validation = validation_split(data, train, PROBE_VALIDATION_FRACTION, seed)
        torch.manual_seed(seed)  # the same random-weight baseline as evaluate_v2's probe, run after run
        random_dino = DinoV3(run.cfg["dino"]).eval()
        base = linear_probe(probe_features(random_dino, data.images), data.labels, fit, validation, train, held,
                            seed, classes)["accuracy"]
        rows = []
        for snap, h in scored(snaps, hours("ssl", snaps)):
            dino = DinoV3(run.cfg["dino"]).eval()
            dino.load_state_dict(snap["dino"])
            acc = linear_probe(probe_features(dino, data.images), data.labels, fit, validation, train, held, seed,
                               classes)["accuracy"]
            rows.append({"step": snap["step"], "hours": h, "probe": acc, "points_over_random": 100 * (acc - base)})
            log(f"ssl snapshot {rows[-1]}")
        curve["ssl"] = rows
    snaps = load("autoencoder")
    if snaps and run.file("ssl").exists():
        dino = result["dino"] if result.get("dino") is not None else run._dino()
        rows = []
        for snap, h in scored(snaps, hours("autoencoder", snaps)):
            residual, decoder = ResidualViT(run.cfg["residual"]).eval(), Decoder(run.cfg["decoder"]).eval()
            residual.load_state_dict(snap["residual"]), decoder.load_state_dict(snap["decoder"])
            recon = torch.cat([decoder(encode(dino, residual, held_images[i:i + 64], run.grid)).clamp(-1, 1)
                               for i in range(0, len(held_images), 64)])
            rows.append({"step": snap["step"], "hours": h, "psnr_db": psnr(recon, held_images)})
            log(f"autoencoder snapshot {rows[-1]}")
        curve["autoencoder"] = rows
    snaps = load("dit")
    if snaps and result.get("decoder") is not None:
        labels = torch.arange(classes).repeat_interleave(samples_per_class)
        real = features(result["dino"], held_images)
        rows = []
        for snap, h in scored(snaps, hours("dit", snaps)):
            dit = DiT(run.cfg["dit"]).eval()
            dit.load_state_dict(full(snap["ema"]))
            images = generate(dit, result["decoder"], labels, sampler["steps"], sampler["shift"],
                              sampler["guidanceScale"], seed, snap["mean"], snap["std"])
            rows.append({"step": snap["step"], "hours": h,
                         "frechet_distance": frechet_distance(features(result["dino"], images), real),
                         "class_consistency": consistency(result["classifier"], images, labels, classes)["overall"]
                         if result.get("classifier") is not None else None})
            log(f"dit snapshot {rows[-1]}")
        curve["dit"] = rows
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(curve, indent=2, allow_nan=False) + "\n")
    return curve


@torch.no_grad()
def score_judge(judge, data: PreparedData, out_path: Path, steps: int | None = None) -> dict:
    """The judge's accuracy on the held-out real images, overall, class-balanced and per class (judge.json):
    written on its own so the judge's quality is known before the model it will judge is trained."""
    held = data.held_index
    scores = accuracy(predict(judge, data.images[held]), data.labels[held], len(data.class_names))
    report = {**scores, "class_names": list(data.class_names), "held_out_images": len(held),
              "held_out_per_class": torch.bincount(data.labels[held], minlength=len(data.class_names)).tolist(),
              "training_steps": steps}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(report, indent=2, allow_nan=False) + "\n")
    return report
