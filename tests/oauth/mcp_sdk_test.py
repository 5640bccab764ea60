"""A real MCP client against the mcp_guard authorization server: the Python
`mcp` SDK (PyPI, unmodified, in the venv tests/oauth/mcp_sdk.sh makes) runs
its own OAuth client provider (`mcp.client.auth.OAuthClientProvider`) against
tests/oauth/server/router.php — the real OAuth endpoints and the real guarded
MCP endpoint (McpGuard\Server\Guard\Pipeline).

Two scenarios, each from a cold start (no stored tokens or client), each in
both of the SDK's modes (auto: it probes 2026-07-28 `server/discover` first
and stays on it; legacy: `initialize` at 2025-11-25):
  1. dynamic registration (RFC 7591): the SDK registers without an auth
     method, so it is assigned client_secret_basic and gets a secret;
  2. a Client ID Metadata Document: the SDK presents an https client_id URL;
     the server's (injected) fetcher serves the document from a fixture.
Each: discovery from the 401, registration (1), the authorization request
(the redirect handler signs in through the test sign-in and approves the
consent page by posting its form with its CSRF token), the code exchange,
authenticated MCP requests (tools/list, a tools/call, ping in legacy mode),
then — the access token lives 2 s — a refresh by the SDK, and more requests
with the new token.

Environment (set by mcp_sdk.sh): MCPG_ORIGIN, MCPG_EVENTS (the server's log
of token grants and MCP calls), MCPG_CIMD_ID.
"""

import asyncio
import html
import os
import re
import sys
import time
import unittest
import warnings
from urllib.parse import parse_qs, urlparse

import httpx2
from mcp.client.auth import OAuthClientProvider, TokenStorage
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

ORIGIN = os.environ["MCPG_ORIGIN"]
MCP_URL = ORIGIN + "/mcp"
EVENTS = os.environ["MCPG_EVENTS"]
CIMD_ID = os.environ["MCPG_CIMD_ID"]
REDIRECT = "http://localhost:47123/callback"  # never listened on: the handler reads the redirect itself
# ping exists in 2025-11-25 only (legacy mode); the SDK warns that 2026-07-28 removed it.
warnings.filterwarnings("ignore", message="ping is removed")


def events():
    with open(EVENTS, encoding="utf-8") as f:
        return f.read().splitlines()


class MemoryStorage(TokenStorage):
    def __init__(self):
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None
        self.history: list[OAuthToken] = []

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens
        self.history.append(tokens)

    async def get_client_info(self):
        return self.client

    async def set_client_info(self, client_info):
        self.client = client_info


class MemberBrowser:
    """The shop member's browser: follows the authorization URL, signs in
    through the test sign-in, and approves the consent page by posting its
    form (CSRF token included) exactly as a browser would."""

    def __init__(self, steps):
        self.http = httpx2.AsyncClient(follow_redirects=False, timeout=20)
        self.steps = steps
        self.callback = None
        self.consent_page = None

    async def redirect_handler(self, url: str) -> None:
        query = parse_qs(urlparse(url).query)
        self.steps.append("authorize: " + ", ".join(f"{k}={v[0] if k != 'code_challenge' else '…'}" for k, v in sorted(query.items())))
        r = await self.http.get(url)
        assert r.status_code == 302 and r.headers["location"].startswith("/test/login"), (r.status_code, r.text)
        r = await self.http.get(ORIGIN + r.headers["location"] + "&member=alice")
        assert r.status_code == 302, r.status_code
        page = await self.http.get(ORIGIN + r.headers["location"])
        assert page.status_code == 200, page.text
        assert page.headers["x-frame-options"] == "DENY"
        self.consent_page = page.text
        fields = {m.group(1): html.unescape(m.group(2))
                  for m in re.finditer(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', page.text)}
        assert set(fields) == {"query", "csrf_token"}, fields
        self.steps.append("consent page shown; member approves")
        r = await self.http.post(ORIGIN + "/oauth/authorize", data={**fields, "decision": "allow"})
        assert r.status_code == 302, (r.status_code, r.text)
        self.callback = r.headers["location"]

    async def callback_handler(self) -> AuthorizationCodeResult:
        assert self.callback and self.callback.startswith(REDIRECT + "?"), self.callback
        q = {k: v[0] for k, v in parse_qs(urlparse(self.callback).query).items()}
        self.steps.append(f"callback: code=…, state={'ok' if q.get('state') else 'missing'}, iss={q.get('iss')}")
        return AuthorizationCodeResult(code=q["code"], state=q.get("state"), iss=q.get("iss"))


async def run(scenario: str, mode: str):
    steps: list[str] = []
    storage = MemoryStorage()
    browser = MemberBrowser(steps)

    async def on_request(request):
        auth = request.headers.get("authorization", "")
        kind = auth.split(" ")[0] if auth else "-"
        body = ""
        if request.url.path == "/oauth/token":
            body = " grant_type=" + parse_qs(request.content.decode()).get("grant_type", ["?"])[0]
        elif request.url.path == "/mcp" and request.content:
            m = re.search(rb'"method"\s*:\s*"([^"]+)"', request.content)
            body = " " + (m.group(1).decode() if m else "?")
        steps.append(f"{request.method} {request.url.path}{body} (Authorization: {kind})")

    async def on_response(response):
        steps[-1] += f" -> {response.status_code}"

    metadata = OAuthClientMetadata(client_name="mcp_guard SDK test", redirect_uris=[REDIRECT],
                                   grant_types=["authorization_code", "refresh_token"], response_types=["code"])
    provider = OAuthClientProvider(server_url=MCP_URL, client_metadata=metadata, storage=storage,
                                   redirect_handler=browser.redirect_handler, callback_handler=browser.callback_handler,
                                   client_metadata_url=CIMD_ID if scenario == "cimd" else None)
    async with httpx2.AsyncClient(auth=provider, timeout=30, event_hooks={"request": [on_request], "response": [on_response]}) as http:
        async with Client(streamable_http_client(MCP_URL, http_client=http, terminate_on_close=False), mode=mode, cache=None) as client:
            version = client.protocol_version
            first = await client.list_tools()
            names = sorted(t.name for t in first.tools)
            found = await client.call_tool("products.search", {"query": "Mug"})
            if mode == "legacy":
                await client.send_ping()
            first_token = storage.tokens
            steps.append(f"--- {version}: tools {names}; access token expires in {first_token.expires_in} s; waiting 3 s")
            await asyncio.sleep(3)
            again = await client.list_tools()
            if mode == "legacy":
                await client.send_ping()
    await browser.http.aclose()
    return steps, storage, browser, names, sorted(t.name for t in again.tools), first_token, version, found


class McpSdkAgainstMcpGuard(unittest.TestCase):
    def check(self, scenario, mode):
        mark = len(events())
        steps, storage, browser, names, again, first, version, found = asyncio.run(run(scenario, mode))
        print(f"\n=== {scenario}, {mode} mode: what the SDK did")
        for s in steps:
            print("   ", s)
        server = events()[mark:]
        print("    server events:", server)

        self.assertEqual(names, ["products.search", "products.update", "shop.info"], "the editor's tools, through the token")
        self.assertEqual(again, names)
        self.assertEqual(version, "2026-07-28" if mode == "auto" else "2025-11-25")
        self.assertFalse(found.is_error)
        self.assertEqual(found.structured_content, {"products": [{"id": 1, "name": "Mug"}], "query": "Mug"})
        self.assertIn("Demo Shop", browser.consent_page)
        # Discovery from the 401, as the MCP authorization spec says.
        self.assertTrue(steps[0].startswith("POST /mcp") and steps[0].endswith("-> 401"), steps[0])
        discovery = [s for s in steps if s.startswith("GET /.well-known/")]
        self.assertTrue(discovery and "oauth-protected-resource/mcp" in discovery[0], discovery)
        self.assertTrue(any("oauth-authorization-server" in s or "openid-configuration" in s for s in discovery))
        registered = [s for s in steps if s.startswith("POST /oauth/register")]
        if scenario == "dcr":
            self.assertEqual(len(registered), 1)
            self.assertTrue(registered[0].endswith("-> 201"))
            self.assertEqual(storage.client.token_endpoint_auth_method, "client_secret_basic")
            self.assertTrue(storage.client.client_secret.startswith("mcpcs_"))
        else:
            self.assertEqual(registered, [], "a metadata-document client does not register")
            self.assertEqual(storage.client.client_id, CIMD_ID)
        authorize = next(s for s in steps if s.startswith("authorize: "))
        self.assertIn("code_challenge_method=S256", authorize)
        self.assertIn(f"resource={MCP_URL}", authorize)
        self.assertIn(f"iss={ORIGIN}", next(s for s in steps if s.startswith("callback: ")))
        # The code exchange, then the refresh the SDK did by itself once the 2 s token expired.
        grants = [s for s in steps if s.startswith("POST /oauth/token")]
        self.assertEqual(len(grants), 2, grants)
        self.assertIn("grant_type=authorization_code", grants[0])
        self.assertIn("grant_type=refresh_token", grants[1])
        self.assertTrue(all(g.endswith("-> 200") for g in grants), grants)
        if scenario == "dcr":
            self.assertTrue(all("(Authorization: Basic)" in g for g in grants), "client_secret_basic")
        self.assertEqual(len(storage.history), 2)
        self.assertNotEqual(storage.history[1].access_token, first.access_token)
        self.assertNotEqual(storage.history[1].refresh_token, first.refresh_token, "the refresh token rotated")
        self.assertEqual(first.expires_in, 2)
        self.assertEqual(sum(1 for s in steps if s.startswith("authorize: ")), 1, "one authorization, then refresh only")
        # Every MCP request after the first 401 carried the token and succeeded.
        mcp = [s for s in steps if s.startswith("POST /mcp")][1:]
        self.assertTrue(mcp and all("(Authorization: Bearer)" in s and s.endswith(("-> 200", "-> 202")) for s in mcp), mcp)
        self.assertIn("token refresh_token 200", server)

    def test_dynamic_registration_auto_mode(self):
        self.check("dcr", "auto")

    def test_dynamic_registration_legacy_mode(self):
        self.check("dcr", "legacy")

    def test_client_id_metadata_document_auto_mode(self):
        self.check("cimd", "auto")

    def test_client_id_metadata_document_legacy_mode(self):
        self.check("cimd", "legacy")


if __name__ == "__main__":
    import mcp  # noqa: F401
    from importlib.metadata import version
    print("mcp SDK", version("mcp"), "| httpx2", version("httpx2"))
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"mcp_sdk: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
