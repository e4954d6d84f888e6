"""Rule families, one module each; lint.registry.FAMILIES lists them and imports the ones a document needs
(``load_all_rules`` imports every one)."""
