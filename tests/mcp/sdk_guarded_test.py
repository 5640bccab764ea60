"""The real Python `mcp` SDK (unmodified, the venv of tests/mcp/sdk_guarded.sh)
against the whole guarded endpoint (tests/mcp/server/router.php), with API
tokens made by `bin/mcp-guard`, in both of the SDK's modes:

  auto    it probes 2026-07-28 `server/discover` first and stays on it;
  legacy  `initialize` at 2025-11-25.

Each mode: a viewer lists tools (the reads only) and searches; a viewer's
write is refused with 403 and the insufficient_scope challenge naming
`products:write`; an editor's destructive `orders.cancel` is answered with a
confirmation request, and the same call with that confirmation runs once.

Environment: MCPG_ORIGIN, MCPG_VIEWER_TOKEN, MCPG_EDITOR_TOKEN (and MCPG_MCP_URL, default
MCPG_ORIGIN/mcp).
"""

import asyncio
import os
import sys
import unittest

import httpx2
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client

ORIGIN = os.environ["MCPG_ORIGIN"]
MCP_URL = os.environ.get("MCPG_MCP_URL", ORIGIN + "/mcp")  # another host's endpoint URL (tests/prestashop/sdk.sh)
VIEWER = os.environ["MCPG_VIEWER_TOKEN"]
EDITOR = os.environ["MCPG_EDITOR_TOKEN"]


async def session(token, mode, body):
    wire = []

    async def on_response(response):
        wire.append((response.request.method, response.status_code, response.headers.get("www-authenticate")))

    headers = {"Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(headers=headers, timeout=20, event_hooks={"response": [on_response]}) as http:
        async with Client(streamable_http_client(MCP_URL, http_client=http, terminate_on_close=False), mode=mode, cache=None) as client:
            return await body(client), wire, client.protocol_version


class GuardedEndpointWithTheSdk(unittest.TestCase):
    def viewer(self, mode):
        async def body(client):
            tools = sorted(t.name for t in (await client.list_tools()).tools)
            found = await client.call_tool("products.search", {"query": "Tea"})
            refused = None
            try:
                await client.call_tool("products.update", {"id": 1, "price": 0.01})
            except Exception as e:  # the SDK raises on the HTTP 403
                refused = e
            return tools, found, refused

        (tools, found, refused), wire, version = asyncio.run(session(VIEWER, mode, body))
        self.assertEqual(version, "2026-07-28" if mode == "auto" else "2025-11-25")
        self.assertEqual(tools, ["products.search", "shop.info"])
        self.assertFalse(found.is_error)
        self.assertEqual([p["name"] for p in found.structured_content["products"]], ["Teapot", "Tea towel"])
        self.assertIsNotNone(refused, "a viewer's write must not succeed")
        challenge = [w for w in wire if w[1] == 403]
        self.assertEqual(len(challenge), 1, wire)
        self.assertIn('error="insufficient_scope"', challenge[0][2])
        self.assertIn('scope="products:write"', challenge[0][2])

    def editor(self, mode, order):
        async def body(client):
            first = await client.call_tool("orders.cancel", {"id": order})
            token = first.structured_content["confirmation"]["token"]
            done = await client.call_tool("orders.cancel", {"id": order, "_confirmation": token})
            again = await client.call_tool("orders.cancel", {"id": order, "_confirmation": token})
            return first, done, again

        (first, done, again), wire, _ = asyncio.run(session(EDITOR, mode, body))
        self.assertTrue(first.is_error, "asked for a confirmation first")
        self.assertFalse(done.is_error)
        self.assertEqual(done.structured_content, {"cancelled": order})
        self.assertTrue(again.is_error, "a confirmation works once")
        self.assertEqual(again.structured_content["refused"], "confirmation_replayed")
        tools = [t for t in wire if t[1] not in (200, 202, 405)]
        self.assertEqual(tools, [], wire)

    def test_auto_mode_viewer(self):
        self.viewer("auto")

    def test_legacy_mode_viewer(self):
        self.viewer("legacy")

    def test_auto_mode_destructive_call_with_confirmation(self):
        self.editor("auto", 100)

    def test_legacy_mode_destructive_call_with_confirmation(self):
        self.editor("legacy", 101)


if __name__ == "__main__":
    from importlib.metadata import version
    print("mcp SDK", version("mcp"))
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"sdk_guarded: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
