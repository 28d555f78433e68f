"""Regenerate sources.schema.json from the models in crawler/config.py.

    python scripts/write_schema.py           # rewrite the file
    python scripts/write_schema.py --check   # exit 1 if the committed file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crawler.config import json_schema

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "sources.schema.json"


def render() -> str:
    """The schema file's exact text: stable key order, two-space indent, final newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("--path", type=Path, default=SCHEMA_PATH, help="schema file to write")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
        if current != text:
            print(f"{args.path} is stale: run python scripts/write_schema.py", file=sys.stderr)
            return 1
        print(f"{args.path} is up to date")
        return 0
    args.path.write_text(text, encoding="utf-8")
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
