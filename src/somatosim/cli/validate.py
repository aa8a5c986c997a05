"""``somatosim simulate`` (placeholder until the engine lands in this session)."""
