#!/usr/bin/env python3
"""SVG-Mini's latents against a KL-VAE's under the same DiT and budget (thin CLI over svg_mini.latent_comparison).

v1 (32 px, one seed):
  nohup nice /usr/bin/python3 export-scripts/compare_latent_spaces.py --run export-scripts/runs/svg-mini \
      --manifest public/models/svg-mini/manifest.json --out docs/svg-mini > export-scripts/runs/compare.log 2>&1 &
v2 (64 px, N seeds, means and spread per snapshot; `npm run compare:svg-mini-v2`):
  nohup nice /usr/bin/python3 export-scripts/compare_latent_spaces.py --version 2 \
      --run export-scripts/runs/svg-mini-v2 --manifest public/models/svg-mini-v2/manifest.json \
      --out docs/svg-mini-v2 --seeds 3 > export-scripts/runs/compare-v2.log 2>&1 &

Needs the finished run (v1: train_svg_mini.py; v2: train_svg_mini_v2.py, or restore_svg_mini_v2.py from the
committed model set: its ssl, autoencoder and decoder stages, classifier.pt for class consistency). Trains the
KL-VAE and the DiTs in <run>/latent-comparison/
(resumable: re-run the same command), then writes <out>/latent-comparison.json and latent-comparison.png
(v2: seed 0's last snapshots, two samples per class per space).
About 1.5 h on 2 CPU cores for v1 at the full budget; about 2.5 h for v2 with 3 seeds (the estimate is in
svg_mini/latent_comparison.py).
"""
import argparse
import json
from pathlib import Path

import torch

from svg_mini.cli import V2_DATA, add_run_arguments, run_from_arguments, timestamped_log

V2_REQUIRED_STAGES = ("ssl", "autoencoder", "decoder")


def read_manifest(parser: argparse.ArgumentParser, path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text())
        sampler = manifest["sampler"]
        for key in ("steps", "shift", "guidanceScale"):
            float(sampler[key])
    except FileNotFoundError:
        parser.error(f"--manifest {path}: no such file")
    except (OSError, ValueError, KeyError, TypeError) as error:
        parser.error(f"--manifest {path}: not a model-set manifest with sampler steps, shift and guidanceScale "
                     f"({error!r})")
    return manifest


def compare_v2_from_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace, manifest: dict) -> None:
    from svg_mini.latent_comparison import V2_BUDGETS, ComparisonSettingsError, compare_v2
    from svg_mini.pipeline_v2 import BUDGETS, SIZES, Run
    from svg_mini.prepared import load_prepared

    if not args.run.is_dir():
        parser.error(f"--run {args.run}: no such folder (train_svg_mini_v2.py writes it)")
    if not args.data.is_file():
        parser.error(f"--data {args.data}: no such file (prepare_svg_mini_v2.py writes it)")
    torch.set_num_threads(args.threads)
    log = timestamped_log()
    data = load_prepared(args.data)
    run = Run(args.run, data, BUDGETS["cpu"], args.seed, sizes=SIZES[args.sizes], log=log)
    missing = [run.file(stage).name for stage in V2_REQUIRED_STAGES if not run.file(stage).exists()]
    if missing:
        parser.error(f"--run {args.run}: {', '.join(missing)} missing; finish the run first "
                     "(train_svg_mini_v2.py resumes it; restore_svg_mini_v2.py reads the shipped stages from the "
                     "model set)")
    try:
        compare_v2(run, manifest, args.out, seeds=args.seeds, budget=V2_BUDGETS[args.comparison_budget],
                   samples_per_class=args.samples_per_class, log=log)
    except ComparisonSettingsError as error:
        raise SystemExit(f"compare_latent_spaces.py: {error}") from None
    log("done")


def main() -> None:
    from svg_mini.latent_comparison import V2_BUDGETS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    parser.add_argument("--version", type=int, choices=(1, 2), default=1)
    parser.add_argument("--manifest", type=Path, required=True, help="the exported manifest (sampler defaults)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seeds", type=int, default=3, help="v2: DiT seeds per latent space (at least 1)")
    parser.add_argument("--data", type=Path, default=V2_DATA, help="v2: the prepared data file")
    parser.add_argument("--sizes", choices=("full", "tiny"), default="full", help="v2: the run's network sizes")
    parser.add_argument("--comparison-budget", choices=sorted(V2_BUDGETS), default="cpu",
                        help="v2: the comparison's own training budget")
    parser.add_argument("--samples-per-class", type=int, default=32, help="generated samples per class")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error(f"--seeds must be at least 1, got {args.seeds}")
    if args.samples_per_class < 1:
        parser.error(f"--samples-per-class must be at least 1, got {args.samples_per_class}")
    manifest = read_manifest(parser, args.manifest)
    if args.version == 2:
        compare_v2_from_arguments(parser, args, manifest)
        return
    from svg_mini.latent_comparison import compare
    from svg_mini.pipeline import BUDGETS

    log = timestamped_log()
    result = run_from_arguments(args, log=log)
    compare(result, args.run, BUDGETS[args.budget], args.seed, args.out, manifest,
            samples_per_class=args.samples_per_class, log=log)
    log("done")


if __name__ == "__main__":
    main()
