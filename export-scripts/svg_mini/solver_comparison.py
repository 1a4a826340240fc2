"""Fréchet distance per flow solver and step count for an exported model set: the figures the studio's
comparison grid shows beside its images (does Adams-Bashforth 2 beat Euler at 4-8 steps?).

Why this way: the images are sampled by the studio's own engine (`svg-studio sample`, onnxruntime-node),
so every row of the solver table (src/engine/schedulers/solvers.json) is measured with the code the grid
runs, and a new solver is measured without a Python rule. They are scored as evaluate.py scores its
samples: Fréchet distance of the mean DINO patch token against the held-out split of the same emoji
(split_by_emoji, seed 0), here through the set's own DINO encoder graph in ONNX Runtime, because a set
ships ONNX files, not the training run. Samples are class-balanced (`--per-class`) at the manifest's
guidance and shift; image i uses noise seed + i.
"""
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch

from svg_export.export import REPO_ROOT, run_with_ort
from svg_export.networks import NETWORKS

from .data import load_emoji, split_by_emoji, to_encoder_input
from .evaluate import frechet_distance
from .pipeline import HELD_OUT_FRACTION, RESOLUTION

SOLVERS_JSON = REPO_ROOT / "src" / "engine" / "schedulers" / "solvers.json"
SVG_STUDIO = ("npx", "tsx", "src/cli/main.ts")
DEFAULT_STEPS = (4, 8)


def solver_ids(path: Path = SOLVERS_JSON) -> list[str]:
    return [row["id"] for row in json.loads(path.read_text(encoding="utf-8"))["solvers"]]


def dino_features(model_set: Path, manifest: dict, images: torch.Tensor, batch: int = 128) -> torch.Tensor:
    """images [B, 3, S, S] in [-1, 1] -> mean patch token [B, D], by the set's DINO encoder in ONNX Runtime."""
    spec = NETWORKS["dino"]  # its graph names come from graph-io.json
    entry = manifest["networks"][spec.manifest_key]
    graph = model_set / entry.get("variants", {}).get("float32", entry)["file"]  # schemaVersion 2, or 1
    (pixels,), (patch_tokens,) = spec.input_names, spec.output_names
    out = []
    for i in range(0, len(images), batch):
        tokens = run_with_ort(graph, {pixels: to_encoder_input(images[i:i + batch])}, [patch_tokens])
        out.append(torch.from_numpy(tokens[patch_tokens]).mean(dim=1))
    return torch.cat(out)


def sample_images(model_set: Path, solver: str, steps: int, per_class: int, seed: int, work: Path,
                  repo_root: Path = REPO_ROOT) -> torch.Tensor:
    """`svg-studio sample` then `merge` -> images [N, 3, S, S] in [-1, 1] (from the 8-bit PNGs it writes)."""
    folder, npz = work / f"{solver}-{steps}", work / f"{solver}-{steps}.npz"
    for command in ([*SVG_STUDIO, "sample", "--models", str(model_set), "--per-class", str(per_class),
                     "--seed", str(seed), "--steps", str(steps), "--sampler", solver, "--out", str(folder)],
                    [*SVG_STUDIO, "merge", str(folder), "--npz", str(npz)]):
        result = subprocess.run(command, cwd=repo_root, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): "
                               f"{result.stderr.strip() or result.stdout.strip()}")
    rgb = np.load(npz)["arr_0"]  # [N, S, S, 3] uint8
    return torch.from_numpy(rgb).permute(0, 3, 1, 2).float() / 127.5 - 1


def compare_solvers(model_set: Path, node_modules: Path, *, steps: tuple[int, ...] = DEFAULT_STEPS,
                    solvers: list[str] | None = None, per_class: int = 32, seed: int = 0, log=print) -> dict:
    """{"manifestSha256", "samples", "guidance_scale", "shift", "guidance_schedule", "steps",
    "frechet_distance": {solver: {str(steps): fd}}}; the studio shows the figures only for the set whose
    manifest.json has that SHA-256, at that guidance."""
    manifest_bytes = (model_set / "manifest.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    data = load_emoji(node_modules, RESOLUTION, with_skin_tones=False)
    _, held = split_by_emoji(data, HELD_OUT_FRACTION, seed)
    real = dino_features(model_set, manifest, data.images[held])
    figures: dict[str, dict[str, float]] = {}
    samples = 0
    with tempfile.TemporaryDirectory(prefix="svg-solvers-") as tmp:
        for solver in solvers or solver_ids():
            for count in steps:
                images = sample_images(model_set, solver, count, per_class, seed, Path(tmp))
                samples = len(images)
                fd = frechet_distance(dino_features(model_set, manifest, images), real)
                figures.setdefault(solver, {})[str(count)] = fd
                log(f"{solver}, {count} steps: FD {fd:.3f} ({len(images)} samples)")
    sampler = manifest["sampler"]
    return {"manifestSha256": hashlib.sha256(manifest_bytes).hexdigest(), "samples": samples,
            "guidance_scale": sampler["guidanceScale"], "shift": sampler["shift"],
            "guidance_schedule": sampler.get("guidanceSchedule", "constant"), "steps": list(steps),
            "frechet_distance": figures}


def write_into_metrics(metrics_path: Path, comparison: dict) -> dict:
    """Adds generation.solvers to metrics.json, keeping every other figure the evaluation wrote."""
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    metrics["generation"]["solvers"] = comparison
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics
