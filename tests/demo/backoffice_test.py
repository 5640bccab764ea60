"""The demo's back office (/admin) in headless Chromium (Debian's chromium
and chromium-driver, Selenium from PyPI in the venv tests/demo/demo.sh
makes, Selenium Manager offline), against the running demo after
demo_test.py: sign in as the back-office admin, create a token (shown once,
works), revoke it (refused from then on), revoke the OAuth client the SDK
registered, see the denied calls and the chain's status in the activity
view. Also: the pages' headers (strict CSP, no framing), a post without
its CSRF token changes nothing, a member's name with markup is shown as text.

Environment: MCPG_ORIGIN, MCPG_ADMIN_PASSWORD.
"""

import json
import os
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

os.environ["SE_OFFLINE"] = "1"  # Selenium Manager must never fetch anything

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ORIGIN = os.environ["MCPG_ORIGIN"]
ADMIN_PASSWORD = os.environ["MCPG_ADMIN_PASSWORD"]


def http(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect())
    try:
        with opener.open(request, timeout=20) as r:
            return r.status, dict((k.lower(), v) for k, v in r.headers.items()), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict((k.lower(), v) for k, v in e.headers.items()), e.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def tools_list_status(token):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).encode()
    return http(ORIGIN + "/mcp", body, {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                        "MCP-Protocol-Version": "2025-11-25"})[0]


class BackOfficeInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        cls.profile = tempfile.TemporaryDirectory()
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                    "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=900,1400", f"--user-data-dir={cls.profile.name}"):
            options.add_argument(arg)
        cls.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.driver.set_page_load_timeout(20)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.profile.cleanup()

    def cookie_header(self):
        return "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())

    def click(self, xpath):
        """Clicks a submit button and waits until the browser has left the page
        (every button here posts a form): the next lookup then reads the new
        page, never a node of the old one being torn down."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.XPATH, xpath).click()
        WebDriverWait(self.driver, 15).until(expected_conditions.staleness_of(old))

    def test_back_office(self):
        d = self.driver
        status, headers, _ = http(ORIGIN + "/admin")
        self.assertEqual(status, 303, "the back office needs its sign-in")
        self.assertTrue(headers["location"].startswith("/admin/login"))

        d.get(ORIGIN + "/admin")
        self.assertIn("Back office sign-in", d.title)
        d.find_element(By.ID, "member").send_keys("admin")
        d.find_element(By.ID, "password").send_keys("wrong password")
        self.click("//button[@type='submit']")
        self.assertIn("Wrong member or password", d.page_source)
        d.find_element(By.ID, "member").send_keys("admin")
        d.find_element(By.ID, "password").send_keys(ADMIN_PASSWORD)
        self.click("//button[@type='submit']")
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, "MCP access")

        status, headers, page = http(ORIGIN + "/admin", headers={"Cookie": self.cookie_header()})
        self.assertEqual(status, 200)
        csp = headers["content-security-policy"]
        self.assertTrue(csp.startswith("default-src 'none'; style-src 'sha256-"), csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(headers["x-frame-options"], "DENY")
        self.assertEqual(headers["cache-control"], "no-store")

        # Members and roles; a name with markup is text, not markup.
        members = d.find_element(By.ID, "members")
        self.assertIn("erin", members.text)
        self.assertIn("editor", members.text)
        self.assertIn("victor", members.text)
        self.assertIn("<img src=x onerror=alert(1)>", members.text)
        self.assertEqual(members.find_elements(By.TAG_NAME, "img"), [])

        # A post without the CSRF token changes nothing.
        before = len(d.find_elements(By.CSS_SELECTOR, "#tokens li"))
        status, _, _ = http(ORIGIN + "/admin", b"action=token_create&member=victor",
                            {"Cookie": self.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 400)

        # Create a token: shown once, and it works.
        self.click("//button[text()='Create a token for victor']")
        token = d.find_element(By.CSS_SELECTOR, "#new-token code").text
        self.assertTrue(token.startswith("shop_"), token)
        self.assertEqual(len(d.find_elements(By.CSS_SELECTOR, "#tokens li")), before + 1, "no token was made by the forged post")
        self.assertEqual(tools_list_status(token), 200)
        public_id = token.split("_")[1]
        d.get(ORIGIN + "/admin")
        self.assertNotIn(token, d.page_source, "the token is shown once")

        # Revoke it: refused from the next request on.
        self.click(f"//li[@data-token='{public_id}']//button[text()='Revoke']")
        self.assertIn(f"Token {public_id} of 'victor' is revoked", d.find_element(By.ID, "notice").text)
        self.assertIn("revoked", d.find_element(By.XPATH, f"//li[@data-token='{public_id}']").text)
        self.assertEqual(tools_list_status(token), 401)

        # Revoke the OAuth client the SDK registered (demo_test.py): its grants go.
        clients = d.find_elements(By.CSS_SELECTOR, "#clients li[data-client]")
        self.assertGreaterEqual(len(clients), 1)
        client_id = clients[0].get_attribute("data-client")
        self.assertIn("erin:", clients[0].text)
        self.click(f"//li[@data-client='{client_id}']//button[text()='Revoke']")
        self.assertIn("grant(s) removed", d.find_element(By.ID, "notice").text)
        self.assertIn("no grant", d.find_element(By.XPATH, f"//li[@data-client='{client_id}']").text)

        # The activity view: the denied calls, the admin's own actions, the chain's status.
        activity = d.find_element(By.ID, "activity").text
        self.assertIn("token_failed · denied", activity, "the revoked token's refused call")
        self.assertIn("token_revoked · allowed", activity)
        self.assertIn("client_revoked · allowed", activity)
        denied = d.find_elements(By.CSS_SELECTOR, "#activity dd.denied")
        self.assertGreaterEqual(len(denied), 1)
        self.assertIn("the chain is intact", d.find_element(By.ID, "chain").text)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"backoffice: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
