#!/usr/bin/env python3
"""SVG-Mini's latents against a KL-VAE's under the same DiT and budget (thin CLI over svg_mini.latent_comparison).

  nohup nice /usr/bin/python3 export-scripts/compare_latent_spaces.py --run export-scripts/runs/svg-mini \
      --manifest public/models/svg-mini/manifest.json --out docs/svg-mini > export-scripts/runs/compare.log 2>&1 &

Needs the finished SVG-Mini run (train_svg_mini.py). Trains the KL-VAE and both DiTs in
<run>/latent-comparison/ (resumable: re-run the same command), then writes docs/svg-mini/latent-comparison.json
and latent-comparison.png. About 1.5 h on 2 CPU cores at the full budget.
"""
import argparse
import json
import time
from pathlib import Path

import torch

from svg_mini.latent_comparison import compare
from svg_mini.pipeline import BUDGETS, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="the finished SVG-Mini training run")
    parser.add_argument("--manifest", type=Path, required=True, help="the exported manifest (sampling shift)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--budget", choices=sorted(BUDGETS), default="full")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--node-modules", type=Path, default=Path(__file__).resolve().parent.parent / "node_modules")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    started = time.time()
    log = lambda message: print(f"[{time.time() - started:7.0f} s] {message}", flush=True)  # noqa: E731
    budget = BUDGETS[args.budget]
    result = run(args.run, args.node_modules, budget, args.seed, log=log)
    compare(result, args.run, budget, args.seed, args.out, json.loads(args.manifest.read_text()), log=log)
    log("done")


if __name__ == "__main__":
    main()
