"""OCR of scanned pages and page images."""
