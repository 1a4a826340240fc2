"""The solver comparison of an exported set: every row of solvers.json at each step count, scored by the
evaluation's Fréchet distance and added to metrics.json without touching the other figures. Sampling and the
DINO graph are replaced by stand-ins here (the real run takes minutes: export-scripts/evaluate_solvers_svg_mini.py)."""
import hashlib
import json
from types import SimpleNamespace

import torch

from svg_mini import solver_comparison


def test_every_solver_and_step_count_is_scored_and_tied_to_the_manifest(tmp_path, monkeypatch):
    manifest = {"sampler": {"guidanceScale": 4.5, "shift": 0.2, "guidanceSchedule": "constant"},
                "networks": {"dinoEncoder": {"file": "dino_encoder.onnx"}}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    images = torch.linspace(-1, 1, 6 * 3 * 4 * 4).reshape(6, 3, 4, 4)
    monkeypatch.setattr(solver_comparison, "load_emoji", lambda *_, **__: SimpleNamespace(images=images))
    monkeypatch.setattr(solver_comparison, "split_by_emoji", lambda *_: (None, torch.arange(6)))
    asked = []

    def sample(model_set, solver, steps, per_class, seed, work):
        asked.append((solver, steps))
        return images + 0.01 * steps  # further from the "real" images with more steps, for a visible order
    monkeypatch.setattr(solver_comparison, "sample_images", sample)
    monkeypatch.setattr(solver_comparison, "dino_features", lambda _s, _m, x: x.flatten(1)[:, :3])

    result = solver_comparison.compare_solvers(tmp_path, tmp_path, steps=(4, 8), per_class=2, log=lambda _: None)
    assert asked == [(s, n) for s in solver_comparison.solver_ids() for n in (4, 8)]
    assert solver_comparison.solver_ids() == ["euler", "heun", "ab2"]  # the rows of solvers.json
    assert result["manifestSha256"] == hashlib.sha256((tmp_path / "manifest.json").read_bytes()).hexdigest()
    assert (result["samples"], result["guidance_scale"], result["shift"]) == (6, 4.5, 0.2)
    fd = result["frechet_distance"]["ab2"]
    assert list(fd) == ["4", "8"] and fd["4"] < fd["8"]


def test_written_into_metrics_beside_the_other_figures(tmp_path):
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps({"generation": {"frechet_distance": {"5": 1.5}}, "seed": 0}))
    solver_comparison.write_into_metrics(path, {"samples": 384})
    assert json.loads(path.read_text()) == {"generation": {"frechet_distance": {"5": 1.5},
                                                           "solvers": {"samples": 384}}, "seed": 0}
