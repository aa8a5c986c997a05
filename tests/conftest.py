import os

os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import settings

# CI runs the same examples every time (reproducible failures); locally too unless overridden.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
