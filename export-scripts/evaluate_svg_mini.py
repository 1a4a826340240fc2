#!/usr/bin/env python3
"""Evaluate the trained SVG-Mini run and write docs/svg-mini/metrics.json and PNG grids (thin CLI).

  /usr/bin/python3 export-scripts/evaluate_svg_mini.py --run export-scripts/runs/svg-mini \
      --manifest public/models/svg-mini/manifest.json --out docs/svg-mini
"""
import argparse
import json
from pathlib import Path

import torch

from svg_mini.evaluate import evaluate
from svg_mini.pipeline import BUDGETS, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="the training run folder (finished stages)")
    parser.add_argument("--manifest", type=Path, required=True, help="the exported manifest (sampler defaults)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--node-modules", type=Path, default=Path(__file__).resolve().parent.parent / "node_modules")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    # Every stage is finished in the run folder, so this only loads (no training).
    result = run(args.run, args.node_modules, BUDGETS["full"], args.seed, log=lambda _: None)
    evaluate(result, json.loads(args.manifest.read_text()), args.out, seed=args.seed)


if __name__ == "__main__":
    main()
