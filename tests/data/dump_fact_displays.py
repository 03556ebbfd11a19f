"""Write tests/data/fact_displays.json: how every fact (and every claim's attribution) reads in zh
and en, as the code says it now.

Made once before languages became data (the test compares the new code against it); run again
only to record an intended change, and list that change in tests/test_site.py (INTENDED).

Usage:  .venv/bin/python -m tests.data.dump_fact_displays
"""

from __future__ import annotations

import json
from pathlib import Path

from explainer.load.claims import load_claims
from explainer.load.facts import load_facts
from tests.conftest import ROOT, real_quotes

OUT = Path(__file__).with_name("fact_displays.json")
LANGS = ("zh", "en")


def displays() -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    """Every fact's strings per language (display, short, hedged, hedged short, who, how sure), and
    every claim's attribution."""
    facts = load_facts(ROOT / "content" / "facts.yaml", list(LANGS), real_quotes())
    claims = load_claims(ROOT / "content" / "claims.yaml", list(LANGS), real_quotes())
    said = {
        fact_id: {
            lang: {
                "display": fact.display(lang),
                "short": fact.short(lang),
                "hedged": fact.hedged(lang),
                "hedged_short": fact.hedged(lang, short=True),
                "hedge": fact.hedge(lang),
                "speaker": fact.speaker_name(lang),
                "status": fact.status_name(lang),
            }
            for lang in LANGS
        }
        for fact_id, fact in facts.items()
    }
    attributed = {
        claim_id: {
            lang: {"hedge": claim.hedge(lang), "speaker": claim.speaker_name(lang), "status": claim.status_name(lang)}
            for lang in LANGS
        }
        for claim_id, claim in claims.items()
    }
    return {"facts": said, "claims": attributed}


if __name__ == "__main__":
    OUT.write_text(json.dumps(displays(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
