"""Check a chart's Vega-Lite spec against Vega-Lite's schema, fast.

Altair checks each chart against the schema in `to_dict()` with the Python jsonschema: 30 ms a
view, 40% of what Altair costs a cold build. jsonschema-rs checks the same spec against the same
schema (the one Altair ships) in a tenth of a millisecond. It only says whether the spec is valid:
a spec it rejects is made again with Altair's own checks, whose message names the chart's line
and what is wrong (explainer/draw/render.py), so an editor reads the same message as before.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Callable
from typing import Any

Check = Callable[[dict[str, Any]], bool]


@functools.cache
def schema_check() -> Check | None:
    """`is_valid` for a whole Vega-Lite spec, or None without jsonschema-rs (Altair checks then)."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    from altair.vegalite.v6.schema import load_schema

    # Altair's jsonschema checks no `format`; neither does this one (the answers must agree)
    return jsonschema_rs.Draft7Validator(_with_escaped_refs(load_schema()), validate_formats=False).is_valid


def _with_escaped_refs(schema: Any) -> Any:
    """The schema with each `$ref` percent-encoded: Vega-Lite's definition names hold `<`, `|` and
    `>` (`MarkPropDef<(Gradient|string|null)>`), which a URI reference may not; the Python
    jsonschema reads them as they are, jsonschema-rs refuses the schema unless they are encoded."""
    if isinstance(schema, dict):
        return {
            key: urllib.parse.quote(value, safe="/#") if key == "$ref" else _with_escaped_refs(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_with_escaped_refs(value) for value in schema]
    return schema
