"""sources.yaml validation by size (reading the file not timed); hostile files through `crawl`.

Part 1, a size sweep: files of 1,000, 10,000 and 80,000 sources (the short form: name, platform,
base_url, one entry point, every; one source in ten a full one, merging an x- anchor of
selectors and listing hosts and a paginated listing), each validated by
  - ours: crawler.config.parse_config (libyaml's parser, line numbers, every check; what
    load_config runs once the file is read, here without its 4 MB and 1,000,000-node limits);
  - safe_load: yaml.safe_load then Config.model_validate, what one usually writes (no line
    numbers, no hostile-file checks, PyYAML's pure-Python parser);
  - C floor: the same with yaml.CSafeLoader, the fastest a validation by these models can be;
  - before: crawler/config.py as of commit 27ea1d1 (PyYAML's pure-Python parser, a quadratic
    duplicate-name check), at up to 10,000 sources (80,000 take minutes).
CPU seconds (time.process_time, the best of --repeat runs: the machine is shared) and
microseconds per source: a flat us/source down the column is linear growth.

Part 2: the hostile files of issue 13 (item 10) through the real `crawl` CLI in a fresh
interpreter: wall and CPU seconds, exit code, stderr lines, beside `crawl --help` (the
interpreter's start and imports, which any command pays), and the milliseconds load_config
itself takes to refuse the same file in this process.

    .venv/bin/python scripts/bench/config_validation.py [--sizes 1000 10000 80000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from measure import machine  # scripts/bench/measure.py

from crawler import config as config_module
from crawler.config import Config, load_config, parse_config
from crawler.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "27ea1d1"
BEFORE_UP_TO = 10_000

ANCHOR = """\
x-wordpress: &wordpress
  platform: wordpress
  selectors:
    title: h1.entry-title
    body: div.entry-content
    authors: .entry-meta .author a
    published: time.entry-date
    remove: [.sharedaddy, .jp-relatedposts, .code-block]
  every: 1h
"""


def sources_file(count: int) -> str:
    parts = [ANCHOR, "sources:\n"]
    for n in range(count):
        if n % 10 == 0:
            parts.append(
                f"  - <<: *wordpress\n    name: journal_{n}\n    title: \"Journal n°{n}\"\n"
                f"    base_url: https://journal{n}.example.ml/\n"
                f"    hosts: [www.journal{n}.example.ml]\n    entry_points:\n"
                f"      - https://journal{n}.example.ml/feed/\n"
                f"      - url: https://journal{n}.example.ml/actualites/\n"
                f"        type: listing\n"
                f"        page_url: \"https://journal{n}.example.ml/actualites/page/{{page}}/\"\n"
                f"    article_url_pattern: '^/\\d{{4}}/\\d{{2}}/[a-z0-9-]+/?$'\n")
        else:
            parts.append(
                f"  - name: source_{n}\n    platform: rss\n    base_url: https://site{n}.example.ml/\n"
                f"    entry_points: [https://site{n}.example.ml/feed]\n    every: 2h\n")
    return "".join(parts)


def load_before(folder: Path):
    """The load_config of commit BEFORE, imported from `git show` as a module of its own."""
    source = subprocess.run(["git", "show", f"{BEFORE}:crawler/config.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    path = folder / "config_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("config_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the models' annotations there
    spec.loader.exec_module(module)
    return module.load_config


def cpu_seconds(call, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        call()
        best = min(best, time.process_time() - start)
    return best


def plain(text: str, loader: type) -> Config:
    data = yaml.load(text, Loader=loader)
    return Config.model_validate({k: v for k, v in data.items() if not k.startswith("x-")},
                                 context={})


def sweep(sizes: list[int], repeat: int, folder: Path) -> None:
    before = load_before(folder)
    limit, config_module.MAX_YAML_NODES = config_module.MAX_YAML_NODES, 10**12
    try:  # the sweep times validation past the limits a file is held to
        sweep_rows(sizes, repeat, folder, before)
    finally:
        config_module.MAX_YAML_NODES = limit


def sweep_rows(sizes: list[int], repeat: int, folder: Path, before) -> None:
    print(f"{'':15} | {'ours':^14} | {'safe_load':^21} | {'C floor':^21} | {'before':^22}")
    print(f"{'sources':>8} {'MB':>6} | {'cpu s':>6} {'us/src':>7} | {'cpu s':>6} {'us/src':>7} "
          f"{'/ours':>6} | {'cpu s':>6} {'us/src':>7} {'/ours':>6} | {'cpu s':>6} {'us/src':>7} "
          f"{'/ours':>7}")
    for size in sizes:
        text = sources_file(size)
        path = folder / f"sources-{size}.yaml"
        path.write_text(text, encoding="utf-8")
        assert len(parse_config(text, str(path)).sources) == size
        ours = cpu_seconds(lambda t=text, p=path: parse_config(t, str(p)), repeat)
        usual = cpu_seconds(lambda t=text: plain(t, yaml.SafeLoader), repeat)
        floor = cpu_seconds(lambda t=text: plain(t, yaml.CSafeLoader), repeat)
        row = (f"{size:>8,} {len(text.encode()) / 1e6:>6.2f} | {ours:>6.2f} "
               f"{ours / size * 1e6:>7.0f} | ")
        for other in (usual, floor):
            row += f"{other:>6.2f} {other / size * 1e6:>7.0f} {other / ours:>6.2f} | "
        if size <= BEFORE_UP_TO:
            old = cpu_seconds(lambda p=path: before(p), 1)
            row += f"{old:>6.2f} {old / size * 1e6:>7.0f} {old / ours:>7.1f}"
        else:
            row += "not run"
        print(row, flush=True)


BOMB = """\
x-lol:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
sources:
  - {name: a, platform: rss, base_url: "https://a.ml/", entry_points: ["https://a.ml/feed"]}
