"""Stage 4: pages through MkDocs and every file beside them, into a staging folder
(write/site_writer.py)."""
