#!/usr/bin/env python3
"""Prepare SVG-Mini v2's training data (64 px emoji of svg_mini/classes.json, uint8, held-out split by emoji)
from the installed emoji-datasource packages into one file (deterministic; ~6 MB):

  /usr/bin/python3 export-scripts/prepare_svg_mini_v2.py --out export-scripts/runs/svg-mini-v2-data.npz
"""
import argparse
import json
from pathlib import Path

from svg_mini.cli import NODE_MODULES
from svg_mini.prepared import prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(prepare(args.node_modules, args.out, seed=args.seed), indent=1))


if __name__ == "__main__":
    main()
