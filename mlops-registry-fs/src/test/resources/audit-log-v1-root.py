#!/usr/bin/env python3
"""Reads the golden audit log (segment layout version 1) as FileAuditLog's Javadoc documents it, without
the library: checks every header and frame checksum (CRC32C, written out here) and prints the RFC 6962
Merkle root of the records' canonical bytes, the constant GoldenAuditLogTest.ROOT.

    python3 audit-log-v1-root.py audit-log-v1
"""
import glob
import hashlib
import os
import struct
import sys


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def leaves(directory):
    out = []
    for path in sorted(glob.glob(os.path.join(directory, "[0-9]" * 20 + ".audit"))):
        b = open(path, "rb").read()
        magic, version, first, crc = struct.unpack(">8siqI", b[:24])
        assert magic == b"mlopsaud" and version == 1 and crc == crc32c(b[:20]), path
        assert first == len(out) == int(os.path.basename(path)[:20]), path
        p = 24
        while p < len(b):
            length, crc = struct.unpack(">iI", b[p:p + 8])
            assert crc == crc32c(b[p:p + 4] + b[p + 8:p + 8 + length]), (path, p)
            out.append(b[p + 8:p + 8 + length])
            p += 8 + length
    return out


def mth(d):
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = 1
    while k * 2 < len(d):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()


records = leaves(sys.argv[1] if len(sys.argv) > 1 else "audit-log-v1")
print(len(records), "records, root", mth(records).hex())
