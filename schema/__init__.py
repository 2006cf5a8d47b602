"""The records and what makes them: the contract (records, fields), assembly from raw tables, text tools, departments, checks."""
