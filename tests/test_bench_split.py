"""scripts/bench/extraction_real.py's splits: dev, held-dev and held-final share no page."""

import hashlib
import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench" / "extraction_real.py"


def test_the_splits_are_disjoint_and_cover_the_corpus():
    spec = importlib.util.spec_from_file_location("extraction_real", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    keys = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(400)] + [
        f"folder-{i}" for i in range(400)]
    for key in keys:
        held = [s for s in ("dev", "held-dev", "held-final") if bench.in_split(key, s)]
        assert len(held) == 1, (key, held)  # a held-final page was also in dev
        assert bench.in_split(key, "held") == (held[0] != "dev")
        assert bench.in_split(key, "all")
