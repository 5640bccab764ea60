"""The real Python `mcp` SDK (PyPI, unmodified, in the venv sdk_eras.sh
makes) against McpGuard\\Server\\Mcp\\Endpoint behind php -S
(tests/mcp/sdk_eras_server/router.php), in both of the SDK's modes:

  * auto: the SDK probes `server/discover` at 2026-07-28 first; our endpoint
    answers it, so the SDK stays modern (no `initialize` is ever sent) and
    every later POST carries MCP-Protocol-Version, Mcp-Method and, for
    tools/call, Mcp-Name;
  * legacy: pinned to the handshake, the SDK sends `initialize` for
    2025-11-25, then its requests carry MCP-Protocol-Version: 2025-11-25;
    its standalone GET stream is answered 405.

Each lists the tools (sorted, annotated from the policy class, only those
the caller may call) and calls one (structured content), one that throws
(isError, the exception's text never on the wire) and one it may not see.

Environment (set by sdk_eras.sh): MCPG_ORIGIN.
"""

import asyncio
import json
import os
import sys
import unittest
import warnings

import httpx2
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client

MCP_URL = os.environ["MCPG_ORIGIN"] + "/mcp"
warnings.filterwarnings("ignore", message="ping is removed")


async def run(mode):
    wire = []

    async def on_request(request):
        body = request.content.decode("utf-8") if request.content else ""
        wire.append({
            "method": request.method,
            "version": request.headers.get("mcp-protocol-version"),
            "mcp_method": request.headers.get("mcp-method"),
            "mcp_name": request.headers.get("mcp-name"),
            "body": json.loads(body) if body else None,
        })

    async def on_response(response):
        await response.aread()
        wire[-1]["status"] = response.status_code
        wire[-1]["response"] = response.text
        wire[-1]["echo"] = response.headers.get("mcp-protocol-version")

    out = {}
    async with httpx2.AsyncClient(timeout=20, event_hooks={"request": [on_request], "response": [on_response]}) as http:
        async with Client(streamable_http_client(MCP_URL, http_client=http, terminate_on_close=False),
                          mode=mode, cache=None) as client:
            out["version"] = client.protocol_version
            listed = await client.list_tools()
            out["tools"] = [(t.name, t.annotations.read_only_hint, t.annotations.destructive_hint,
                             t.annotations.idempotent_hint, t.annotations.open_world_hint) for t in listed.tools]
            out["search_title"] = next(t.title for t in listed.tools if t.name == "products.search")
            found = await client.call_tool("products.search", {"query": "mug"})
            out["found"] = (found.is_error, found.structured_content)
            broken = await client.call_tool("reports.broken", {})
            out["broken"] = (broken.is_error, [c.text for c in broken.content])
            try:
                hidden = await client.call_tool("admin.secret", {})
                out["hidden"] = ("answered", hidden.is_error)
            except Exception as e:  # the SDK raises the JSON-RPC error
                out["hidden"] = ("error", getattr(getattr(e, "error", None), "code", None))
    return out, wire


class SdkEras(unittest.TestCase):
    def check_common(self, out, wire):
        self.assertEqual(out["tools"], [
            ("orders.cancel", False, True, False, False),
            ("products.search", True, False, True, False),
            ("products.update", False, False, False, False),
            ("reports.broken", True, False, True, False),
        ])
        self.assertEqual(out["search_title"], "Search products")
        self.assertEqual(out["found"], (False, {"products": [{"id": 7, "name": "Mug", "query": "mug"}]}))
        self.assertEqual(out["broken"], (True, ["The tool failed."]))
        self.assertEqual(out["hidden"], ("error", -32602))
        everything = json.dumps(wire)
        self.assertNotIn("SECRET-DSN", everything)
        self.assertNotIn("hunter2", everything)

    def test_auto_probes_2026_and_stays_modern(self):
        out, wire = asyncio.run(run("auto"))
        self.assertEqual(out["version"], "2026-07-28")
        posts = [w for w in wire if w["method"] == "POST"]
        self.assertEqual(posts[0]["body"]["method"], "server/discover")
        self.assertEqual(posts[0]["status"], 200)
        discover = json.loads(posts[0]["response"])["result"]
        self.assertIn("2026-07-28", discover["supportedVersions"])
        self.assertIn("2025-11-25", discover["supportedVersions"])
        self.assertEqual(discover["resultType"], "complete")
        self.assertNotIn("initialize", [p["body"]["method"] for p in posts])
        for p in posts:
            self.assertEqual(p["version"], "2026-07-28", p)
            self.assertEqual(p["mcp_method"], p["body"]["method"], p)
            self.assertEqual(p["echo"], "2026-07-28", p)
            if p["body"]["method"] == "tools/call":
                self.assertEqual(p["mcp_name"], p["body"]["params"]["name"], p)
        listed = json.loads(next(p["response"] for p in posts if p["body"]["method"] == "tools/list"))["result"]
        self.assertEqual((listed["resultType"], listed["cacheScope"], listed["ttlMs"]), ("complete", "private", 5000))
        self.check_common(out, wire)

    def test_legacy_initializes_2025_11_25(self):
        out, wire = asyncio.run(run("legacy"))
        self.assertEqual(out["version"], "2025-11-25")
        posts = [w for w in wire if w["method"] == "POST"]
        self.assertEqual(posts[0]["body"]["method"], "initialize")
        self.assertIsNone(posts[0]["version"])
        init = json.loads(posts[0]["response"])["result"]
        self.assertEqual(init["protocolVersion"], "2025-11-25")
        self.assertNotIn("resultType", init)
        self.assertNotIn("server/discover", [p["body"]["method"] for p in posts])
        for p in posts[1:]:
            self.assertEqual(p["version"], "2025-11-25", p)
        initialized = [p for p in posts if p["body"]["method"] == "notifications/initialized"]
        self.assertEqual([p["status"] for p in initialized], [202])
        for g in (w for w in wire if w["method"] == "GET"):
            self.assertEqual(g["status"], 405)
        self.check_common(out, wire)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
