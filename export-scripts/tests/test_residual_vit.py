"""Residual ViT (torchvision layout) against the official forward_custom output."""
import torch

from conftest import assert_close
from svg_models.residual_vit import ResidualViT, ResidualViTConfig


@torch.no_grad()
def test_output_matches_reference(fx):
    assert_close(fx.network("residual")(fx.array("image")), fx.array("residual_vit_out"))


def test_rejects_other_image_sizes(fx):
    model = fx.network("residual")
    size = model.config.image_size + model.config.patch_size
    try:
        model(torch.zeros(1, 3, size, size))
    except ValueError:
        return
    raise AssertionError("a wrong image size must be rejected")


def test_svg_preset():
    config = ResidualViTConfig.svg()
    model = ResidualViT(config)
    assert round(sum(p.numel() for p in model.parameters()) / 1e6, 1) == 11.2
    assert ResidualViTConfig.from_dict(config.to_dict()) == config
