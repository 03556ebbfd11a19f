"""Keep compiled Jinja templates on disk between builds, in a store of the cache folder.

Compiling the theme's and the figures' templates cost every command-line build about a tenth of
its time. Jinja checks each entry against its template's source and the Python version, so an
edited template recompiles; the store checks that the entry is the one written for its key.
The build creates one `CompiledTemplates` and gives it to every Jinja environment it uses.
"""

from __future__ import annotations

import jinja2

from explainer.core.store import BYTES, Store, Stores


def template_store(stores: Stores) -> Store:
    """Where compiled templates are kept (.cache/templates): some forty templates, a few versions."""
    return stores.open("templates", BYTES, entries=512, max_bytes=32 << 20)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates by Jinja's key: in memory for the build, then in the store."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self.memory: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key not in self.memory and self.store is not None:
            kept = self.store.get_bytes(bucket.key)
            if kept is not None:
                self.memory[bucket.key] = kept
        if bucket.key in self.memory:
            bucket.bytecode_from_string(self.memory[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.memory[bucket.key] = data
        if self.store is not None:
            self.store.put(bucket.key, data)
