"""The real Python `mcp` SDK (unmodified, the venv of tests/lib/mcp_venv.sh)
against the Statamic adapter: a Laravel 8.83 app (tests/statamic/public/
index.php) under `php -S`, the MCP endpoint behind the addon's five
middlewares, tokens made by the addon's artisan commands.

In both of the SDK's modes (auto: 2026-07-28 `server/discover`; legacy:
`initialize` at 2025-11-25): a viewer's token lists the reads only, calls
`entries.list`, and is refused a write with 403 and the insufficient_scope
challenge; an editor's destructive `entries.delete` asks for a confirmation
and runs once with it; a Statamic user with `access cp` lists tools over Basic;
a token the Statamic MCP addon issued before the switch (its `mcp_tokens`
row) lists and reads.

Environment: MCPG_ORIGIN, MCPG_VIEWER_TOKEN, MCPG_EDITOR_TOKEN, MCPG_LEGACY_TOKEN.
"""

import asyncio
import base64
import os
import sys
import unittest

import httpx2
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client

ORIGIN = os.environ["MCPG_ORIGIN"]
MCP_URL = ORIGIN + "/mcp/statamic"
VIEWER = "Bearer " + os.environ["MCPG_VIEWER_TOKEN"]
EDITOR = "Bearer " + os.environ["MCPG_EDITOR_TOKEN"]
OLD_ADDON = "Bearer " + os.environ["MCPG_LEGACY_TOKEN"]
ADA = "Basic " + base64.b64encode(b"ada@example.com:correct horse").decode()


async def session(authorization, mode, body):
    wire = []

    async def on_response(response):
        wire.append((response.request.method, response.status_code, response.headers.get("www-authenticate")))

    headers = {"Authorization": authorization}
    async with httpx2.AsyncClient(headers=headers, timeout=20, event_hooks={"response": [on_response]}) as http:
        async with Client(streamable_http_client(MCP_URL, http_client=http, terminate_on_close=False), mode=mode, cache=None) as client:
            return await body(client), wire, client.protocol_version


class StatamicAdapterWithTheSdk(unittest.TestCase):
    def viewer(self, mode):
        async def body(client):
            tools = sorted(t.name for t in (await client.list_tools()).tools)
            found = await client.call_tool("entries.list", {})
            refused = None
            try:
                await client.call_tool("entries.update", {"id": "home", "title": "Pwned"})
            except Exception as e:  # the SDK raises on the HTTP 403
                refused = e
            return tools, found, refused

        (tools, found, refused), wire, version = asyncio.run(session(VIEWER, mode, body))
        self.assertEqual(version, "2026-07-28" if mode == "auto" else "2025-11-25")
        self.assertEqual(tools, ["entries.list"])
        self.assertFalse(found.is_error)
        self.assertIn("Home", [e["title"] for e in found.structured_content["entries"]])
        self.assertIsNotNone(refused, "a viewer's write must not succeed")
        challenge = [w for w in wire if w[1] == 403]
        self.assertEqual(len(challenge), 1, wire)
        self.assertIn('error="insufficient_scope"', challenge[0][2])
        self.assertIn('scope="entries:write"', challenge[0][2])

    def editor(self, mode, entry):
        async def body(client):
            first = await client.call_tool("entries.delete", {"id": entry})
            token = first.structured_content["confirmation"]["token"]
            done = await client.call_tool("entries.delete", {"id": entry, "_confirmation": token})
            again = await client.call_tool("entries.delete", {"id": entry, "_confirmation": token})
            return first, done, again

        (first, done, again), wire, _ = asyncio.run(session(EDITOR, mode, body))
        self.assertTrue(first.is_error, "asked for a confirmation first")
        self.assertFalse(done.is_error)
        self.assertEqual(done.structured_content, {"deleted": entry})
        self.assertTrue(again.is_error, "a confirmation works once")
        self.assertEqual(again.structured_content["refused"], "confirmation_replayed")

    def test_auto_mode_viewer(self):
        self.viewer("auto")

    def test_legacy_mode_viewer(self):
        self.viewer("legacy")

    def test_auto_mode_destructive_call_with_confirmation(self):
        self.editor("auto", "blog")

    def test_legacy_mode_destructive_call_with_confirmation(self):
        self.editor("legacy", "contact")

    def test_basic_with_a_statamic_user(self):
        async def body(client):
            return sorted(t.name for t in (await client.list_tools()).tools)

        tools, _, _ = asyncio.run(session(ADA, "auto", body))
        self.assertEqual(tools, ["entries.list"])

    def test_a_token_of_the_old_addon(self):
        async def body(client):
            tools = sorted(t.name for t in (await client.list_tools()).tools)
            return tools, await client.call_tool("entries.list", {})

        (tools, found), _, _ = asyncio.run(session(OLD_ADDON, "auto", body))
        self.assertEqual(tools, ["entries.list"])
        self.assertFalse(found.is_error)
        self.assertIn("Home", [e["title"] for e in found.structured_content["entries"]])


if __name__ == "__main__":
    from importlib.metadata import version
    print("mcp SDK", version("mcp"))
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"statamic sdk: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
