"""explainer: a bilingual data-explainer site generator (its engine; a project is what it builds)."""
