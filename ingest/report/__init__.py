"""The review report of one document, as Markdown and as self-contained HTML."""
