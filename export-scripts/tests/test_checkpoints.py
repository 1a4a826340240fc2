"""Checkpoint containers: prefixes, wrappers and pickled objects from absent packages."""
import sys
import types

import pytest
import torch

from svg_export.networks import build_network
from svg_models.checkpoints import (
    autoencoder_state_dicts,
    dit_state_dict,
    network_state_dict,
    plain_state_dict,
    read_checkpoint,
    strip_prefix,
)


def t(value: float) -> torch.Tensor:
    return torch.full((2,), value)


def test_autoencoder_prefixes_are_stripped_and_extra_keys_ignored():
    checkpoint = {
        "epoch": 7,
        "state_dict": {
            "encoder.cls_token": t(1), "encoder.blocks.0.attn.qkv.bias_mask": t(2),
            "extra_vit.class_token": t(3), "decoder.conv_in.weight": t(4),
            "loss.discriminator.main.0.weight": t(5), "loss.perceptual_loss.net.encoder.x": t(6),
            "mask_token": t(7), "norm_vit.weight": t(8),
        },
    }
    parts = autoencoder_state_dicts(checkpoint)
    expected = {
        "dino": {"cls_token": t(1), "blocks.0.attn.qkv.bias_mask": t(2)},
        "residual": {"class_token": t(3)},
        "decoder": {"conv_in.weight": t(4)},
    }
    assert parts.keys() == expected.keys()
    for role, weights in expected.items():
        assert parts[role].keys() == weights.keys()
        assert all(torch.equal(parts[role][k], v) for k, v in weights.items())
    assert network_state_dict("residual", checkpoint).keys() == {"class_token"}
    with pytest.raises(ValueError):
        network_state_dict("dit", checkpoint)


def test_dit_containers():
    weights = {"pos_embed": t(1), "ln1.weight": t(2)}
    assert dit_state_dict({"ema": weights, "model": {"other": t(0)}, "opt": {}}).keys() == weights.keys()
    assert dit_state_dict({"model": weights, "args": None}).keys() == weights.keys()
    assert dit_state_dict(weights).keys() == weights.keys()
    assert dit_state_dict({f"module.{k}": v for k, v in weights.items()}).keys() == weights.keys()
    assert network_state_dict("dit", {"ema": weights}).keys() == weights.keys()


def test_invalid_containers():
    with pytest.raises(KeyError):
        strip_prefix({"decoder.x": t(0)}, "encoder.")
    with pytest.raises(ValueError):
        plain_state_dict({"hyper_parameters": {"lr": 1e-4}})
    with pytest.raises(ValueError):
        autoencoder_state_dicts({"ema": {}})


class AttributeDict(dict):
    """Pickled as absent_lightning.AttributeDict, a package that does not exist when loading."""

    __module__ = "absent_lightning"


def test_lightning_checkpoint_round_trip(fx, tmp_path):
    """Fixture weights re-packed as an SVG autoencoder .ckpt (with a pickled object whose package is
    gone at load time, like Lightning's hyper-parameters) load strictly into all three networks."""
    module = types.ModuleType(AttributeDict.__module__)
    module.AttributeDict = AttributeDict
    hyper = AttributeDict(lr=1e-4, ddconfig={"ch": 128})
    state_dict = {"loss.logvar": torch.zeros(())}
    for role, prefix in (("dino", "encoder."), ("residual", "extra_vit."), ("decoder", "decoder.")):
        state_dict.update({prefix + k: v for k, v in fx.state_dict(role).items()})
    sys.modules[module.__name__] = module
    try:
        torch.save({"state_dict": state_dict, "hyper_parameters": hyper, "epoch": 3}, tmp_path / "svg.ckpt")
    finally:
        del sys.modules[module.__name__]
    parts = autoencoder_state_dicts(read_checkpoint(tmp_path / "svg.ckpt"))
    for role in ("dino", "residual", "decoder"):
        build_network(role, fx.network(role).config, parts[role])  # strict
