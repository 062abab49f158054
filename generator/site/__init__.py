"""Stage 4, the sites: page values per audience, SVG charts, templates rendered and built with MkDocs, swapped in whole."""
