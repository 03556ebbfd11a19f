"""Stage 1: read a project (settings, article, facts, claims, glossary, pages, charts folder) into
one object, checking each file and every reference between them (load/project.py)."""
