#!/usr/bin/env python3
"""Build the small random-weights model set the tests and the first studio page use (thin CLI).

  make_random_set.py --out public/models/random-tiny

64x64 images, patch 16 (a 4x4 latent grid), DINO and residual ViT 96 wide and 2 deep, 104 latent channels,
a ~0.8M-parameter decoder (4x4 -> 64x64), DiT 96 wide, 2 deep, 10 classes. Weights are seeded, so the
output is reproducible; latent statistics are measured on seeded random images.
"""
import argparse

from svg_export.cli import add_ort_check_argument, ort_check_wanted
from svg_export.model_set import ModelSetInfo, SamplerDefaults, SvgNetworks, random_image_latent_stats, write_model_set
from svg_models.decoder import DecoderConfig
from svg_models.dinov3 import DinoV3Config
from svg_models.dit import DiTConfig
from svg_models.residual_vit import ResidualViTConfig

RESOLUTION = 64
DEFAULT_SEED = 0  # the committed public/models/random-tiny
CLASS_NAMES = ("apple", "bicycle", "cloud", "dolphin", "espresso", "fern", "glacier", "harbor", "iris", "jellyfish")
CONFIGS = {
    "dino": DinoV3Config(embed_dim=96, depth=2, num_heads=2),
    "residual": ResidualViTConfig(image_size=RESOLUTION, num_layers=2, num_heads=2, hidden_dim=96, mlp_dim=384),
    "decoder": DecoderConfig(z_channels=104, resolution=RESOLUTION, ch=32, ch_mult=(1, 1, 1, 2, 2),
                             num_res_blocks=1, attn_resolutions=(4,)),
    "dit": DiTConfig(in_channels=104, hidden_size=96, depth=2, num_heads=2, num_classes=len(CLASS_NAMES), grid=(4, 4)),
}


def build(seed: int) -> tuple[SvgNetworks, ModelSetInfo]:
    networks = SvgNetworks.build(CONFIGS, seed=seed)
    mean, std = random_image_latent_stats(networks, RESOLUTION, count=32, seed=seed)
    info = ModelSetInfo(
        id="random-tiny",
        name="Random tiny (random weights — produces noise)",
        description="A 64x64 SVG-shaped model set with seeded random weights: every graph has the real "
        "architecture at toy width, so the whole pipeline runs in seconds, but images are noise.",
        random_weights=True,
        license="Apache-2.0",
        attribution="Architectures of SVG (Shi, Wang, Zheng et al., arXiv 2510.15301, github.com/shiml20/SVG) "
        "and DINOv3 (Meta AI, github.com/facebookresearch/dinov3); no trained weights.",
        resolution=RESOLUTION,
        class_names=CLASS_NAMES,
        latent_mean=mean,
        latent_std=std,
        sampler=SamplerDefaults(steps=8, sampler="euler", shift=0.15, guidance_scale=4.0, guidance_schedule="constant"),
        created_by="export-scripts/make_random_set.py",
    )
    return networks, info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="model-set folder to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    add_ort_check_argument(parser)
    args = parser.parse_args()
    check = ort_check_wanted(parser, args)  # before the networks are built: a usage error comes first
    write_model_set(*build(args.seed), args.out, check_with_ort=check)


if __name__ == "__main__":
    main()
