"""The bundled demo news world and the local server that serves it (or any folder of sites)."""

from crawler.demo.server import Hit, Reply, RouteRequest, World, serve_world

__all__ = ["Hit", "Reply", "RouteRequest", "World", "serve_world"]
