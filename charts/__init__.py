"""This explainer's charts: one module per chart, each `chart(facts, lang, layout) -> alt.Chart`.

A chart's id is its module name; modules whose names start with `_` are helpers (`_theme.py`:
the companies' colours). The engine loads this folder itself (explainer/load/chart_folder.py) and
gives the charts its kit (`explainer.chartkit`).
"""
