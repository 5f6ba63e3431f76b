"""Editorial policy as data, shipped inside the wheel as ``newslint.policy``.

Nothing here is code: the default front matter JSON Schema, the list of editor
attributes, the rel registry and the rule packs. Read them with
``newslint.policy_data`` (importlib.resources for a zipped install), never
through a repo path.
"""
