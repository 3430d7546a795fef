"""Interoperability with boards written by pins-python 0.9.2 and R pins."""
