"""Shared by the cassette authoring scripts: vcrpy YAML from hand-written pages.

These scripts WRITE cassettes from a site's documented structure; they record nothing. Each
script says which parts are observed on the live site and which are assumed. Run one with
`.venv/bin/python scripts/cassette_sources/lessor.py` from the repository root.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "samples"  # the team's observations, beside the checkout

class Lit(str):
    pass

def _lit(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")

yaml.SafeDumper.add_representer(Lit, _lit)

def interaction(uri, body, content_type="text/html; charset=UTF-8", status=200, headers=None):
    h = {"Content-Type": [content_type]}
    for k, v in (headers or {}).items():
        h[k] = [v]
    msg = {200: "OK", 404: "Not Found", 301: "Moved Permanently"}.get(status, "OK")
    b = body
    if isinstance(body, str) and "\n" in body:
        b = Lit(body.strip("\n") + "\n")
    return {"request": {"body": None, "headers": {}, "method": "GET", "uri": uri},
            "response": {"status": {"code": status, "message": msg}, "headers": h,
                         "body": {"string": b}}}

def write(path, interactions):
    with open(path, "w", encoding="utf-8") as f:
        yaml.dump({"interactions": interactions, "version": 1}, f, Dumper=yaml.SafeDumper,
                  allow_unicode=True, sort_keys=False, width=100)

def lessor_teaser(chapeau: str) -> str:
    """L'Essor's related-articles rule: first 300 UTF-8 bytes, then '.'."""
    return chapeau.encode("utf-8")[:300].decode("utf-8", errors="ignore") + "."
