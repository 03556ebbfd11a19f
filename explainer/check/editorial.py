"""Stage 2, check: the editorial guards across files, once every file loaded and every reference
resolved: the same references in every language, no figure without its hedge, our own words
(not the article's), each skipped when it passed on the same input before."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from explainer.check.guards import run_guards
from explainer.load.project import Project


@dataclass(frozen=True)
class Checked:
    """A project that passed the guards, and what they could not check (said once, as notes)."""

    project: Project
    notes: list[str]


def check_project(project: Project, theme: jinja2.Environment) -> Checked:
    """Run every guard (the hedge guard renders the fact tables with the theme's partials); raise
    ContentError with every problem at once."""
    skipped = run_guards(
        project.pages,
        project.facts,
        project.claims,
        project.claims_file,
        project.ui,
        theme,
        project.settings.codes,
        project.quotes.article,
        project.article_name,
        project.passed,
    )
    if (note := project.quotes.unverified_note()) is not None:  # one note for all the article's absence costs
        skipped = [f"{note} Also for want of it, {'; '.join(skipped)}." if skipped else note]
    return Checked(project, skipped)
