"""Assembly and normalisation: block streams to records, the failure classes, the golden Shahe dataset."""
