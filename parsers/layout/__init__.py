"""Layout rules shared by the PDF readers and OCR: geometry, ruling, wraps, justified text,
paragraph gaps, cell text, footers, header bands."""
