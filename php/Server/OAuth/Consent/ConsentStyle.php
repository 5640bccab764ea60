<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

/**
 * The consent page's one stylesheet, inline, and the CSP hash source that
 * allows exactly it (`style-src 'sha256-…'`: no other style, inline or
 * injected, applies). ConsentPageTest checks HASH against CSS: change both.
 *
 * @internal
 */
final class ConsentStyle
{
    public const HASH = 'sha256-CoTndMO/YKtrw+WXPlEA/YBVanCIcTRQP6CThnresOQ=';

    public const CSS = <<<'CSS'
:root{color-scheme:light;--ink:#1d2430;--muted:#5b6472;--line:#e3e6eb;--accent:#1f5fd1;--bg:#f4f6f9}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:560px;margin:40px auto;padding:0 16px}
.card{background:#fff;border:1px solid var(--line);border-radius:14px;box-shadow:0 8px 24px rgba(20,30,50,.08);overflow:hidden}
.shop{margin:0;padding:14px 28px;background:var(--ink);color:#fff;font-weight:600;letter-spacing:.01em}
.body{padding:24px 28px 8px}
h1{font-size:1.35rem;line-height:1.3;margin:0 0 6px}
h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:22px 0 8px}
.who{margin:0;color:var(--muted);font-size:.92rem}
.untrusted{overflow-wrap:anywhere}
dl{margin:18px 0 0;display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;font-size:.92rem}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
code{font:.82rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted)}
.warning{margin:18px 0 0;padding:12px 14px;border:1px solid #f0c36d;background:#fff8e6;border-radius:10px;font-size:.92rem}
.warning strong{display:block;margin-bottom:2px}
ul{list-style:none;margin:0;padding:0}
.scope{border:1px solid var(--line);border-radius:10px;padding:10px 14px;margin:0 0 8px}
.scope-name{font-weight:600;overflow-wrap:anywhere}
.scope p{margin:2px 0 0;color:var(--muted);font-size:.9rem}
.tools li{display:flex;gap:8px;align-items:baseline;margin-top:6px;font-size:.92rem;overflow-wrap:anywhere}
.class{flex:none;min-width:86px;text-align:center;font-size:.72rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:999px;padding:1px 8px}
.read{background:#e7f0ff;color:#1f4fa8}
.write{background:#fff1d6;color:#8a5a00}
.destructive{background:#fde4e4;color:#a3171b}
.none{color:var(--muted);font-size:.9rem}
.actions{display:flex;gap:12px;justify-content:flex-end;padding:18px 28px 22px;border-top:1px solid var(--line);margin-top:20px}
button{font:inherit;font-weight:600;border-radius:9px;padding:9px 22px;cursor:pointer;border:1px solid var(--line);background:#fff;color:var(--ink)}
button.allow{background:var(--accent);border-color:var(--accent);color:#fff}
button:focus-visible{outline:3px solid #9cc0ff;outline-offset:2px}
.fine{color:var(--muted);font-size:.82rem;text-align:center;margin:14px 0 0}
CSS;

    private function __construct()
    {
    }
}
