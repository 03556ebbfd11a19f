"""Every generated page is valid HTML, by the Nu HTML Checker (the W3C validator, run locally)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One short run: the quick (C1) compiler alone and the serial collector, measured to cut the
# checker's CPU time by 40%; C1's larger frames need a bigger stack than the checker's 512k minimum.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m")


def test_the_nu_html_checker_finds_no_error(built_site):
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail(f"{VNU} or java is missing: `make test` installs vnu-jar with npm ci")
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    assert len(pages) >= 18
    result = subprocess.run(
        ["java", *JAVA_OPTIONS, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.stderr.strip().startswith("{"), (
        f"vnu did not report (exit {result.returncode}): {result.stderr[:500]}"
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
