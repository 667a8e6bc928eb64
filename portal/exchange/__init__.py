"""Organizations' systems exchanging data with the registry (HL7 v2 in hl7/)."""
