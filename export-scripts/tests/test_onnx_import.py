"""Weights read back from an exported graph: every role of the reference fixtures round-trips exactly
(parameters and outputs), and a graph of another configuration is refused by name."""
import copy
from dataclasses import replace

import pytest
import torch

from svg_export.networks import NETWORKS, build_network, example_inputs, export_role
from svg_export.onnx_import import OnnxImportError, restore_state_dict


def image_size(role: str, model) -> int | None:
    return 4 * model.config.patch_size if role == "dino" else None


def scrambled(model):
    """The same architecture with other weights: what a fresh training run's module looks like."""
    other = copy.deepcopy(model)
    with torch.no_grad():
        for p in other.parameters():
            p.normal_(generator=torch.Generator().manual_seed(p.numel()))
    return other


@pytest.mark.parametrize("role", list(NETWORKS))
def test_every_role_round_trips_through_its_graph(fx, role, tmp_path):
    trained = fx.network(role)
    size = image_size(role, trained)
    path = tmp_path / NETWORKS[role].file
    export_role(role, trained, path, image_size=size, check_with_ort=False)

    fresh = scrambled(trained)
    before = {k: v.clone() for k, v in fresh.state_dict().items()}
    restored = restore_state_dict(role, fresh, path, image_size=size)
    assert all(torch.equal(v, fresh.state_dict()[k]) for k, v in before.items())  # the module is left alone

    unread = set(restored.unread)
    for name, value in trained.state_dict().items():
        if name not in unread:
            assert torch.equal(restored.state_dict[name], value), name
    model = build_network(role, trained.config, restored.state_dict)
    inputs = example_inputs(role, trained, 2, seed=1, image_size=size)
    forward = (lambda m: m.velocity(*inputs)) if role == "dit" else (lambda m: m(*inputs))
    with torch.no_grad():
        assert torch.equal(forward(model), forward(trained))


def test_a_graph_of_another_configuration_is_refused_naming_the_file(fx, tmp_path):
    trained = fx.network("decoder")
    path = tmp_path / "decoder.onnx"
    export_role("decoder", trained, path, check_with_ort=False)
    other = build_network("decoder", replace(trained.config, num_res_blocks=trained.config.num_res_blocks + 1))
    with pytest.raises(OnnxImportError, match="decoder.onnx: its nodes are not the ones this module exports"):
        restore_state_dict("decoder", other, path)
