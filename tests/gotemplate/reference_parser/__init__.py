"""The template lexer and parser as they were before the parse-speed work (issue #19), kept
unchanged as the reference the differential tests compare the current ones with."""
