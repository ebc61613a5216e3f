"""The demo: the sample speech's plan, with units, people, figures and two years of history.

`luoshi demo` loads it; `load_demo()` is the one entry point.
"""
