"""The precision variants a network may ship, read from the one table src/engine/model-set/precisions.json.

Why this file: the TypeScript planner and this exporter must agree on precision ids and file suffixes, so
neither types the list: both read the JSON. What each precision needs from the exporter (which converter
writes it) is keyed by the table's `weights` / `activations` columns in export.py, so a new row with
known columns needs no Python change.
"""
import argparse
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PRECISIONS_JSON = Path(__file__).resolve().parents[2] / "src" / "engine" / "model-set" / "precisions.json"
REFERENCE = "float32"  # every network ships it; the graph IO of every variant is its IO


@dataclass(frozen=True)
class Precision:
    id: str
    weights: str  # "float32" | "float16" | "int4"
    activations: str  # "float32" | "float16"
    file_suffix: str  # "" | ".fp16" | ".int4" | ...

    def file_for(self, base_file: str) -> str:
        """`dit.onnx` -> `dit<suffix>.onnx`."""
        stem, dot, ext = base_file.rpartition(".")
        return f"{stem}{self.file_suffix}{dot}{ext}" if dot else base_file + self.file_suffix


class VariantsError(ValueError):
    """A --variants list that names no precision of precisions.json, or leaves out float32."""


@cache
def precisions(path: Path = PRECISIONS_JSON) -> dict[str, Precision]:
    rows = json.loads(path.read_text(encoding="utf-8"))["precisions"]
    table = {row["id"]: Precision(row["id"], row["weights"], row["activations"], row["fileSuffix"]) for row in rows}
    if REFERENCE not in table:
        raise VariantsError(f"{path}: the table lacks the {REFERENCE} reference precision")
    return table


def parse_variants(text: str) -> tuple[str, ...]:
    """"float32,float16,int4" -> ("float32", "float16", "int4") in the table's order; float32 is required."""
    known = precisions()
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise VariantsError(f"unknown precision(s) {', '.join(map(repr, unknown))} in --variants "
                            f"(known, from {PRECISIONS_JSON.name}: {', '.join(known)})")
    if REFERENCE not in names:
        raise VariantsError(f"--variants must include {REFERENCE} (the reference every network ships), got {text!r}")
    return tuple(name for name in known if name in names)


def variants_argument(text: str) -> tuple[str, ...]:
    """argparse `type` of the CLIs' --variants: parse_variants with its message as the usage error."""
    try:
        return parse_variants(text)
    except VariantsError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
