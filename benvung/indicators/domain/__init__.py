"""Indicator calculations as plain Python: no Django, no database, Decimal throughout.

The web views, the command line and the REST API all call these functions with data they have
already loaded, so the arithmetic of the plan is defined (and tested) in one place.
"""
