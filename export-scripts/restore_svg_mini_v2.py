#!/usr/bin/env python3
"""Restore a v2 run folder's trained stages from the committed model set (thin CLI over svg_mini.restore), so
that the evaluation, the sampler sweep and the SVG-vs-KL-VAE comparison run on a fresh clone, on the model the
studio ships (`npm run restore:svg-mini-v2`; the eval, tune and compare scripts run it first):

  /usr/bin/python3 export-scripts/restore_svg_mini_v2.py --run export-scripts/runs/svg-mini-v2 \
      --model-set public/models/svg-mini-v2

Prepares the training data file first when it is missing (prepare_svg_mini_v2.py's, deterministic). Stages
the run already has are kept. Takes about 10 s.
"""
import argparse
import sys
from pathlib import Path

from svg_mini.cli import NODE_MODULES, V2_DATA



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="the run folder to complete")
    parser.add_argument("--model-set", type=Path, required=True, help="the model-set folder (manifest.json)")
    parser.add_argument("--data", type=Path, default=V2_DATA, help="the prepared data file")
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not (args.model_set / "manifest.json").is_file():
        parser.error(f"--model-set {args.model_set}: no manifest.json there")

    from svg_export.onnx_import import OnnxImportError
    from svg_mini.pipeline_v2 import BUDGETS, Run
    from svg_mini.prepared import load_prepared, prepare
    from svg_mini.restore import RestoreError, restore_run

    if not args.data.is_file():
        args.data.parent.mkdir(parents=True, exist_ok=True)
        prepare(args.node_modules, args.data, seed=args.seed)
        print(f"prepared {args.data}")
    run = Run(args.run, load_prepared(args.data), BUDGETS["cpu"], args.seed, log=print)
    try:
        outcome = restore_run(run, args.model_set)
    except (RestoreError, OnnxImportError) as error:
        sys.exit(f"restore_svg_mini_v2.py: {error}")
    print(", ".join(f"{stage} {state}" for stage, state in outcome.items()))


if __name__ == "__main__":
    main()
