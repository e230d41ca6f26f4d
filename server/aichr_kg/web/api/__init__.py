"""The saved queries as a web API: routes, the catalog, the OpenAPI document."""
