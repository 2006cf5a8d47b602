"""From documents to outputs: the pipeline, writers, batch runs, reports, analyses across documents, the CLI and the web page."""
