"""PDF input: the two readers (PDFium, the fast default; pdfplumber, the reference), page blocks, OCR of scanned pages."""
