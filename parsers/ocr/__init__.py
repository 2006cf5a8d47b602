"""OCR of page images: grid from ruling lines, text boxes into cells, confusion rules, cache."""
