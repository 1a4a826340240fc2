"""Shared test setup: import path, the reference fixture folder and the models built from it.

The fixture folder comes from $SVG_FIXTURES (default ../shared/fixtures/reference from the repo root);
graphs are run in ONNX Runtime through the checkout's src/cli/ort-run.ts when it exists;
every expectation is derived from its config JSONs, state dicts and arrays, so any fixture set works.
"""
import json
import os
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import torch

EXPORT_SCRIPTS = Path(__file__).resolve().parents[1]
REPO_ROOT = EXPORT_SCRIPTS.parent
sys.path.insert(0, str(EXPORT_SCRIPTS))

from svg_export.export import ort_run_available  # noqa: E402
from svg_export.networks import build_network, config_from_json  # noqa: E402
from svg_models.checkpoints import plain_state_dict, read_checkpoint  # noqa: E402

FIXTURE_STEMS = {"dino": "dinov3", "residual": "residual_vit", "decoder": "decoder", "dit": "dit"}
ATOL = 1e-4


class Fixtures:
    def __init__(self, root: Path):
        self.root = root

    def array(self, name: str) -> torch.Tensor:
        return torch.from_numpy(np.load(self.root / f"{name}.npy"))

    def json(self, name: str) -> dict:
        return json.loads((self.root / name).read_text())

    def config_json(self, role: str) -> dict:
        return self.json(f"{FIXTURE_STEMS[role]}_state_dict_config.json")

    def state_dict(self, role: str) -> dict:
        return plain_state_dict(read_checkpoint(self.root / f"{FIXTURE_STEMS[role]}_state_dict.pt"))

    @cache
    def network(self, role: str) -> torch.nn.Module:
        return build_network(role, config_from_json(role, self.config_json(role)), self.state_dict(role))


@pytest.fixture(scope="session")
def fx() -> Fixtures:
    root = Path(os.environ.get("SVG_FIXTURES", "../shared/fixtures/reference"))
    root = root if root.is_absolute() else (REPO_ROOT / root).resolve()
    if not (root / "index.json").is_file():
        pytest.fail(f"no reference fixtures at {root} (set SVG_FIXTURES)")
    return Fixtures(root)


@pytest.fixture(scope="session")
def ort_options() -> dict:
    """export_network options: compare with ONNX Runtime through src/cli/ort-run.ts when the checkout has
    it ($SVG_ORT_ROOT may name another checkout to take it from), else export and check the graph only."""
    root = Path(os.environ.get("SVG_ORT_ROOT", REPO_ROOT)).resolve()
    return {"check_with_ort": ort_run_available(root), "repo_root": root}


def assert_close(actual: torch.Tensor, expected: torch.Tensor, atol: float = ATOL) -> None:
    assert tuple(actual.shape) == tuple(expected.shape)
    err = (actual - expected).abs().max().item()
    assert err <= atol, f"max abs error {err:.3g} > {atol:g}"
