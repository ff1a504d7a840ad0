"""
What the response oracles (response-filters.py, response-methods.py, response-additions.py)
share: a template rendered by real Jinja2 as Rasa 3.12's interpolate_jinja_template renders it,
`Template(text).render(values)`, and the outcome written as their recorded cases write it.
"""
from jinja2 import Template
from jinja2.exceptions import TemplateSyntaxError, UndefinedError


def render(text, values, passthrough=()):
    """
    The rendered text; {"refused": "FLW1060"} where Jinja refuses the template (a macro with a
    repeated parameter is Python's own SyntaxError when Jinja compiles it); the template as
    written where rendering raises UndefinedError (Rasa then sends it unrendered); None where it
    raises anything else (the action fails and sends nothing). Exceptions of `passthrough`
    propagate.
    """
    try:
        template = Template(text)
    except (TemplateSyntaxError, SyntaxError):
        return {"refused": "FLW1060"}
    try:
        return template.render(values)
    except UndefinedError:
        return text
    except passthrough:
        raise
    except Exception:
        return None
