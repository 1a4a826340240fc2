"""Emoji images from the installed npm packages (emoji-datasource-google: Noto Emoji, Apache-2.0;
emoji-datasource-twitter: Twemoji, CC-BY 4.0) as RGB tensors on white, with SVG-Mini's class labels.

Why this file: every stage and the evaluation need the same images, labels and held-out split. The split is
by emoji (its unified code point sequence), seeded, so both styles and all skin tones of a held-out emoji
stay out of training.
"""
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

STYLES = {"google": "emoji-datasource-google", "twitter": "emoji-datasource-twitter"}

# Classes merge the packages' subcategories into groups that look alike, so a class is learnable and
# means something in the class picker. Order = class id. Each rule: (category, subcategory prefix or None).
CLASSES: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...] = (
    ("smiley face", (("Smileys & Emotion", "face-"), ("Smileys & Emotion", "cat-face"), ("Smileys & Emotion", "monkey-face"))),
    ("heart & emotion", (("Smileys & Emotion", "heart"), ("Smileys & Emotion", "emotion"))),
    ("person", (("People & Body", "person"), ("People & Body", "family"))),
    ("hand & body", (("People & Body", "hand"), ("People & Body", "body-parts"))),
    ("animal", (("Animals & Nature", "animal-"),)),
    ("plant", (("Animals & Nature", "plant-"),)),
    ("food & drink", (("Food & Drink", None),)),
    ("flag", (("Flags", None),)),
    ("transport", (("Travel & Places", "transport-"),)),
    ("place, sky & time", (("Travel & Places", "place-"), ("Travel & Places", "sky"), ("Travel & Places", "time"), ("Travel & Places", "hotel"))),
    ("object & activity", (("Objects", None), ("Activities", None))),
    ("symbol", (("Symbols", None),)),
)
CLASS_NAMES = tuple(name for name, _ in CLASSES)


def class_of(category: str, subcategory: str) -> int | None:
    for index, (_, rules) in enumerate(CLASSES):
        for cat, prefix in rules:
            if cat == category and (prefix is None or subcategory.startswith(prefix)):
                return index
    return None  # e.g. the "Component" skin-tone swatches


@dataclass
class EmojiSet:
    images: Tensor  # [N, 3, S, S] in [-1, 1]
    labels: Tensor  # [N] int64
    emoji: list[str]  # unified code of each image's base emoji
    styles: list[str]


def _load_rgb(path: Path, size: int) -> Tensor:
    from PIL import Image  # only here: the GPU machine (training from prepared data) may lack Pillow

    rgba = np.asarray(Image.open(path).convert("RGBA"), dtype=np.float32) / 255.0  # [H, W, 4]
    rgb = rgba[..., :3] * rgba[..., 3:] + (1.0 - rgba[..., 3:])  # composite on white
    image = torch.from_numpy(rgb).permute(2, 0, 1)[None]  # [1, 3, H, W]
    if image.shape[-1] != size:
        image = F.interpolate(image, size=(size, size), mode="area")
    return image[0] * 2 - 1


def load_emoji(node_modules: Path, size: int, with_skin_tones: bool = True) -> EmojiSet:
    images, labels, emoji, styles = [], [], [], []
    for style, package in STYLES.items():
        root = node_modules / package
        entries = json.loads((root / "emoji.json").read_text())
        folder = root / "img" / style / "64"
        for entry in entries:
            label = class_of(entry["category"], entry["subcategory"])
            if label is None or not entry.get(f"has_img_{style}"):
                continue
            files = [entry["image"]]
            if with_skin_tones:
                files += [v["image"] for v in (entry.get("skin_variations") or {}).values() if v.get(f"has_img_{style}")]
            for name in files:
                path = folder / name
                if path.exists():
                    images.append(_load_rgb(path, size))
                    labels.append(label)
                    emoji.append(entry["unified"])
                    styles.append(style)
    if not images:
        raise FileNotFoundError(f"no emoji images under {node_modules}: run npm install first")
    return EmojiSet(torch.stack(images), torch.tensor(labels), emoji, styles)


def split_by_emoji(data: EmojiSet, held_out_fraction: float, seed: int,
                   among: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """Indices (kept, held_out) into data: a seeded fraction of the distinct emoji, all their styles and tones.

    `among` restricts the split to those indices (a validation split inside the training split)."""
    indices = torch.arange(len(data.emoji)) if among is None else among
    emoji = [data.emoji[i] for i in indices.tolist()]
    distinct = sorted(set(emoji))
    random.Random(seed).shuffle(distinct)
    held = set(distinct[: round(len(distinct) * held_out_fraction)])
    mask = torch.tensor([e in held for e in emoji])
    return indices[~mask], indices[mask]


IMAGENET_MEAN = torch.tensor([0.485, 0.456, 0.406])[:, None, None]
IMAGENET_STD = torch.tensor([0.229, 0.224, 0.225])[:, None, None]


def to_encoder_input(images: Tensor) -> Tensor:
    """[-1, 1] pixels -> ImageNet-normalised, as both SVG encoders expect (SPEC §2)."""
    return ((images + 1) / 2 - IMAGENET_MEAN.to(images.device)) / IMAGENET_STD.to(images.device)
