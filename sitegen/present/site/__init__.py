"""Make the site's pages and charts from a computed report (the "generators" stage).

Nothing here writes files: ``build_site`` (build.py) returns the pages (path, template,
title, context) and the charts they use; rendering and writing come after.

The site is made of sections, each a function that adds pages, charts and a navigation
entry to a ``SiteBuilder`` (builder.py); ``SECTIONS`` (build.py) lists them in navigation
order, and every page path comes from the route table (routes.py). A new kind of page is
one more function in that list:

    def case_pages(site: SiteBuilder) -> None:
        site.nav_item("cases", site.t("Case studies"), path_for("cases"))
        site.add_page(path_for("cases"), "cases.html", ..., section="cases")

UI text is translated here (page titles, navigation, breadcrumbs), so templates receive
plain strings and never pass user text such as a page title through gettext.
"""
