"""From the raw table model to records: headers mapped to fields, rows stitched, text normalised by named rules."""
