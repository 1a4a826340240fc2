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
from pathlib import Path

from svg_mini.cli import add_run_arguments, run_from_arguments, timestamped_log
from svg_mini.latent_comparison import compare
from svg_mini.pipeline import BUDGETS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    parser.add_argument("--manifest", type=Path, required=True, help="the exported manifest (sampling shift)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    log = timestamped_log()
    result = run_from_arguments(args, log=log)
    compare(result, args.run, BUDGETS[args.budget], args.seed, args.out, json.loads(args.manifest.read_text()), log=log)
    log("done")


if __name__ == "__main__":
    main()
