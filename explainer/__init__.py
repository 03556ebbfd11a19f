"""Bilingual data-explainer site generator: facts -> charts -> pages -> site."""

from .chart_code import install as _report_chart_code_errors

_report_chart_code_errors()  # before any module here imports the chart kit (see chart_code.py)