"""
ONE_SOURCE = ("sources:\n  - {name: a, platform: rss, base_url: 'https://a.ml/', "
              "entry_points: [x]}\n")


def hostile_files(folder: Path) -> dict[str, Path]:
    files = {
        "NUL byte": "sources:\n  - name: a\x00b\n",
        "5,000-digit integer": "settings:\n  max_pages: " + "9" * 5000 + "\n" + ONE_SOURCE,
        "100,000 nested [": "sources: " + "[" * 100_000 + "\n",
        f"alias bomb ({len(BOMB)} bytes)": BOMB,
        "80,000 sources": sources_file(80_000),
    }
    paths = {}
    for n, (name, text) in enumerate(files.items()):
        paths[name] = folder / f"hostile-{n}.yaml"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def through_cli(folder: Path) -> None:
    db = f"sqlite:///{folder}/never.db"
    runs = {"crawl --help": ["--help"]}
    runs |= {name: ["--config", str(path), "--db", db]
             for name, path in hostile_files(folder).items()}
    print(f"\n{'through crawl':<26} {'MB':>6} {'wall s':>7} {'cpu s':>6} {'exit':>4} {'lines':>5}"
          f" {'load_config ms':>14}  first line")
    for name, args in runs.items():
        start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run([sys.executable, "-c", "from crawler.cli import main; main()",
                                 *args], capture_output=True, text=True, cwd=folder, timeout=600)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_used = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        lines = result.stderr.strip().splitlines()
        size = Path(args[1]).stat().st_size / 1e6 if args[0] == "--config" else 0
        first = lines[0].replace(str(folder) + "/", "") if lines else ""
        in_process = ""
        if args[0] == "--config":  # the same file in this process: the config's own part
            start = time.perf_counter()
            try:
                load_config(args[1])
            except ConfigError:
                in_process = f"{(time.perf_counter() - start) * 1000:.1f}"
        print(f"{name:<26} {size:>6.2f} {wall:>7.2f} {cpu_used:>6.2f} {result.returncode:>4} "
              f"{len(lines):>5} {in_process:>14}  "
              f"{first[:90]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 80_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{machine()}; yaml {yaml.__version__}, libyaml {yaml.__with_libyaml__}")
    print(f"rerun: .venv/bin/python scripts/bench/config_validation.py --sizes "
          f"{' '.join(map(str, args.sizes))} --repeat {args.repeat}\n")
    with tempfile.TemporaryDirectory(prefix="config-bench-") as folder:
        sweep(args.sizes, args.repeat, Path(folder))
        through_cli(Path(folder))


if __name__ == "__main__":
    main()
