"""Bilingual data-explainer site generator: facts -> charts -> pages -> site."""
