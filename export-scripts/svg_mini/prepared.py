"""SVG-Mini v2's training data as one small file: every emoji of the class table (svg_mini/classes.json) in
both styles at 64 px, composited on white, as uint8, with labels and a held-out split by emoji.

Why one file: the GPU command and every CPU stage read the same images without the npm packages (a GPU
machine has none), and the file (np.savez_compressed, ~6 MB) is rebuilt bit for bit from the installed
packages (`prepare` is deterministic: package order, no randomness but the seeded split).

The split is stratified by class and by emoji: in each class a seeded HELD_OUT_FRACTION of its distinct emoji
(at least one) is held out with both styles, so every class is scored and no held-out emoji is trained on.
"""
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from .classes import load_class_table
from .data import STYLES

RESOLUTION = 64
HELD_OUT_FRACTION = 0.12
FORMAT_VERSION = 1


@dataclass
class PreparedData:
    images: Tensor  # [N, 3, S, S] float32 in [-1, 1]
    labels: Tensor  # [N] int64
    emoji: list[str]  # unified code of each image
    styles: list[str]
    held_out: Tensor  # [N] bool
    class_names: tuple[str, ...]

    @property
    def train_index(self) -> Tensor:
        return torch.nonzero(~self.held_out)[:, 0]

    @property
    def held_index(self) -> Tensor:
        return torch.nonzero(self.held_out)[:, 0]


def _composited(path: Path, size: int) -> np.ndarray:
    """PNG -> [3, size, size] uint8, RGBA composited on white, box-filtered if not already `size`."""
    from PIL import Image  # only here: the GPU machine (training from prepared data) may lack Pillow

    image = Image.open(path).convert("RGBA")
    if image.size != (size, size):
        image = image.resize((size, size), Image.BOX)
    rgba = np.asarray(image, dtype=np.float32) / 255.0
    rgb = rgba[..., :3] * rgba[..., 3:] + (1.0 - rgba[..., 3:])
    return np.round(rgb * 255).astype(np.uint8).transpose(2, 0, 1)


def held_out_emoji(table: dict, fraction: float, seed: int) -> set[str]:
    """Per class, a seeded `fraction` of its emoji (at least one when the class has two or more)."""
    held: set[str] = set()
    for label in range(len(table["names"])):
        members = sorted(code for code, c in table["emoji"].items() if c == label)
        random.Random(f"{seed}:{label}").shuffle(members)
        count = max(1, round(len(members) * fraction)) if len(members) >= 2 else 0
        held.update(members[:count])
    return held


def prepare(node_modules: Path, out_path: Path, table: dict | None = None, size: int = RESOLUTION,
            held_out_fraction: float = HELD_OUT_FRACTION, seed: int = 0) -> dict:
    """Writes the prepared file and returns a summary (image counts per class and split)."""
    table = table or load_class_table()
    held = held_out_emoji(table, held_out_fraction, seed)
    images, labels, emoji, styles = [], [], [], []
    for style, package in STYLES.items():
        root = node_modules / package
        folder = root / "img" / style / "64"
        for entry in json.loads((root / "emoji.json").read_text()):
            code = entry["unified"]
            if code not in table["emoji"] or not entry.get(f"has_img_{style}"):
                continue
            path = folder / entry["image"]
            if not path.exists():
                raise FileNotFoundError(f"{path}: listed in {root / 'emoji.json'} but missing; reinstall {package}")
            images.append(_composited(path, size))
            labels.append(table["emoji"][code])
            emoji.append(code)
            styles.append(style)
    if not images:
        raise FileNotFoundError(f"no emoji of the class table under {node_modules}: run npm install first")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp.npz")
    np.savez_compressed(tmp, format_version=np.int64(FORMAT_VERSION), images=np.stack(images),
                        labels=np.array(labels, dtype=np.int64), emoji=np.array(emoji), styles=np.array(styles),
                        held_out=np.array([c in held for c in emoji]), class_names=np.array(table["names"]))
    tmp.replace(out_path)
    counts = np.bincount(labels, minlength=len(table["names"]))
    held_counts = np.bincount([l for l, c in zip(labels, emoji) if c in held], minlength=len(table["names"]))
    return {"images": len(images), "held_out": int(held_counts.sum()), "bytes": out_path.stat().st_size,
            "per_class": {n: [int(c), int(h)] for n, c, h in zip(table["names"], counts, held_counts)}}


def load_prepared(path: Path) -> PreparedData:
    """The prepared file, validated (version, shapes, label range) -> float images in [-1, 1]."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no prepared data; run `python3 export-scripts/prepare_svg_mini_v2.py`")
    with np.load(path) as f:
        version = int(f["format_version"]) if "format_version" in f else None
        if version != FORMAT_VERSION:
            raise ValueError(f"{path}: format_version {version}, expected {FORMAT_VERSION}; prepare it again")
        images, labels, held = f["images"], f["labels"], f["held_out"]
        names = tuple(str(n) for n in f["class_names"])
        emoji, styles = [str(e) for e in f["emoji"]], [str(s) for s in f["styles"]]
    n = images.shape[0]
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[1] != 3 or images.shape[2] != images.shape[3]:
        raise ValueError(f"{path}: images must be uint8 [N, 3, S, S], got {images.dtype} {images.shape}")
    if labels.shape != (n,) or held.shape != (n,) or len(emoji) != n or len(styles) != n:
        raise ValueError(f"{path}: labels, held_out, emoji and styles must have {n} entries")
    if labels.min() < 0 or labels.max() >= len(names):
        raise ValueError(f"{path}: labels outside 0..{len(names) - 1}")
    pixels = torch.from_numpy(images).float() / 127.5 - 1
    return PreparedData(pixels, torch.from_numpy(labels), emoji, styles, torch.from_numpy(held), names)
