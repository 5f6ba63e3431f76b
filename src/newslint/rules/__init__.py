"""The built-in rules, one module per rule (yamllint style).

Importing this package loads nothing: the registry
(:func:`newslint.registry.builtin_rules`) imports the rule modules when a run
builds it. Adding a rule: write ``rules/<name>.py`` with a
:class:`~newslint.ruleapi.Rule` subclass and add it to ``builtin_rules()``.
Names and codes are public and stable.
"""
