"""Files in and out of the registry: YAML writing, scaffolds, JSON Schema for editors, Excel workbooks, LRMX forms."""
