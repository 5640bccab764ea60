"""The consent page in a real headless Chromium (Debian's chromium and
chromedriver, driven by Selenium; Selenium Manager is kept offline and never
downloads a driver or browser). Run by tests/oauth/browser.sh, which starts the
two php -S servers and exports:

  MCPG_SHOP_ORIGIN    the shop (harness.php): consent page and its form
  MCPG_CLIENT_ORIGIN  another origin (client.php): callback, framing, forged posts
  MCPG_EVENTS         the file where the harness records approvals/denials/refusals
  MCPG_SCREENSHOT     where to save the consent page screenshot (optional)
"""

import json
import os
import re
import sys
import tempfile
import unittest
import urllib.request

os.environ["SE_OFFLINE"] = "1"  # Selenium Manager must never fetch anything

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOP = os.environ["MCPG_SHOP_ORIGIN"]
CLIENT = os.environ["MCPG_CLIENT_ORIGIN"]
EVENTS = os.environ["MCPG_EVENTS"]
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
EXPECTED_HEADERS = {
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}


def events():
    with open(EVENTS, encoding="utf-8") as f:
        return f.read().split("\n")[:-1]


class ConsentPageInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        cls.profile = tempfile.TemporaryDirectory()
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--no-first-run", "--disable-extensions", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=760,1000",
                    f"--user-data-dir={cls.profile.name}"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        cls.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.driver.set_page_load_timeout(20)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.profile.cleanup()

    def setUp(self):
        open(EVENTS, "w").close()
        self.driver.delete_all_cookies()
        self.driver.get_log("browser")
        self.driver.get_log("performance")

    def open_consent(self, scenario, state="state-1"):
        self.driver.get(f"{SHOP}/authorize?scenario={scenario}&state={state}")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "p.shop").text, "Demo Shop")

    def click_and_wait(self, selector, url_prefix):
        """Clicks and waits for the navigation the click starts (click() returns before it ends)."""
        self.driver.find_element(By.CSS_SELECTOR, selector).click()
        WebDriverWait(self.driver, 10).until(ec.url_contains(url_prefix))
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def no_alert(self):
        with self.assertRaises(NoAlertPresentException):
            self.driver.switch_to.alert.text  # noqa: B018

    def test_client_strings_are_shown_as_text_never_run(self):
        self.open_consent("hostile")
        h1 = self.driver.find_element(By.TAG_NAME, "h1").text
        self.assertIn(HOSTILE_NAME, h1, "the name is shown literally")
        self.assertIn("\ufffd", h1, "the bidi override is made visible, not obeyed")
        self.assertNotIn("\u202e", h1)
        self.assertEqual(self.driver.find_elements(By.TAG_NAME, "img"), [], "no element was injected")
        self.assertEqual(self.driver.find_elements(By.TAG_NAME, "script"), [])
        self.assertEqual(self.driver.find_elements(By.TAG_NAME, "b"), [])
        body = self.driver.find_element(By.TAG_NAME, "body").text
        self.assertIn('https://evil.example/"><script>alert(2)</script>', body)
        self.assertIn("<script>alert(3)</script>", body)
        self.no_alert()
        # The hidden field carries the hostile client id back unchanged.
        field = self.driver.find_element(By.CSS_SELECTOR, 'input[name="client_id"]')
        self.assertEqual(field.get_attribute("value"), 'https://evil.example/"><script>alert(2)</script>')

    def test_loopback_warning_and_what_the_scopes_unlock(self):
        self.open_consent("hostile")
        warning = self.driver.find_element(By.CSS_SELECTOR, ".warning")
        self.assertTrue(warning.is_displayed())
        self.assertIn("runs on a computer, not on a website", warning.text)
        scopes = [li.text for li in self.driver.find_elements(By.CSS_SELECTOR, "li.scope")]
        self.assertEqual(len(scopes), 4)
        self.assertIn("catalog.read", scopes[0])
        self.assertIn("search_products", scopes[0])
        tools = {li.find_element(By.TAG_NAME, "bdi").text: li.find_element(By.CSS_SELECTOR, ".class").text
                 for li in self.driver.find_elements(By.CSS_SELECTOR, ".tools li")}
        self.assertEqual(tools["list_orders"], "READ")
        self.assertEqual(tools["update_order_status"], "WRITE")
        self.assertEqual(tools["cancel_order"], "DELETE")
        self.open_consent("claude")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, ".warning"), [], "no warning for a web client")

    def test_allow_records_the_approval_and_redirects_to_the_client(self):
        self.open_consent("claude", "state-allow")
        self.click_and_wait("button.allow", f"{CLIENT}/callback")
        self.assertTrue(self.driver.current_url.startswith(f"{CLIENT}/callback?"), self.driver.current_url)
        query = self.driver.find_element(By.ID, "query").text
        self.assertIn("code=test-code", query)
        self.assertIn("state=state-allow", query)
        self.assertEqual(events(), ["approved state-allow"])

    def test_deny_records_the_denial(self):
        self.open_consent("claude", "state-deny")
        self.click_and_wait("button.deny", f"{CLIENT}/callback")
        self.assertIn("error=access_denied", self.driver.find_element(By.ID, "query").text)
        self.assertEqual(events(), ["denied state-deny"])

    def test_forged_posts_are_refused(self):
        self.open_consent("claude")  # the session now holds a valid token the forger cannot read
        other = urllib.request.urlopen(f"{SHOP}/authorize?scenario=claude").read().decode()
        stolen = re.search(r'name="csrf_token" value="([^"]+)"', other).group(1)
        for query, reason in (("", "malformed"), (f"?token={stolen}", "unknown_token"),
                              ("?token=csrf_AAAAAAAAAAAAAAAA_" + "A" * 49, "malformed")):
            self.driver.get(f"{CLIENT}/forge{query}")
            self.click_and_wait("#go", f"{SHOP}/authorize")
            self.assertIn("This form has expired", self.driver.find_element(By.TAG_NAME, "h1").text, query)
            self.assertEqual(events()[-1].split(" ")[0], "refused", query)
            self.assertIn(events()[-1].split(" ")[1], (reason, "bad_checksum"), query)
        self.assertFalse([e for e in events() if e.startswith("approved")], "no forged post was approved")

    def test_the_page_refuses_to_be_framed(self):
        self.driver.get(f"{CLIENT}/frame")
        frame = self.driver.find_element(By.ID, "consent")
        self.driver.switch_to.frame(frame)
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "button.allow"), [], "no consent form in the frame")
        self.driver.switch_to.default_content()
        logs = " ".join(entry["message"] for entry in self.driver.get_log("browser"))
        self.assertIn("frame-ancestors", logs)

    def test_security_headers_as_the_browser_received_them(self):
        self.open_consent("claude")
        url = f"{SHOP}/authorize?scenario=claude&state=state-1"
        headers = None
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.responseReceived" and msg["params"]["response"]["url"] == url:
                headers = {k.lower(): v for k, v in msg["params"]["response"]["headers"].items()}
        self.assertIsNotNone(headers)
        for name, value in EXPECTED_HEADERS.items():
            self.assertEqual(headers.get(name), value, name)
        csp = headers["content-security-policy"]
        for directive in ("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'",
                          f"form-action 'self' {CLIENT}", "style-src 'sha256-"):
            self.assertIn(directive, csp)
        # The hashed stylesheet applies (the hash matches), and nothing broke the policy.
        color = self.driver.find_element(By.CSS_SELECTOR, "button.allow").value_of_css_property("background-color")
        self.assertEqual(color, "rgba(31, 95, 209, 1)")
        self.assertNotIn("Content Security Policy", " ".join(e["message"] for e in self.driver.get_log("browser")))

    def test_zz_screenshot(self):
        path = os.environ.get("MCPG_SCREENSHOT")
        if not path:
            self.skipTest("MCPG_SCREENSHOT not set")
        self.open_consent("claude-code")
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 760, "height": height, "deviceScaleFactor": 1, "mobile": False})
        try:
            self.assertTrue(self.driver.save_screenshot(path))
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"browser: {result.testsRun - failed - len(result.skipped)} passed, {failed} failed, {len(result.skipped)} skipped")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
