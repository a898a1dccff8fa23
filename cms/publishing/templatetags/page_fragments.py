"""``{% fragment "name" %}…{% endfragment %}``: a shared, rendered part of a page.

See ``cms/publishing/fragments.py`` for when a part is shared and how it is
forgotten. The page is the template's ``page``; without one (search, error
pages) the part is simply rendered.
"""

from django import template

from cms.publishing.fragments import shared_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        return shared_fragment(
            context.get("request"),
            context.get("page"),
            self.name.resolve(context),
            lambda: self.nodelist.render(context),
        )


@register.tag("fragment")
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            '{% fragment %} takes one name: {% fragment "content" %}'
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(parser.compile_filter(bits[1]), nodelist)
