"""One module per command: typer signature here, work in the matching package (imported lazily)."""
