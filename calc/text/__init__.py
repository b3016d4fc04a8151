"""Numbers and text as every page, the brief and the command line show them: formats, text made inert, the brief."""
