"""The engine's chart kit: layouts, data rows, wrapping, the audit of honest encodings (`kit`),
and the shared look (`theme`). A project's chart modules import it; a project's own colours and
helpers live in its charts folder, in modules whose names start with `_`."""
