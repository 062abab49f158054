"""Stage 4, the sites: page values per audience, SVG charts, templates built with MkDocs, swapped in whole."""
