"""The CAMEO event code table (`data/cameo_codes.tsv`): names, Goldstein values and quad classes."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def base(self) -> str:
        return self.code[:3]

    @property
    def quad_class(self) -> int:
        return quad_class(self.code)


def quad_class(code: str) -> int:
    """1 verbal cooperation (roots 01-05), 2 material cooperation (06-09), 3 verbal conflict (10-14),
    4 material conflict (15-20)."""
    root = int(code[:2])
    if not 1 <= root <= 20:
        raise ValueError(f"not a CAMEO code: {code!r}")
    if root <= 5:
        return 1
    if root <= 9:
        return 2
    if root <= 14:
        return 3
    return 4


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a project data TSV: header row, `#` comment lines skipped, cells stripped."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{key.strip(): (value or "").strip() for key, value in row.items() if key} for row in reader]


def parse_yaml(raw: bytes):
    """The contents of a project data YAML file, parsed with libyaml's C loader when PyYAML has it (ten times
    faster)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(raw, Loader=loader)


@cache
def cameo_codes() -> dict[str, CameoCode]:
    """Every CAMEO code, keyed by its string code ("01", "010", "0311", ...)."""
    table = {}
    for row in read_tsv(DATA_DIR / "cameo_codes.tsv"):
        table[row["code"]] = CameoCode(row["code"], row["name"], float(row["goldstein"]))
    return table


def lookup(code: str) -> CameoCode:
    try:
        return cameo_codes()[code]
    except KeyError:
        raise KeyError(f"unknown CAMEO code {code!r}") from None
