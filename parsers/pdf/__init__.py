"""PDF input: the router (PDFium → pdfplumber → OCR), the two readers, page blocks, pages rendered for OCR."""
