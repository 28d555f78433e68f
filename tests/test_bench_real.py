"""scripts/bench/extraction_real.py: which pages a split holds, and the day a date gives."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench" / "extraction_real.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("extraction_real", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_each_page_is_in_one_split_and_held_is_its_two_quarters(bench):
    keys = [f"site{i}.example/article-{i}.html" for i in range(400)]
    for key in keys:
        quarters = [s for s in ("dev", "held-dev", "held-final") if bench.in_split(key, s)]
        assert len(quarters) == 1, (key, quarters)  # dev held held-final's pages too (8b960fa)
        assert bench.in_split(key, "held") == (quarters[0] != "dev")
    assert sum(bench.in_split(k, "held-final") for k in keys) > 50


def test_the_expected_day_is_the_day_the_text_gives_in_its_zone(bench):
    # 20:10 in New York on the 7th is the 8th in UTC: the page and its corpus say the 7th
    assert bench.day_of("2020-04-07T20:10:46-04:00") == date(2020, 4, 7)
    assert bench.day_of("Sat, 19 Oct 2019 00:04:00 +0200") == date(2019, 10, 19)
    assert bench.day_of("2019-10-18") == date(2019, 10, 18)
    assert bench.day_of("") is None
