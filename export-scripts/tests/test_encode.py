"""The encode step (DINO tokens + batch-aligned residual) and the encode-decode chain."""
import torch

from conftest import assert_close
from svg_models.latent import assemble_latent, match_distribution


def encode(fx, image):
    dino, residual = fx.network("dino"), fx.network("residual")
    patch = dino.config.patch_size
    grid = (image.shape[2] // patch, image.shape[3] // patch)
    eps = fx.json("encode_config.json")["match_distribution_eps"]
    return assemble_latent(dino(image), residual(image), grid, eps)


@torch.no_grad()
def test_encode_matches_reference(fx):
    image = fx.array("image")
    assert_close(encode(fx, image), fx.array("encode_out"))
    h = fx.network("dino")(image).transpose(1, 2)
    assert_close(match_distribution(h, fx.network("residual")(image)), fx.array("encode_h_vit_matched"))


@torch.no_grad()
def test_alignment_uses_batch_statistics(fx):
    image = fx.array("image")
    alone = encode(fx, image[:1])
    assert_close(alone, fx.array("encode_out_first_image_alone"))
    dino_channels = fx.network("dino").config.embed_dim
    assert_close(alone[:, :dino_channels], fx.array("encode_out")[:1, :dino_channels])


@torch.no_grad()
def test_encode_then_decode(fx):
    latent = encode(fx, fx.array("image"))
    assert_close(fx.network("decoder")(latent), fx.array("decode_of_encode_out"))
