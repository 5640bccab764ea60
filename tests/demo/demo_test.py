"""The demo shop (examples/shop) as a shop admin runs it, driven by real MCP
clients: the Python `mcp` SDK (PyPI, unmodified, the venv of
tests/demo/demo.sh) by API token and by OAuth (its client provider; the
member's browser here signs in on the shop's login page and approves the
consent page by posting its forms), against `bash scripts/demo.sh` started
by tests/demo/demo.sh. The tests run in order (names numbered): writes are
turned on half-way with `examples/shop/bin/shop writes on`, as the admin does.

Environment: MCPG_ORIGIN, MCPG_EDITOR_TOKEN, MCPG_VIEWER_TOKEN,
MCPG_ERIN_PASSWORD, MCPG_SHOP_DB (the SQLite file), MCPG_SHOP_CMD (the
command line of bin/shop, space separated).
"""

import asyncio
import html
import os
import re
import sqlite3
import subprocess
import sys
import unittest
from urllib.parse import parse_qs, urlparse

import httpx2
from mcp.client.auth import OAuthClientProvider, TokenStorage
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata

ORIGIN = os.environ["MCPG_ORIGIN"]
MCP_URL = ORIGIN + "/mcp"
EDITOR = os.environ["MCPG_EDITOR_TOKEN"]
VIEWER = os.environ["MCPG_VIEWER_TOKEN"]
ERIN_PASSWORD = os.environ["MCPG_ERIN_PASSWORD"]
DB = os.environ["MCPG_SHOP_DB"]
SHOP = os.environ["MCPG_SHOP_CMD"].split(" ")
READS = ["catalog_search", "order_status", "product_get"]
REDIRECT = "http://localhost:47123/callback"  # never listened on: the handler reads the redirect itself


def product_row(product_id):
    with sqlite3.connect(DB) as db:
        return db.execute("SELECT * FROM shop_products WHERE id = ?", (product_id,)).fetchone()


async def with_token(token, body, mode="auto"):
    wire = []

    async def on_response(response):
        wire.append((response.status_code, response.headers.get("www-authenticate")))

    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=20,
                                  event_hooks={"response": [on_response]}) as http:
        async with Client(streamable_http_client(MCP_URL, http_client=http, terminate_on_close=False), mode=mode, cache=None) as client:
            return await body(client), wire


async def tool_names(client):
    return sorted(t.name for t in (await client.list_tools()).tools)


class Storage(TokenStorage):
    def __init__(self):
        self.tokens = None
        self.client = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client

    async def set_client_info(self, client_info):
        self.client = client_info


