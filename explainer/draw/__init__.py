"""Stage 3: every chart drawn in every language, reused from its cache when unchanged, and its
exports (draw/drawing.py)."""
