"""The PDF readers: PDFium against the reference, layouts from real producers, fonts, memory, locks."""
