"""What the sample exports hold, told by the generator that wrote them (tools/make_sample_data.py).

Tests compare the engine and the pages with these figures, which come from the
generator's own plan, not from a previous run of the engine.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_sample_data", ROOT / "tools" / "make_sample_data.py")
assert _spec is not None and _spec.loader is not None
generator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generator)


def units(day: int, threshold: float = 70, required: int = 2) -> dict[str, dict]:
    """Roster unit name -> {type, uploaded, passing, ready}."""
    return generator.truth(day, threshold, required)


def status(u: dict, required: int = 2) -> str:
    if u["passing"] >= required:
        return "ready"
    if u["uploaded"] >= required:
        return "needs_improvement"
    return "incomplete" if u["uploaded"] else "none"


def counts(day: int, threshold: float = 70, required: int = 2) -> dict[str, int]:
    """expected, ready, needs_improvement, incomplete, none (roster units) and innovations (all distinct ones)."""
    by_status = Counter(status(u, required) for u in units(day, threshold, required).values())
    rows = generator.export_rows(generator.plan(generator.roster_units()), day)
    innovations = {(r["unit"] or r["written"], r["innovation"].lower()) for r in rows}
    return {
        "expected": len(units(day)),
        **{s: by_status[s] for s in ("ready", "needs_improvement", "incomplete", "none")},
        "innovations": len(innovations),
    }
