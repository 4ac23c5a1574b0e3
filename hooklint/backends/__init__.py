"""Executing plans: the Backend protocol (base.py), backend discovery (registry.py), the executor
with Helm's semantics (executor.py), the journal (journal.py), Helm's release record
(release.py), and the built-in backends `simulate` and `kubernetes`."""