class MemberBrowser:
    """Erin's browser: follows the authorization URL to the shop's sign-in
    page, signs in with her password, then approves the consent page, posting
    each form with its CSRF token as a browser would."""

    def __init__(self):
        self.http = httpx2.AsyncClient(follow_redirects=False, timeout=20)
        self.callback = None
        self.consent_page = ""

    @staticmethod
    def hidden(page):
        return {m.group(1): html.unescape(m.group(2)) for m in re.finditer(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', page)}

    async def redirect_handler(self, url):
        r = await self.http.get(url)
        assert r.status_code == 302 and r.headers["location"].startswith("/login?return="), (r.status_code, r.headers)
        login = await self.http.get(ORIGIN + r.headers["location"])
        assert login.status_code == 200 and "Sign in" in login.text, login.status_code
        assert "frame-ancestors 'none'" in login.headers["content-security-policy"]
        fields = self.hidden(login.text)
        wrong = await self.http.post(ORIGIN + "/login", data={**fields, "member": "erin", "password": "not-her-password"})
        assert wrong.status_code == 401, wrong.status_code
        fields = self.hidden(wrong.text)  # the form again, with a fresh CSRF token
        replay = await self.http.post(ORIGIN + "/login", data={**fields, "member": "erin", "password": ERIN_PASSWORD})
        assert replay.status_code == 303, replay.status_code
        again = await self.http.post(ORIGIN + "/login", data={**fields, "member": "erin", "password": ERIN_PASSWORD})
        assert again.status_code == 400, "a CSRF token is good for one post"
        page = await self.http.get(ORIGIN + replay.headers["location"])
        assert page.status_code == 200, page.text
        self.consent_page = page.text
        fields = self.hidden(page.text)
        assert set(fields) == {"query", "csrf_token"}, fields
        r = await self.http.post(ORIGIN + "/oauth/authorize", data={**fields, "decision": "allow"})
        assert r.status_code == 302, (r.status_code, r.text)
        self.callback = r.headers["location"]

    async def callback_handler(self):
        assert self.callback and self.callback.startswith(REDIRECT + "?"), self.callback
        q = {k: v[0] for k, v in parse_qs(urlparse(self.callback).query).items()}
        return AuthorizationCodeResult(code=q["code"], state=q.get("state"), iss=q.get("iss"))


class DemoShop(unittest.TestCase):
    def test_1_viewer_reads_and_is_refused_a_write_with_the_scope(self):
        async def body(client):
            names = await tool_names(client)
            found = await client.call_tool("catalog_search", {"query": "Oak", "limit": 3})
            refused = None
            try:
                await client.call_tool("product_update", {"id": 3, "price": 1})
            except Exception as e:  # the SDK raises on the HTTP 403
                refused = e
            customer = None
            try:
                await client.call_tool("customer_lookup", {"id": 1})
            except Exception as e:
                customer = e
            return names, found, refused, customer

        before = product_row(3)
        for mode in ("auto", "legacy"):
            (names, found, refused, customer), wire = asyncio.run(with_token(VIEWER, body, mode))
            self.assertEqual(names, READS, "a viewer sees the three read tools only")
            self.assertFalse(found.is_error)
            self.assertEqual(len(found.structured_content["products"]), 3)
            self.assertTrue(all("Oak" in p["name"] for p in found.structured_content["products"]))
            self.assertIsNotNone(refused)
            self.assertIsNotNone(customer, "customer data is not for viewers")
            challenges = [w[1] for w in wire if w[0] == 403]
            self.assertEqual(len(challenges), 2, wire)
            self.assertIn('error="insufficient_scope"', challenges[0])
            self.assertIn('scope="products:write"', challenges[0])
            self.assertIn('scope="customers:read write"', challenges[1])
        self.assertEqual(product_row(3), before)

    def test_2_editor_with_writes_off(self):
        async def body(client):
            names = await tool_names(client)
            customer = await client.call_tool("customer_lookup", {"id": 1})
            try:
                await client.call_tool("product_update", {"id": 3, "price": 1})
                return names, customer, None
            except MCPError as e:  # a JSON-RPC error: the tool is not available with writes off
                return names, customer, e

        before = product_row(3)
        (names, customer, update), wire = asyncio.run(with_token(EDITOR, body))
        self.assertEqual(names, sorted(READS + ["customer_lookup"]), "writes off: product_update is not listed")
        self.assertFalse(customer.is_error)
        self.assertEqual(customer.structured_content["customers"][0]["id"], 1)
        self.assertIsNotNone(update, "writes are off")
        self.assertEqual(update.error.data, {"reason": "writes_disabled"})
        self.assertEqual(product_row(3), before)

    def test_3_writes_on_then_product_update_and_cost_price_refused_whole(self):
        out = subprocess.run(SHOP + ["writes", "on"], capture_output=True, text=True, check=True).stdout
        self.assertIn("writes are on", out)

        async def body(client):
            names = await tool_names(client)
            done = await client.call_tool("product_update", {"id": 3, "price": 19.99, "stock": 42, "name": "Demo Mug"})
            before = product_row(4)
            try:
                await client.call_tool("product_update", {"id": 4, "price": 0.01, "cost_price": 0})
                sneaky = None
            except MCPError as e:
                sneaky = e
            return names, done, before, sneaky

        (names, done, before, sneaky), _ = asyncio.run(with_token(EDITOR, body))
        self.assertIn("product_update", names)
        self.assertNotIn("order_cancel", names, "a destructive tool stays disabled until enabled")
        self.assertFalse(done.is_error, done)
        row = product_row(3)
        self.assertEqual((row[2], row[4], row[6]), ("Demo Mug", 1999, 42))
        self.assertIsNotNone(sneaky, "cost_price is not writable")
        self.assertEqual(sneaky.error.message, "Invalid arguments")
        self.assertEqual(product_row(4), before, "refused whole: not even the price changed")

    def test_4_oauth_client_provider_and_consent(self):
        browser = MemberBrowser()

        async def run():
            metadata = OAuthClientMetadata(client_name="demo test client", redirect_uris=[REDIRECT],
                                           grant_types=["authorization_code", "refresh_token"], response_types=["code"])
            provider = OAuthClientProvider(server_url=MCP_URL, client_metadata=metadata, storage=Storage(),
                                           redirect_handler=browser.redirect_handler, callback_handler=browser.callback_handler)
            async with httpx2.AsyncClient(auth=provider, timeout=30) as http:
                async with Client(streamable_http_client(MCP_URL, http_client=http, terminate_on_close=False), mode="auto", cache=None) as client:
                    names = await tool_names(client)
                    got = await client.call_tool("product_get", {"id": 3})
            await browser.http.aclose()
            return names, got

        names, got = asyncio.run(run())
        self.assertIn("Demo Shop", browser.consent_page)
        self.assertEqual(names, sorted(READS + ["customer_lookup", "product_update"]), "erin's tools, through OAuth")
        self.assertEqual(got.structured_content["name"], "Demo Mug")

    def test_5_burst_gets_429_with_headers_and_others_are_unaffected(self):
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "product_get", "arguments": {"id": 1}}}
        headers = {"MCP-Protocol-Version": "2025-11-25", "Accept": "application/json, text/event-stream"}
        with httpx2.Client(timeout=20) as http:
            statuses = []
            limited = None
            for _ in range(80):  # the viewer's read rate is 60 a minute
                r = http.post(MCP_URL, json=body, headers={**headers, "Authorization": f"Bearer {VIEWER}"})
                statuses.append(r.status_code)
                if r.status_code == 429:
                    limited = r
                    break
            self.assertIsNotNone(limited, statuses)
            self.assertGreaterEqual(len(statuses), 50)
            self.assertIn("retry-after", limited.headers)
            self.assertIn("ratelimit-policy", limited.headers)
            self.assertIn("ratelimit", limited.headers)
            other = http.post(MCP_URL, json=body, headers={**headers, "Authorization": f"Bearer {EDITOR}"})
            self.assertEqual(other.status_code, 200, "another principal is unaffected")
            self.assertNotIn("error", other.json())

    def test_6_order_cancel_needs_enabling_then_a_single_use_confirmation(self):
        subprocess.run(SHOP + ["tool", "enable", "order_cancel"], capture_output=True, check=True)

        async def body(client):
            names = await tool_names(client)
            first = await client.call_tool("order_cancel", {"id": 1003})
            token = first.structured_content["confirmation"]["token"]
            done = await client.call_tool("order_cancel", {"id": 1003, "_confirmation": token})
            again = await client.call_tool("order_cancel", {"id": 1003, "_confirmation": token})
            return names, first, done, again

        (names, first, done, again), _ = asyncio.run(with_token(EDITOR, body))
        self.assertIn("order_cancel", names)
        self.assertTrue(first.is_error, "asked for a confirmation first")
        self.assertEqual(done.structured_content, {"cancelled": True, "id": 1003})
        self.assertTrue(again.is_error, "a confirmation works once")
        with sqlite3.connect(DB) as db:
            self.assertEqual(db.execute("SELECT status FROM shop_orders WHERE id = 1003").fetchone()[0], "cancelled")


if __name__ == "__main__":
    from importlib.metadata import version
    print("mcp SDK", version("mcp"))
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"demo: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
