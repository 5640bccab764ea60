#!/usr/bin/env python3
"""Writes tests/vectors/audit_chain.json: a few audit events, their canonical
records, chain hashes and the head MAC, computed here with Python's hashlib
and hmac from the format documented in src/core/audit/ (record.rs, chain.rs)
and src/core/digest.rs, independently of the extension's code.

    python3 tests/vectors/audit_chain.py > tests/vectors/audit_chain.json
"""
import hashlib
import hmac
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confirmations  # noqa: E402  (the same directory)


def part(b: bytes) -> bytes:
    return len(b).to_bytes(8, "big") + b


def labelled(label: str, body: bytes) -> str:
    return hashlib.sha256(b"mcp_guard digest v1\0" + part(label.encode()) + body).hexdigest()


def args_digest(v) -> str:
    """The one digest of tool arguments (src/core/confirm/arguments.rs), the
    same a confirmation binds: the canonical encoding of confirmations.py
    (object keys sorted, lists in order), labelled "tool arguments v1"."""
    canonical = confirmations.enc(confirmations.parse(json.dumps(v)))
    return labelled("tool arguments v1", part(canonical))


# (type, fields in the PHP API's names); outcome omitted = the type's default
EVENTS = [
    ("token_used", {"at": 1800000000000001, "principal": "customer:42",
                    "tokenId": "0123456789abcdef", "ip": "203.0.113.9", "latencyUs": 812,
                    "protocol": "2025-11-25"}),
    ("tool_allowed", {"at": 1800000000000002, "principal": "customer:42",
                      "tokenId": "0123456789abcdef", "clientId": "https://app.example/client.json",
                      "tool": "product_update",
                      "arguments": {"id": 5, "name": "Mug", "tags": ["a", "b"], "price": 12.5,
                                    "active": True, "note": None},
                      "reason": "ok", "latencyUs": 1234, "ip": "2001:db8::1"}),
    ("tool_denied", {"at": 1800000000000003, "principal": "customer:7", "tool": "order_cancel",
                     "reason": "insufficient_scope", "ip": "::ffff:198.51.100.4"}),
    ("rate_limited", {"at": 1800000000000004, "outcome": "denied", "ip": "198.51.100.4"}),
]

DENIED = {"token_failed", "tool_denied", "request_refused", "rate_limited"}
KEY = bytes(range(32, 64))

rows = []
prev = bytes(32)
for seq, (kind, f) in enumerate(EVENTS, start=1):
    outcome = f.get("outcome", "denied" if kind in DENIED else "allowed")
    ip = f.get("ip")
    if ip == "::ffff:198.51.100.4":
        ip = "198.51.100.4"  # an IPv4-mapped address is kept as IPv4
    digest = args_digest(f["arguments"]) if "arguments" in f else f.get("argumentsDigest")
    rec = '{"seq":%d,"prev":"%s","type":"%s","outcome":"%s","at":%d' % (seq, prev.hex(), kind, outcome, f["at"])
    for key, name, quoted in [("principal", "principal", True), ("tokenId", "token_id", True),
                              ("clientId", "client_id", True), ("tool", "tool", True),
                              ("_digest", "arguments_digest", True), ("reason", "reason", True),
                              ("latencyUs", "latency_us", False), ("_ip", "ip", True),
                              ("protocol", "protocol", True)]:
        value = {"_digest": digest, "_ip": ip}.get(key, f.get(key))
        if value is None:
            continue
        rec += (',"%s":"%s"' if quoted else ',"%s":%d') % (name, value)
    rec += "}"
    h = hashlib.sha256(b"mcp_guard digest v1\0" + part(b"mcp_guard audit chain v1")
                       + part(seq.to_bytes(8, "big")) + part(prev) + part(rec.encode())).digest()
    # The arguments as JSON text, so that a reader keeps their key order
    # (PHP's json_decode does; a map type may sort); the fields without them.
    plain = {k: x for k, x in f.items() if k != "arguments"}
    args = json.dumps(f["arguments"], separators=(",", ":")) if "arguments" in f else None
    rows.append({"seq": seq, "type": kind, "fields": plain, "argumentsJson": args, "prev": prev.hex(),
                 "record": rec, "hash": h.hex(), "argumentsDigest": digest})
    prev = h

head_seq = len(rows)
mac = hmac.new(KEY, b"mcp_guard audit head v1\0" + head_seq.to_bytes(8, "big") + prev, hashlib.sha256)
print(json.dumps({
    "source": "Computed by tests/vectors/audit_chain.py with Python's hashlib/hmac from the documented "
              "format (this project's rules), independently of the extension's code.",
    "chainLabel": "mcp_guard audit chain v1",
    "key": KEY.hex(),
    "rows": rows,
    "head": {"seq": head_seq, "hash": prev.hex(), "mac": mac.hexdigest()},
}, indent=1))
