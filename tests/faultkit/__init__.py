"""Fault-injection helpers for the crash and fault tests (tests/test_faults_*.py)."""
