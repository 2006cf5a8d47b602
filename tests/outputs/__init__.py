"""What users open: reports, workbooks, the notebook API, the install."""
