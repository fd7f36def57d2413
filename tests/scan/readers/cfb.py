"""A minimal OLE2 compound file writer, for .msg fixtures (no library writes new ones).

`compound_file({"__substg1.0_0037001F": b"...", "__attach_version1.0_#00000000/__substg1.0_37010102": b"..."})`
-> bytes of a version 3 compound file (512-byte sectors): storages are implied by the paths,
streams under 4,096 bytes live in the mini stream, the rest in sectors of their own.
"""

from __future__ import annotations

import struct

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        self.name, self.kind, self.data = name, kind, data
        self.children: dict[str, _Entry] = {}
        self.left = self.right = self.child = NOSTREAM
        self.start, self.size = END, len(data)


def compound_file(streams: dict[str, bytes]) -> bytes:
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *folders, leaf = path.split("/")
        for folder in folders:
            node = node.children.setdefault(folder, _Entry(folder, 1))
        node.children[leaf] = _Entry(leaf, 2, data)
    entries = _numbered(root)
    ministream, minifat = bytearray(), []
    big: list[_Entry] = []
    for entry in entries:
        if entry.kind != 2 or not entry.data:
            continue
        if len(entry.data) < CUTOFF:
            entry.start = len(ministream) // MINI
            count = -(-len(entry.data) // MINI)
            minifat += [entry.start + i + 1 for i in range(count - 1)] + [END]
            ministream += entry.data.ljust(count * MINI, b"\x00")
        else:
            big.append(entry)
    directory_sectors = -(-len(entries) * 128 // SECTOR)
    minifat_sectors = -(-len(minifat) * 4 // SECTOR)
    mini_sectors = -(-len(ministream) // SECTOR)
    big_sectors = [-(-len(entry.data) // SECTOR) for entry in big]
    other = directory_sectors + minifat_sectors + mini_sectors + sum(big_sectors)
    fat_sectors = 1
    while fat_sectors * SECTOR // 4 < other + fat_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "fixture too large for a header-only DIFAT"
    fat = [FATSECT] * fat_sectors
    body = bytearray()

    def chain(data: bytes, count: int) -> int:
        start = len(fat)
        fat.extend([start + i + 1 for i in range(count - 1)] + [END])
        body.extend(data.ljust(count * SECTOR, b"\x00"))
        return start

    directory_start = len(fat)
    body_directory_at = len(body)
    chain(bytes(directory_sectors * SECTOR), directory_sectors)
    minifat_start = chain(b"".join(struct.pack("<I", v) for v in minifat), minifat_sectors) if minifat else END
    if ministream:
        root.start, root.size = chain(bytes(ministream), mini_sectors), len(ministream)
    for entry, count in zip(big, big_sectors, strict=True):
        entry.start = chain(entry.data, count)
    directory = b"".join(_directory_entry(entry) for entry in entries)
    body[body_directory_at:body_directory_at + len(directory)] = directory
    for unused in range(len(entries), directory_sectors * SECTOR // 128):
        body[body_directory_at + unused * 128:body_directory_at + (unused + 1) * 128] = _unused_entry()
    fat += [FREE] * (fat_sectors * SECTOR // 4 - len(fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, fat_sectors, directory_start, 0,
                            CUTOFF, minifat_start, minifat_sectors, END, 0)
              + b"".join(struct.pack("<I", v) for v in difat))
    return header + fat_bytes + bytes(body)


def _numbered(root: _Entry) -> list[_Entry]:
    """Every entry in directory order, with child/left/right ids set (balanced binary trees)."""
    entries = [root]
    pending = [root]
    while pending:
        node = pending.pop(0)
        kids = sorted(node.children.values(), key=lambda e: (len(e.name), e.name.upper()))
        first = len(entries)
        entries.extend(kids)
        pending.extend(kids)
        node.child = _tree(entries, first, first + len(kids))
    return entries


def _tree(entries: list[_Entry], low: int, high: int) -> int:
    if low >= high:
        return NOSTREAM
    middle = (low + high) // 2
    entries[middle].left = _tree(entries, low, middle)
    entries[middle].right = _tree(entries, middle + 1, high)
    return middle


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le")
    return (name.ljust(64, b"\x00") + struct.pack("<HBBIII", len(name) + 2, entry.kind, 1, entry.left, entry.right,
                                                  entry.child)
            + bytes(16 + 4 + 16) + struct.pack("<IQ", entry.start, entry.size))


def _unused_entry() -> bytes:
    return bytes(64) + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + bytes(36) + struct.pack("<IQ", 0, 0)
