"""The manifest's sampler defaults, chosen by measurement: a grid over the time shift and the guidance scale
at the default step count, each scored by the evaluation's Fréchet distance (against the held-out images,
in the frozen encoder's features) and class consistency (the evaluation's classifier).

Choice: the lowest FD among the settings whose class consistency is within CONSISTENCY_MARGIN of the best
one, so the default neither trades away the requested class nor the image statistics.
"""
import itertools
import json
from pathlib import Path

import torch

from .data import CLASS_NAMES
from .evaluate import decode_tokens, features, frechet_distance, sample, train_classifier

SHIFTS = (0.2, 0.3, 0.6, 1.0)
GUIDANCE_SCALES = (1.5, 3.0, 4.5, 6.0, 8.0)
CONSISTENCY_MARGIN = 0.05


@torch.no_grad()
def sweep(result: dict, steps: int, out_path: Path, seed: int = 0, samples_per_class: int = 16,
          classifier_steps: int = 600, log=print) -> dict:
    nets, latents, data = result["networks"], result["latents"], result["data"]
    train, held = result["train"], result["held_out"]
    grid = nets.dit.config.grid[0]
    classifier = train_classifier(data.images[train], data.labels[train], seed, classifier_steps)
    labels = torch.arange(len(CLASS_NAMES)).repeat_interleave(samples_per_class)

    def images_at(shift: float, guidance: float) -> torch.Tensor:
        tokens = sample(nets.dit, labels, steps, shift, guidance, seed)
        return decode_tokens(nets.decoder, tokens, latents["mean"], latents["std"], grid)

    return _sweep_grid(images_at, lambda images: float((classifier(images).argmax(1) == labels).float().mean()),
                       nets.dino, data.images[held], SHIFTS, GUIDANCE_SCALES,
                       {"steps": steps, "samples": len(labels), "seed": seed}, out_path, log)


@torch.no_grad()
def sweep_v2(result: dict, data, steps: int, out_path: Path, seed: int = 0, samples_per_class: int = 8,
             shifts: tuple[float, ...] | None = None, guidance_scales: tuple[float, ...] = GUIDANCE_SCALES,
             log=print) -> dict:
    """The same rule on a v2 run (pipeline_v2.Run.all() result, prepared data, classifier.pt as the judge).
    Shifts default to v1's grid plus the run's training shift."""
    from .evaluate_v2 import consistency, generate

    shifts = shifts or tuple(sorted({*SHIFTS, round(float(result["shift"]), 3)}))
    classes = len(data.class_names)
    labels = torch.arange(classes).repeat_interleave(samples_per_class)

    def images_at(shift: float, guidance: float) -> torch.Tensor:
        return generate(result["dit"], result["decoder"], labels, steps, shift, guidance, seed, result["mean"],
                        result["std"])

    return _sweep_grid(images_at, lambda images: consistency(result["classifier"], images, labels, classes)["overall"],
                       result["dino"], data.images[data.held_index], shifts, guidance_scales,
                       {"steps": steps, "samples": len(labels), "seed": seed}, out_path, log)


def _sweep_grid(images_at, class_consistency, dino, held_images: torch.Tensor, shifts, guidance_scales,
                run: dict, out_path: Path, log) -> dict:
    """Scores every shift x guidance setting, chooses by the rule in the module docstring and writes the report.
    images_at(shift, guidance) samples the sweep's labels [N] into images [N, 3, H, W]; class_consistency(images)
    is the fraction the judge classifies as their requested class; `run` (steps, samples, seed) heads the report."""
    real = features(dino, held_images)
    rows = []
    for shift, guidance in itertools.product(shifts, guidance_scales):
        images = images_at(shift, guidance)
        rows.append({"shift": shift, "guidance_scale": guidance,
                     "frechet_distance": frechet_distance(features(dino, images), real),
                     "class_consistency": class_consistency(images)})
        log(f"shift {shift}, guidance {guidance}: FD {rows[-1]['frechet_distance']:.3f}, "
            f"class consistency {rows[-1]['class_consistency']:.3f}")
    best_consistency = max(r["class_consistency"] for r in rows)
    eligible = [r for r in rows if r["class_consistency"] >= best_consistency - CONSISTENCY_MARGIN]
    chosen = min(eligible, key=lambda r: r["frechet_distance"])
    report = {**run, "rule": f"lowest FD with class consistency within {CONSISTENCY_MARGIN:g} of the best",
              "chosen": chosen, "grid": rows}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(report, indent=2) + "\n")
    return report
