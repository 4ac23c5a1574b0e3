"""The document layer: rendered files split into documents with positions, Helm's hook
annotations and kind orders."""
