"""SDK generation: language-neutral model (model.py), naming and escaping (naming.py), rendering and
writing (generate.py, which documents how a language target plugs in), targets/<lang>.py."""
