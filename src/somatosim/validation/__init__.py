"""Validation against published human data: targets, virtual experiments, scoring, report."""

from somatosim.validation.report import Target, evaluate, load_targets, score, write_report

__all__ = ["Target", "evaluate", "load_targets", "score", "write_report"]
