"""SVG-Mini pipeline at the smoke budget: every stage runs, resumes, and exports a valid model set."""
import json
from pathlib import Path

import torch

from svg_mini.data import CLASS_NAMES, class_of, load_emoji, split_by_emoji
from svg_mini.flow import shift_time
from svg_mini.pipeline import BUDGETS, RESOLUTION, run

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def test_classes_cover_every_emoji_category_but_components():
    assert class_of("Flags", "country-flag") == CLASS_NAMES.index("flag")
    assert class_of("Smileys & Emotion", "face-smiling") == CLASS_NAMES.index("smiley face")
    assert class_of("People & Body", "hand-fingers-open") == CLASS_NAMES.index("hand & body")
    assert class_of("Component", "skin-tone") is None


def test_split_is_by_emoji_and_seeded():
    data = load_emoji(NODE_MODULES, 16, with_skin_tones=False)
    train, held = split_by_emoji(data, 0.1, seed=0)
    assert not {data.emoji[i] for i in train} & {data.emoji[i] for i in held}
    assert torch.equal(held, split_by_emoji(data, 0.1, seed=0)[1])
    assert not torch.equal(held, split_by_emoji(data, 0.1, seed=1)[1])
    assert data.images.min() >= -1 and data.images.max() <= 1


def test_training_time_follows_the_reference_shift():
    u = torch.tensor([0.0, 0.5, 1.0])
    assert torch.allclose(shift_time(u, 0.4), torch.tensor([0.0, 0.2 / 0.7, 1.0]))


def test_smoke_pipeline_exports_a_model_set_and_resumes(tmp_path):
    out = tmp_path / "set"
    run(tmp_path / "run", NODE_MODULES, BUDGETS["smoke"], seed=0, log=lambda _: None, export_to=out,
        check_with_ort=False)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["id"] == "svg-mini" and manifest["classes"]["names"] == list(CLASS_NAMES)
    assert manifest["image"]["resolution"] == RESOLUTION and manifest["randomWeights"] is False
    assert sum(f.stat().st_size for f in out.glob("*.onnx")) <= 40 * 2**20
    # A second run finds every stage finished and gives the same networks.
    first = (tmp_path / "run" / "dit.pt").stat().st_mtime
    run(tmp_path / "run", NODE_MODULES, BUDGETS["smoke"], seed=0, log=lambda _: None)
    assert (tmp_path / "run" / "dit.pt").stat().st_mtime == first
