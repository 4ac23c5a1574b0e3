"""Go's text/template, re-implemented with Go's semantics, plus Sprig and Go-compatible emitters."""
