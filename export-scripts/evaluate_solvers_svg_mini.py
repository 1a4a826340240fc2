#!/usr/bin/env python3
"""Fréchet distance per flow solver and step count of an exported SVG-Mini set, added to its evaluation's
metrics.json as generation.solvers (the figures the studio's comparison grid shows beside its images).

Every solver of src/engine/schedulers/solvers.json is sampled by the studio's own engine (svg-studio sample)
from the set's ONNX files, so no training run is needed (svg_mini/solver_comparison.py says how it is scored):
  /usr/bin/python3 export-scripts/evaluate_solvers_svg_mini.py --models public/models/svg-mini \
      --metrics docs/svg-mini/metrics.json [--steps 4,8] [--solvers euler,ab2] [--per-class 32]
"""
import argparse
from pathlib import Path

import torch

from svg_mini.cli import NODE_MODULES, timestamped_log
from svg_mini.solver_comparison import DEFAULT_STEPS, compare_solvers, write_into_metrics


def step_counts(text: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--steps must be comma-separated integers, got {text!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"--steps must be integers >= 1, got {text!r}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, required=True, help="the exported model-set folder")
    parser.add_argument("--metrics", type=Path, required=True, help="the set's evaluation metrics.json to extend")
    parser.add_argument("--steps", type=step_counts, default=DEFAULT_STEPS, help="comma-separated step counts")
    parser.add_argument("--solvers", type=lambda text: text.split(","), default=None,
                        help="comma-separated solver ids (default: every row of solvers.json)")
    parser.add_argument("--per-class", type=int, default=32, help="samples per class (evaluate.py uses 32)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES, help="where the emoji packages are")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    comparison = compare_solvers(args.models, args.node_modules, steps=args.steps, solvers=args.solvers,
                                 per_class=args.per_class,
                                 seed=args.seed, log=timestamped_log())
    write_into_metrics(args.metrics, comparison)


if __name__ == "__main__":
    main()
