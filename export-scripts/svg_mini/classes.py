"""SVG-Mini v2's class table: which emoji belong to which of the classes a person can name.

The table itself is data, `svg_mini/classes.json` ({"names": [...], "emoji": {"<unified code>": class id}}),
read by the data preparation, the evaluation, the classifier and the exporter (`load_class_table`). This file
also keeps the rules the table was built from (`build_class_table`), so it can be rebuilt when the emoji
packages change (`python3 -m svg_mini.classes`); a test checks that the rules still give the committed table.

Why these classes: each is a group whose members look alike (shape and palette) and that has at least ~20
distinct emoji (40+ images with both styles), so a 64 px model can learn it and a person can name it. Groups
whose members share nothing visual (objects, activities, prepared food, warning signs) are left out rather
than merged into a blob class. Emoji need art in both packages; skin-tone variants are not used.
"""
import json
import re
from pathlib import Path

CLASS_TABLE = Path(__file__).with_name("classes.json")
PACKAGE = "emoji-datasource-google"  # emoji.json is the same list in both packages

# transport-ground members that are not vehicles (signs, road, fuel)
_NOT_VEHICLES = {"station", "busstop", "traffic_light", "vertical_traffic_light", "construction", "rotating_light",
                 "octagonal_sign", "wheel", "oil_drum", "motorway", "railway_track", "fuelpump"}
_NOT_BUILDINGS = {"bricks", "rock", "wood"}
_FACE = re.compile(r"\bFACE\b")


def _is_animal_face(e: dict) -> bool:
    return e["subcategory"] in ("cat-face", "monkey-face") or (
        e["subcategory"].startswith("animal-") and bool(_FACE.search(e.get("name") or "")))


# Order = class id. Each rule: (name, predicate over an emoji.json entry).
RULES = (
    ("smiley face", lambda e: e["subcategory"].startswith("face-") and e["subcategory"] != "face-costume"),
    ("animal face", _is_animal_face),
    ("heart", lambda e: e["subcategory"] == "heart"),
    ("hand gesture", lambda e: e["subcategory"].startswith("hand-") or e["subcategory"] == "hands"),
    ("person", lambda e: e["subcategory"] in ("person", "person-gesture", "person-role")),
    ("animal", lambda e: e["subcategory"].startswith("animal-") and not _is_animal_face(e)),
    ("flower & plant", lambda e: e["subcategory"].startswith("plant-")),
    ("fruit & vegetable", lambda e: e["subcategory"] in ("food-fruit", "food-vegetable")),
    ("vehicle", lambda e: e["subcategory"] in ("transport-air", "transport-water")
     or (e["subcategory"] == "transport-ground" and e["short_name"] not in _NOT_VEHICLES)),
    ("building", lambda e: e["subcategory"] == "place-religious"
     or (e["subcategory"] == "place-building" and e["short_name"] not in _NOT_BUILDINGS)),
    ("clock", lambda e: e["subcategory"] == "time"),
    ("weather & sky", lambda e: e["subcategory"] == "sky & weather"),
    ("flag", lambda e: e["category"] == "Flags"),
    ("symbol tile", lambda e: e["subcategory"] in ("alphanum", "keycap", "av-symbol", "zodiac", "religion")),
    ("geometric shape", lambda e: e["subcategory"] == "geometric"),
)


def build_class_table(entries: list[dict]) -> dict:
    """emoji.json entries -> {"names": [...], "emoji": {unified: id}} (emoji with art in both styles only)."""
    table: dict[str, int] = {}
    for entry in entries:
        if not (entry.get("has_img_google") and entry.get("has_img_twitter")):
            continue
        ids = [i for i, (_, rule) in enumerate(RULES) if rule(entry)]
        if len(ids) > 1:
            raise ValueError(f"emoji {entry['unified']} matches classes {ids}: rules must not overlap")
        if ids:
            table[entry["unified"]] = ids[0]
    return {"names": [name for name, _ in RULES], "emoji": dict(sorted(table.items()))}


def load_class_table(path: Path = CLASS_TABLE) -> dict:
    """The committed table, validated: names unique and non-empty, every id a valid index, every class used."""
    table = json.loads(path.read_text())
    names, emoji = table.get("names"), table.get("emoji")
    if not isinstance(names, list) or not names or len(set(names)) != len(names) or not all(
            isinstance(n, str) and n for n in names):
        raise ValueError(f"{path}: 'names' must be a non-empty list of distinct strings")
    if not isinstance(emoji, dict) or not emoji:
        raise ValueError(f"{path}: 'emoji' must be a non-empty object of unified code -> class id")
    for code, label in emoji.items():
        if not isinstance(label, int) or isinstance(label, bool) or not 0 <= label < len(names):
            raise ValueError(f"{path}: emoji {code!r} has class id {label!r}, not in 0..{len(names) - 1}")
    unused = set(range(len(names))) - set(emoji.values())
    if unused:
        raise ValueError(f"{path}: classes {sorted(unused)} have no emoji")
    return table


def main() -> None:
    node_modules = Path(__file__).resolve().parents[2] / "node_modules"
    table = build_class_table(json.loads((node_modules / PACKAGE / "emoji.json").read_text()))
    CLASS_TABLE.write_text(json.dumps(table, indent=1) + "\n")
    counts = [sum(1 for v in table["emoji"].values() if v == i) for i in range(len(table["names"]))]
    print("\n".join(f"{i:2d} {name}: {n} emoji" for i, (name, n) in enumerate(zip(table["names"], counts))))


if __name__ == "__main__":
    main()
