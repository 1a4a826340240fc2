#!/usr/bin/env python3
"""Export the official SVG release as a studio model set (thin CLI over svg_export.model_set).

  export_svg.py --autoencoder svg_autoencoder.ckpt --dit V1-SVG-XL-7000K-256x256.pt \
      --stats dinov3_sp_stats.pt --dit-size XL --variants float32,float16,int4 --out models/svg-xl
  export_svg.py --random-weights --dit-size XL --out /tmp/svg-xl-random   # full-size rehearsal

--dino (the DINOv3 hub .pth) is optional: the autoencoder checkpoint carries the same weights under
`encoder.`. --class-names: a text file (one name per line) or JSON (a list, or {"0": name} /
{"0": [wnid, name]} as in imagenet_class_index.json); without it a 1000-class DiT gets the ImageNet-1k
names from torchvision's own metadata. --variants: precision ids of src/engine/model-set/precisions.json
(float32 always; int4 applies to the DiT only). Sampler defaults are the paper's visual-sample settings:
25 Euler steps, shift 0.15, constant guidance 4.0.
"""
import argparse
import json
import time
from pathlib import Path

from svg_export.cli import add_export_arguments, ort_check_wanted
from svg_export.model_set import ModelSetInfo, SamplerDefaults, SvgNetworks, random_image_latent_stats, write_model_set
from svg_models.checkpoints import autoencoder_state_dicts, dit_state_dict, plain_state_dict, read_checkpoint
from svg_models.decoder import DecoderConfig
from svg_models.dinov3 import DinoV3Config
from svg_models.dit import DiTConfig
from svg_models.residual_vit import ResidualViTConfig

RESOLUTION = 256
LICENSE = (
    "DINOv3 License (DINOv3 encoder weights, Meta; https://ai.meta.com/resources/models-and-libraries/dinov3-license/); "
    "SVG residual encoder, decoder and DiT weights: no license is stated in github.com/shiml20/SVG (commit fd69855)"
)
ATTRIBUTION = (
    "SVG: Minglei Shi, Haolin Wang, Wenzhao Zheng et al., \"Latent Diffusion Model without Variational "
    "Autoencoder\" (arXiv 2510.15301), github.com/shiml20/SVG. DINOv3: Meta AI, github.com/facebookresearch/dinov3. "
    "Decoder architecture from Latent Diffusion (CompVis) / VA-VAE."
)


def read_class_names(path: Path) -> tuple[str, ...]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() != ".json":
        return tuple(line.strip() for line in text.splitlines() if line.strip())
    data = json.loads(text)
    if isinstance(data, dict):
        data = [data[key] for key in sorted(data, key=int)]
    return tuple(entry[-1] if isinstance(entry, list) else entry for entry in data)


def imagenet_class_names() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in label order, from torchvision's metadata (python3-torchvision)."""
    from torchvision.models._meta import _IMAGENET_CATEGORIES

    return tuple(_IMAGENET_CATEGORIES)


def default_class_names(num_classes: int) -> tuple[str, ...]:
    """No --class-names: ImageNet's names for a 1000-class DiT (the released SVG models), else numbered."""
    if num_classes == 1000:
        return imagenet_class_names()
    return tuple(f"class {i}" for i in range(num_classes))


def read_latent_stats(path: Path, channels: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """dinov3_sp_stats.pt: `dinov3_sp_mean` / `dinov3_sp_std` of shape [1, 1, C] (the first C are used)."""
    stats = read_checkpoint(path)
    return tuple(
        stats[key].reshape(-1)[:channels].tolist() for key in ("dinov3_sp_mean", "dinov3_sp_std")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dino", type=Path, help="DINOv3 hub .pth (default: encoder.* of --autoencoder)")
    parser.add_argument("--autoencoder", type=Path, help="SVG autoencoder Lightning .ckpt")
    parser.add_argument("--dit", type=Path, help="SVG DiT .pt (ema weights are used)")
    parser.add_argument("--stats", type=Path, help="dinov3_sp_stats.pt (latent standardisation)")
    parser.add_argument("--class-names", type=Path,
                        help="class names, .txt or .json (default for 1000 classes: torchvision's ImageNet names)")
    parser.add_argument("--dit-size", choices=("XL", "L", "B"), default="XL")
    parser.add_argument("--out", type=Path, required=True, help="model-set folder to write")
    parser.add_argument("--random-weights", action="store_true", help="full-size networks with seeded random weights")
    parser.add_argument("--seed", type=int, default=0, help="seed of --random-weights")
    add_export_arguments(parser)
    args = parser.parse_args()
    if not args.random_weights and not (args.autoencoder and args.dit and args.stats):
        parser.error("--autoencoder, --dit and --stats are required (or --random-weights)")
    check = ort_check_wanted(parser, args)

    start = time.perf_counter()
    configs = {
        "dino": DinoV3Config.vits16plus(),
        "residual": ResidualViTConfig.svg(),
        "decoder": DecoderConfig.svg(),
        "dit": DiTConfig.preset(args.dit_size),
    }
    if args.random_weights:
        networks = SvgNetworks.build(configs, seed=args.seed)
    else:
        state_dicts = autoencoder_state_dicts(read_checkpoint(args.autoencoder))
        if args.dino:
            state_dicts["dino"] = plain_state_dict(read_checkpoint(args.dino))
        state_dicts["dit"] = dit_state_dict(read_checkpoint(args.dit))
        networks = SvgNetworks.build(configs, state_dicts)
    channels = configs["dit"].in_channels
    if args.stats:
        mean, std = read_latent_stats(args.stats, channels)
    else:
        mean, std = random_image_latent_stats(networks, RESOLUTION, count=4, seed=args.seed)
    if args.class_names:
        class_names = read_class_names(args.class_names)
    else:
        class_names = default_class_names(configs["dit"].num_classes)
    print(f"networks ready in {time.perf_counter() - start:.1f} s")

    size = args.dit_size
    random_note = " (random weights — produces noise)" if args.random_weights else ""
    info = ModelSetInfo(
        id=f"svg-{size.lower()}-256" + ("-random" if args.random_weights else ""),
        name=f"SVG-{size} ImageNet 256{random_note}",
        description=f"SVG (latent diffusion without a VAE): DINOv3-S/16+ features plus an 8-channel residual "
        f"encoder as the latent, SVG-{size} DiT, ImageNet-1k class-conditional at 256x256."
        + (" Seeded random weights at full size, for export and speed tests." if args.random_weights else ""),
        random_weights=args.random_weights,
        license="Apache-2.0" if args.random_weights else LICENSE,
        attribution=ATTRIBUTION,
        resolution=RESOLUTION,
        class_names=class_names,
        latent_mean=mean,
        latent_std=std,
        sampler=SamplerDefaults(steps=25, sampler="euler", shift=0.15, guidance_scale=4.0, guidance_schedule="constant"),
        created_by="export-scripts/export_svg.py",
    )
    write_model_set(networks, info, args.out, check_with_ort=check, tolerance=args.tolerance,
                    variants=args.variants, int4_block_size=args.int4_block_size)
    print(f"model set written to {args.out} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
