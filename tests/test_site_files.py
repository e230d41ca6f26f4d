"""The root files browsers and crawlers ask every site for."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def test_favicon_redirects_once_to_the_svg_icon_the_pages_name(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    target = answer.headers["Location"]
    assert target.endswith("/static/favicon.svg")
    icon = client.get(target)
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert ET.fromstring(icon.data).tag == "{http://www.w3.org/2000/svg}svg"
    assert b'rel="icon" href="/static/favicon.svg"' in client.get("/").data


def test_robots_keeps_crawlers_off_the_query_endpoints_and_on_the_pages(client):
    answer = client.get("/robots.txt")
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    rules = answer.get_data(as_text=True).splitlines()
    assert rules[0] == "User-agent: *"
    assert {"Disallow: /sparql", "Disallow: /api/", "Allow: /"} <= set(rules)
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
