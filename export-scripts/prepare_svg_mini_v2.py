#!/usr/bin/env python3
"""Prepare SVG-Mini v2's training data (64 px emoji of svg_mini/classes.json, uint8, held-out split by emoji)
from the installed emoji-datasource packages into one file (deterministic; ~6 MB):

  /usr/bin/python3 export-scripts/prepare_svg_mini_v2.py --out export-scripts/runs/svg-mini-v2-data.npz
"""
import argparse
import json
from pathlib import Path

import torch

from svg_mini.cli import NODE_MODULES
from svg_mini.prepared import load_prepared, prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--preview", type=Path, help="also write a PNG: one row of 8 training images per class")
    args = parser.parse_args()
    print(json.dumps(prepare(args.node_modules, args.out, seed=args.seed), indent=1))
    if args.preview is not None:
        from svg_mini.evaluate import save_grid

        data = load_prepared(args.out)
        rows = []
        for label in range(len(data.class_names)):
            members = data.train_index[data.labels[data.train_index] == label]
            rows.append(data.images[members[torch.linspace(0, len(members) - 1, 8).long()]])
        args.preview.parent.mkdir(parents=True, exist_ok=True)
        save_grid(torch.cat(rows), 8, args.preview, scale=1)


if __name__ == "__main__":
    main()
