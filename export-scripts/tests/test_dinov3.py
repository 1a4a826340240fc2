"""DINOv3 backbone against the official forward_features outputs and RoPE tables."""
import torch

from conftest import assert_close
from svg_models.dinov3 import DinoV3, DinoV3Config


@torch.no_grad()
def test_forward_features_match_reference(fx):
    dino = fx.network("dino")
    features = dino.features(fx.array("image"))
    for key in ("x_norm_patchtokens", "x_norm_clstoken", "x_storage_tokens", "x_prenorm"):
        assert_close(features[key], fx.array(f"dinov3_{key}"))
    assert_close(dino(fx.array("image")), fx.array("dinov3_x_norm_patchtokens"))


def test_rope_tables_match_reference(fx):
    dino = fx.network("dino")
    _, _, height, width = fx.array("image").shape
    patch = dino.config.patch_size
    sin, cos = dino.rope_embed(height // patch, width // patch)
    assert_close(sin, fx.array("dinov3_rope_sin"))
    assert_close(cos, fx.array("dinov3_rope_cos"))


def test_config_agrees_with_derived_sizes(fx):
    config = fx.network("dino").config
    derived = fx.config_json("dino")["derived"]
    assert config.head_dim == derived["head_dim"]
    assert config.ffn_hidden == derived["swiglu_hidden"]
    assert config.norm_eps == derived["layernorm_eps"]
    assert config.head_dim // 4 == derived["rope_periods_len"]
    assert 1 + config.n_storage_tokens == derived["n_prefix_tokens"]


def test_k_bias_is_masked(fx):
    """The loaded bias_mask zeroes the k third: changing the k bias must not change the output."""
    dino = fx.network("dino")
    image = fx.array("image")
    qkv = dino.blocks[0].attn.qkv
    dim = dino.config.embed_dim
    with torch.no_grad():
        before = dino(image)
        saved = qkv.bias[dim : 2 * dim].clone()
        qkv.bias[dim : 2 * dim] += 1.0
        after = dino(image)
        qkv.bias[dim : 2 * dim] = saved
    assert torch.equal(before, after)


def test_vits16plus_preset():
    config = DinoV3Config.vits16plus()
    assert (config.embed_dim, config.depth, config.num_heads, config.ffn_hidden) == (384, 12, 6, 1536)
    model = DinoV3(config)
    assert round(sum(p.numel() for p in model.parameters()) / 1e6, 1) == 28.7
    assert "blocks.11.attn.qkv.bias_mask" in model.state_dict()
    assert DinoV3Config.from_dict(config.to_dict()) == config
