"""A run over many inputs: the client side (runner), one input's work (worker), the manifest, executors, all_items.csv."""
