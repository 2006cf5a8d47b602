"""The PDFium reader: PDFium's text page and page objects turned into what the pdfplumber reader decides on."""
