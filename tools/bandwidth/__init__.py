"""Bandwidth planner: the EntraPass 8 white paper's byte counts as data, and a site's budget.

The paper's tables live one group per ``tables_*`` module, as it prints them (its slips kept and
noted, never silently corrected). ``planner`` turns a site file into itemised reload, idle and
polling figures; ``paper_examples`` recomputes every worked example of the paper from the tables
and says where the paper's own arithmetic does not add up.
"""
