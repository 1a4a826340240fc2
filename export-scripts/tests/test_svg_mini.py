"""SVG-Mini pipeline at the smoke budget: every stage runs, resumes, and exports a valid model set."""
import json
from pathlib import Path

import torch

from svg_mini.data import CLASS_NAMES, class_of, load_emoji, split_by_emoji
from svg_mini.evaluate import evaluate, frechet_distance
from svg_mini.flow import shift_time
from svg_mini.latent_comparison import SETTINGS, compare
from svg_mini.pipeline import BUDGETS, RESOLUTION, run
from svg_mini.sampler_sweep import CONSISTENCY_MARGIN, GUIDANCE_SCALES, SHIFTS, sweep

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
    # A validation split inside the training split is again by emoji, and only draws from it.
    fit, validation = split_by_emoji(data, 0.1, seed=0, among=train)
    assert set(fit.tolist()) | set(validation.tolist()) == set(train.tolist())
    assert not {data.emoji[i] for i in fit} & {data.emoji[i] for i in validation}


def test_training_time_follows_the_reference_shift():
    u = torch.tensor([0.0, 0.5, 1.0])
    assert torch.allclose(shift_time(u, 0.4), torch.tensor([0.0, 0.2 / 0.7, 1.0]))


def test_smoke_pipeline_exports_a_model_set_and_resumes(tmp_path):
    out = tmp_path / "set"
    result = run(tmp_path / "run", NODE_MODULES, BUDGETS["smoke"], seed=0, log=lambda _: None, export_to=out,
                 check_with_ort=False)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["id"] == "svg-mini" and manifest["classes"]["names"] == list(CLASS_NAMES)
    assert manifest["image"]["resolution"] == RESOLUTION and manifest["randomWeights"] is False
    assert sum(f.stat().st_size for f in out.glob("*.onnx")) <= 40 * 2**20
    # A second run finds every stage finished and gives the same networks.
    first = (tmp_path / "run" / "dit.pt").stat().st_mtime
    run(tmp_path / "run", NODE_MODULES, BUDGETS["smoke"], seed=0, log=lambda _: None)
    assert (tmp_path / "run" / "dit.pt").stat().st_mtime == first

    # The evaluation runs on it and writes its metrics and grids.
    metrics = evaluate(result, manifest, tmp_path / "eval", samples_per_class=2, classifier_steps=2, log=lambda _: None)
    assert set(metrics["generation"]["frechet_distance"]) == {"1", "2", "5", "10", "25"}
    probe = metrics["linear_probe"]
    assert all(0 <= p[k] <= 1 for p in (probe, probe["patch_tokens_only"]) for k in ("trained", "random_weights"))
    assert metrics["reconstruction"]["psnr_db"] > 0
    assert {p.name for p in (tmp_path / "eval").iterdir()} == {
        "metrics.json", "reconstruction.png", "samples-per-class.png", "interpolation.png"}

    # The sampler sweep scores every shift x guidance pair and picks by its rule.
    swept = sweep(result, 2, tmp_path / "sweep.json", samples_per_class=1, classifier_steps=2, log=lambda _: None)
    assert len(swept["grid"]) == len(SHIFTS) * len(GUIDANCE_SCALES)
    best = max(r["class_consistency"] for r in swept["grid"])
    assert swept["chosen"]["class_consistency"] >= best - CONSISTENCY_MARGIN
    assert swept["chosen"]["frechet_distance"] == min(
        r["frechet_distance"] for r in swept["grid"] if r["class_consistency"] >= best - CONSISTENCY_MARGIN)

    # The KL-VAE comparison trains its VAE and both DiTs and scores every snapshot in both latent spaces.
    report = compare(result, tmp_path / "run", BUDGETS["smoke"], 0, tmp_path / "cmp", manifest, samples_per_class=1,
                     log=lambda _: None)
    assert report["latent_shape"]["kl-vae"][:2] == report["latent_shape"]["svg"][:2]
    for space in ("svg", "kl-vae"):
        curves = report["frechet_distance"][space]
        assert len(curves) == len(SETTINGS) and all(set(c) == {"2"} for c in curves.values())
    assert {p.name for p in (tmp_path / "cmp").iterdir()} == {"latent-comparison.json", "latent-comparison.png"}


def test_frechet_distance_is_zero_for_identical_sets_and_grows_with_a_shift():
    x = torch.randn(200, 4, generator=torch.Generator().manual_seed(0))
    assert abs(frechet_distance(x, x)) < 1e-6
    assert abs(frechet_distance(x, x + 2) - 16) < 1e-6
