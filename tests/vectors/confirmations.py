#!/usr/bin/env python3
"""Writes tests/vectors/confirmations.json from the format of
src/core/confirm/ (mod.rs: the token, arguments.rs: the canonical arguments
encoding), independently of the Rust code: Python's json, hashlib, hmac and
base64 only. Run: python3 tests/vectors/confirmations.py > tests/vectors/confirmations.json
"""
import base64, hashlib, hmac, json, struct

def u64(n): return struct.pack('>Q', n)
def lp(b): return u64(len(b)) + b

def is_index(k):
    return k.isdigit() and k.isascii() and (len(k) == 1 or k[0] != '0') and int(k) < 2**63

def enc(v):
    if v is None: return b'n'
    if v is True: return b't'
    if v is False: return b'f'
    if isinstance(v, int): return b'i' + struct.pack('>q', v)
    if isinstance(v, float): return b'd' + struct.pack('>d', v)
    if isinstance(v, str):
        b = v.encode('utf-8'); return b's' + lp(b)
    if isinstance(v, list):
        return b'l' + u64(len(v)) + b''.join(enc(x) for x in v)
    if isinstance(v, Obj):
        pairs = v.pairs
        if all(is_index(k) for k, _ in pairs) and sorted(int(k) for k, _ in pairs) == list(range(len(pairs))):
            return b'l' + u64(len(pairs)) + b''.join(enc(x) for _, x in sorted(pairs, key=lambda kv: int(kv[0])))
        items = sorted(((k.encode('utf-8'), enc(x)) for k, x in pairs))
        return b'o' + u64(len(items)) + b''.join(lp(k) + x for k, x in items)
    raise TypeError(v)

class Obj:
    def __init__(self, pairs): self.pairs = pairs

def parse(text): return json.loads(text, object_pairs_hook=Obj)

def digest(label, part):
    lb = label.encode()
    return hashlib.sha256(b'mcp_guard digest v1\0' + lp(lb) + lp(part)).digest()

def args_digest(text): return digest('tool arguments v1', enc(parse(text)))

def token(key, ident, expires, principal, tool, args_text, version=1, tamper=None):
    header = bytes([version]) + ident + u64(expires)
    bind = hmac.new(key, lp(b'mcp_guard confirmation bind v1') + lp(header) + lp(principal.encode())
                    + lp(tool.encode()) + lp(args_digest(args_text)), hashlib.sha256).digest()
    auth = hmac.new(key, lp(b'mcp_guard confirmation auth v1') + lp(header) + lp(bind), hashlib.sha256).digest()
    raw = header + bind + auth
    return 'mcpc_' + base64.urlsafe_b64encode(raw).decode().rstrip('=')

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))
LONG_KEY = b'k' * 100
ID = bytes.fromhex('00112233445566778899aabbccddeeff')
NOW = 1800000000
ARGS = '{"order_id":1042,"reason":"customer asked","notify":true,"lines":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}]}'

digests = []
for text in ['{}', '[]', '{"a":null}', '{"b":-1,"a":true}', '{"a":1}', '{"a":1.0}', '{"a":-0.0}', '{"a":"1"}',
             '{"1":"b","0":"a"}', '["a","b"]', '{"01":"a"}', '{"x":1,"0":"a"}', '{"k\u00e9y":"v\u00e4l","K":[[],{}]}', ARGS,
             '{"lines":[{"qty":2,"sku":"A-1"},{"qty":1,"sku":"B-7"}],"notify":true,"reason":"customer asked","order_id":1042}']:
    digests.append({'arguments': text, 'encoding': enc(parse(text)).hex(), 'digest': args_digest(text).hex()})

issued = []
for key, principal, tool, args, ttl in [(KEY, 'member:42', 'orders.cancel', ARGS, 300),
                                        (LONG_KEY, 'm', 'products.delete', '{"id":7}', 900)]:
    issued.append({'key': key.hex(), 'id': ID.hex(), 'principal': principal, 'tool': tool, 'arguments': args,
                   'now': NOW, 'ttl': ttl, 'expires_at': NOW + ttl,
                   'token': token(key, ID, NOW + ttl, principal, tool, args)})

T = issued[0]['token']
EXP = NOW + 300
REORDERED = '{"lines":[{"qty":2,"sku":"A-1"},{"qty":1,"sku":"B-7"}],"notify":true,"reason":"customer asked","order_id":1042}'
def case(name, tok, expect, principal='member:42', tool='orders.cancel', args=ARGS, now=NOW + 10):
    return {'name': name, 'key': KEY.hex(), 'token': tok, 'principal': principal, 'tool': tool,
            'arguments': args, 'now': now, 'expect': expect}

checks = [
    case('valid', T, 'ok'),
    case('valid, keys reordered', T, 'ok', args=REORDERED),
    case('last second of the lifetime', T, 'ok', now=EXP - 1),
    case('expired at expires_at', T, 'confirmation_expired', now=EXP),
    case('another principal', T, 'confirmation_not_bound', principal='member:43'),
    case('another tool', T, 'confirmation_not_bound', tool='orders.refund'),
    case('one field changed', T, 'confirmation_not_bound', args=ARGS.replace('1042', '1043')),
    case('a field added', T, 'confirmation_not_bound', args=ARGS[:-1] + ',"refund":true}'),
    case('a nested value changed', T, 'confirmation_not_bound', args=ARGS.replace('"qty":2', '"qty":20')),
    case('list order changed', T, 'confirmation_not_bound',
         args='{"order_id":1042,"reason":"customer asked","notify":true,"lines":[{"sku":"B-7","qty":1},{"sku":"A-1","qty":2}]}'),
    case('integer sent as float', T, 'confirmation_not_bound', args=ARGS.replace('1042', '1042.0')),
    case('made with another key', token(OTHER, ID, EXP, 'member:42', 'orders.cancel', ARGS), 'confirmation_bad_mac'),
    case('version 2 with valid tags', token(KEY, ID, EXP, 'member:42', 'orders.cancel', ARGS, version=2), 'confirmation_malformed'),
    case('truncated', T[:-1], 'confirmation_malformed'),
    case('prefix only', 'mcpc_', 'confirmation_malformed'),
    case('other prefix', 'mcpx_' + T[5:], 'confirmation_malformed'),
    case('standard base64 alphabet', T[:40] + '+' + T[41:], 'confirmation_malformed'),
    case('empty', '', 'confirmation_malformed'),
]
# A forged tag that keeps the length: flip one bit of the auth tag.
raw = bytearray(base64.urlsafe_b64decode(T[5:] + '='))
raw[-1] ^= 0x80
checks.append(case('auth tag forged', 'mcpc_' + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('='), 'confirmation_bad_mac'))
raw = bytearray(base64.urlsafe_b64decode(T[5:] + '='))
raw[24] ^= 1  # the expiry, one second later... or earlier: the tags stay
checks.append(case('expiry moved', 'mcpc_' + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('='), 'confirmation_bad_mac'))
raw = bytearray(base64.urlsafe_b64decode(T[5:] + '='))
raw[30] ^= 1
checks.append(case('bind tag forged', 'mcpc_' + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('='), 'confirmation_bad_mac'))

if __name__ == '__main__':
    print(json.dumps({
        'source': 'Computed by tests/vectors/confirmations.py with Python json, hashlib, hmac and base64, '
                  'from the format written in src/core/confirm/mod.rs and arguments.rs (not by the Rust code).',
        'digests': digests, 'issued': issued, 'checks': checks}, indent=1, ensure_ascii=False))
