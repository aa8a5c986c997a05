"""Validation against published human data: targets, virtual experiments, scoring, report."""

from somatosim.validation.report import Target, changes, evaluate, load_targets, score, write_report

__all__ = ["Target", "changes", "evaluate", "load_targets", "score", "write_report"]
