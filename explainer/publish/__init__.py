"""Stage 5: the built site replaces the published one."""
