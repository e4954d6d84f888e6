"""Breaking-change detection: ``apictl diff BASE REVISION`` and ``apictl diff --stages A B``."""
