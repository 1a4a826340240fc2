"""SVG DiT against the official outputs, and its generalisation to other token grids."""
import numpy as np
import torch

from conftest import assert_close
from svg_models.dit import DiT, DiTConfig, sincos_pos_embed
from svg_models.random_init import randomize_weights


@torch.no_grad()
def test_output_matches_reference(fx):
    dit = fx.network("dit")
    x, t, y = fx.array("dit_x"), fx.array("dit_t"), fx.array("dit_y")
    out = dit(x, t, y)
    assert_close(out, fx.array("dit_out"))
    assert_close(dit.velocity(x, t, y), fx.array("dit_out")[..., : dit.config.in_channels])
    assert_close(dit.t_embedder.frequencies(t), fx.array("dit_t_freq"))
    assert_close(dit.condition(t, y), fx.array("dit_c"))


def test_config_agrees_with_derived_sizes(fx):
    config = fx.network("dit").config
    derived = fx.config_json("dit")["derived"]
    assert config.out_channels == derived["out_channels"]
    assert config.num_tokens == derived["num_patches_hardcoded"]
    assert config.null_class == derived["null_class"]
    assert config.attn_head_dim == derived["head_dim"]


def test_sincos_table_reproduces_stored_pos_embed(fx):
    stored = fx.state_dict("dit")["pos_embed"][0]  # [N, hidden]
    rows, cols = fx.network("dit").config.grid
    assert rows * cols == stored.shape[0]
    np.testing.assert_array_equal(sincos_pos_embed(stored.shape[1], rows, cols), stored.numpy())


def test_non_square_table_is_axial():
    """First half of the channels follows the column, second half the row (tokens row-major)."""
    table = sincos_pos_embed(32, 3, 5).reshape(3, 5, 32)
    assert np.array_equal(table[0, :, :16], table[2, :, :16])  # same columns, different rows
    assert np.array_equal(table[:, 0, 16:], table[:, 4, 16:])  # same rows, different columns
    assert not np.array_equal(table[0, 0], table[1, 1])


@torch.no_grad()
def test_small_grid_runs(fx):
    """A 4x4-grid DiT (as in small model sets) builds, loads its own state dict strictly and runs."""
    base = fx.network("dit").config
    config = DiTConfig(**{**base.to_dict(), "grid": [4, 4]})
    dit = randomize_weights(DiT(config), seed=0)
    np.testing.assert_array_equal(dit.pos_embed[0].numpy(), sincos_pos_embed(config.hidden_size, 4, 4))
    DiT(config).load_state_dict(dit.state_dict(), strict=True)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(3, 16, config.in_channels, generator=gen)
    out = dit.velocity(x, torch.rand(3, generator=gen), torch.tensor([0, 1, config.null_class]))
    assert out.shape == x.shape and torch.isfinite(out).all()
    try:
        dit(torch.zeros(1, 256, config.in_channels), torch.zeros(1), torch.zeros(1, dtype=torch.long))
    except ValueError:
        return
    raise AssertionError("a token count other than the grid's must be rejected")


def test_presets():
    for size, (depth, hidden, heads) in {"XL": (28, 1152, 16), "L": (24, 1024, 16), "B": (12, 768, 12)}.items():
        config = DiTConfig.preset(size)
        assert (config.depth, config.hidden_size, config.num_heads) == (depth, hidden, heads)
        assert (config.in_channels, config.num_classes, config.grid, config.null_class) == (392, 1000, (16, 16), 1000)
        assert DiTConfig.from_dict(config.to_dict()) == config
