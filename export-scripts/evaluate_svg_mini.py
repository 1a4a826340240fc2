#!/usr/bin/env python3
"""Evaluate a trained SVG-Mini run and write metrics.json and PNG grids (thin CLI).

v1 (32 px, 12 classes):
  /usr/bin/python3 export-scripts/evaluate_svg_mini.py --run export-scripts/runs/svg-mini \
      --manifest public/models/svg-mini/manifest.json --out docs/svg-mini
v2 (64 px, svg_mini/classes.json; the manifest's sampler defaults, or --manifest; --snapshots also scores the
run's snapshots into training-curve.json, the quality per hour of CPU training):
  /usr/bin/python3 export-scripts/evaluate_svg_mini.py --version 2 --run export-scripts/runs/svg-mini-v2 \
      --manifest public/models/svg-mini-v2/manifest.json --out docs/svg-mini-v2 [--snapshots]
"""
import argparse
import json
from pathlib import Path

import torch

from svg_mini.cli import V2_DATA, add_run_arguments, run_from_arguments, timestamped_log
from svg_mini.evaluate import evaluate



def evaluate_v2_from_arguments(args: argparse.Namespace) -> dict:
    from svg_mini.evaluate_v2 import evaluate_v2, score_judge, score_snapshots
    from svg_mini.pipeline_v2 import BUDGETS, DEFAULT_STEPS, SIZES, Run
    from svg_mini.prepared import load_prepared

    torch.set_num_threads(args.threads)
    log = timestamped_log()
    data = load_prepared(args.data)
    run = Run(args.run, data, BUDGETS["cpu"], args.seed, sizes=SIZES[args.sizes], log=log)
    missing = [f for f in ("ssl", "autoencoder", "decoder", "dit") if not run.file(f).exists()]
    if missing and not args.snapshots:
        raise SystemExit(f"{args.run}: stages {missing} are not finished (train_svg_mini_v2.py resumes them); "
                         "--snapshots scores what there is")
    result = {} if missing else run.all(with_ablations=False)
    if run.file("classifier").exists():  # trained by run.all when missing (a restored run has none)
        judge = score_judge(run.classifier(), data, args.out / "judge.json",
                            torch.load(run.file("classifier"), map_location="cpu")["steps"])
        log(f"judge on held-out real images: {judge['accuracy']:.3f} (class-balanced {judge['balanced_accuracy']:.3f})")
    if result:  # each ablation that was trained: the clean control decoder, the two shift arms (a pair)
        if run.file("decoder-clean").exists():
            result["decoder_clean"] = run.decoder(result["dino"], result["residual"], 0.0)
        arms = ("ablation-dit-shift-dim", "ablation-dit-shift-0.4")
        if all(run.file(s).exists() for s in arms):
            result["ablation_dits"] = {s: run.load_dit(s) for s in arms}
    if args.manifest is not None:
        sampler = json.loads(args.manifest.read_text())["sampler"]
    else:
        shift = torch.load(run.file("dit"), map_location="cpu")["shift"] if run.file("dit").exists() else 1.0
        sampler = {"steps": DEFAULT_STEPS, "shift": shift, "guidanceScale": args.guidance}
    if args.snapshots and not (run.dir / "snapshots").is_dir():
        log(f"{args.run} has no snapshots (a run restored from the model set keeps none): "
            f"{args.out / 'training-curve.json'} is left as it is")
    elif args.snapshots:
        if missing and run.file("ssl").exists():
            result = {"dino": run.ssl()}
        score_snapshots(run, result, sampler, args.out / "training-curve.json", seed=args.seed, log=log,
                        every=args.snapshot_every)
    if missing:
        return {}
    return evaluate_v2(result, data, sampler, args.out, seed=args.seed, samples_per_class=args.samples_per_class,
                       log=log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    parser.add_argument("--version", type=int, choices=(1, 2), default=1)
    parser.add_argument("--manifest", type=Path, help="the exported manifest (sampler defaults); required for v1")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=V2_DATA, help="v2: the prepared data file")
    parser.add_argument("--guidance", type=float, default=3.0, help="v2 without --manifest: guidance scale")
    parser.add_argument("--samples-per-class", type=int, default=32, help="v2: generated samples per class")
    parser.add_argument("--snapshots", action="store_true", help="v2: score the run's snapshots too")
    parser.add_argument("--snapshot-every", type=int, default=1,
                        help="v2 with --snapshots: score only snapshots whose step is a multiple of this")
    parser.add_argument("--sizes", choices=("full", "tiny"), default="full", help="v2: the run's network sizes")
    args = parser.parse_args()
    if args.snapshot_every < 1:
        parser.error(f"--snapshot-every must be at least 1, got {args.snapshot_every}")
    if args.version == 2:
        evaluate_v2_from_arguments(args)
        return
    if args.manifest is None:
        parser.error("--manifest is required for v1")
    evaluate(run_from_arguments(args), json.loads(args.manifest.read_text()), args.out, seed=args.seed)


if __name__ == "__main__":
    main()
