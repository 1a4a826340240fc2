"""Convolutional decoder against the official Decoder outputs."""
import torch

from conftest import assert_close
from svg_models.decoder import Decoder, DecoderConfig


@torch.no_grad()
def test_output_matches_reference(fx):
    decoder = fx.network("decoder")
    assert_close(decoder(fx.array("decoder_in")), fx.array("decoder_out"))
    assert_close(decoder(fx.array("encode_out")), fx.array("decode_of_encode_out"))


def test_group_norm_matches_torch(fx):
    norm = fx.network("decoder").norm_out
    x = torch.randn(2, norm.num_channels, 5, 7, generator=torch.Generator().manual_seed(0))
    reference = torch.nn.functional.group_norm(x, norm.num_groups, norm.weight, norm.bias, norm.eps)
    assert_close(norm(x).detach(), reference.detach(), atol=1e-5)


def test_svg_preset():
    config = DecoderConfig.svg()
    assert config.latent_size == 16
    model = Decoder(config)
    assert round(sum(p.numel() for p in model.parameters()) / 1e6, 1) == 43.1
    assert DecoderConfig.from_dict(config.to_dict()) == config
