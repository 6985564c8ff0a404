"""The site's sections: each adds its pages, charts and navigation entry to a SiteBuilder."""
