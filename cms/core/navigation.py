"""Where a page sits in the site: one trail for visible breadcrumbs and JSON-LD."""


def breadcrumb_trail(page) -> list:
    """The site's home page down to ``page`` itself (Wagtail's root is left out)."""
    return [
        ancestor.specific
        for ancestor in page.get_ancestors(inclusive=True).filter(depth__gte=2)
    ]
