#!/usr/bin/env python3
"""Writes audit-record-v2.hex: the canonical bytes of one record, computed from the layout documented
in AuditRecord's Javadoc (and the README), independently of the Java code."""
import struct

def field(b):
    return struct.pack(">I", len(b)) + b

def text(s):
    return field(s.encode("utf-8"))

details = {"from": "6", "note": "two\nlines \u00e9\U0001F600", "to": "7"}
out = field(b"mlops.audit.v2")
out += field(struct.pack(">q", 3))
# 2026-11-27T10:15:30.123456789Z
out += field(struct.pack(">qI", 1795774530, 123456789))
out += text("alice") + text("alias.set") + text("fraud@champion") + field(b"DENIED")
out += field(struct.pack(">I", len(details)))
for k in sorted(details, key=lambda k: k.encode("utf-8")):
    out += text(k) + text(details[k])
print(out.hex())
