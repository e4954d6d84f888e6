"""Language targets: one module per language, each defining ``TARGET`` (see apictl/sdk/generate.py)."""
