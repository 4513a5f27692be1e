"""Crawl: sites.toml entries in; raw bytes in the content-addressed store and the crawl state out.

Discovery reads listing pages into report links (`discover`, `pagination`, `listing_formats`,
`anchors`, `link_wording`); fetching is polite and bounded (`fetch`, `http_exchange`,
`host_pacing`, `robots`, `antibot`, `url_policy`); what was fetched is kept (`rawstore`,
`store_writer`) and remembered (`state`); `crawler` runs it all per site and `summary` reports it.
`coverage` reads the state back for the questions: what the crawl could and could not see.
"""
