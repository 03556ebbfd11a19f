"""Stage 2: the editorial guards across files (check/editorial.py)."""
