"""The engine's base: errors and problems, files written atomically, located YAML, fingerprints,
the one log collector and the one module that imports MkDocs. It imports nothing of ours."""
