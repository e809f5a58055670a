#!/usr/bin/env python3
"""Checks Lambda artifacts (`bootstrap` files) and reports their sizes.

    check_artifact.py ARCH NAME=PATH [NAME=PATH ...]

For each artifact: it is an ELF executable for ARCH (arm64 or x86_64), and every glibc
symbol version it needs is at most 2.34, the glibc of Amazon Linux 2023 (provided.al2023),
and it carries none of the local platform's embedded DynamoDB (dynoxide, whose crate name
appears in any binary that links it: panic locations and symbol names).
Prints a table of raw and zipped sizes (the zip is what SAM uploads: deflate, level 9) and
exits non-zero if any check fails. Standard library only, so it runs before any venv.
"""

import io
import struct
import sys
import zipfile

# ELF e_machine values.
MACHINES = {"arm64": 0xB7, "x86_64": 0x3E}
MAX_GLIBC = (2, 34)
SHT_GNU_VERNEED = 0x6FFFFFFE


def read_elf(path):
    """(e_machine, e_type, {glibc versions needed}) of a 64-bit little-endian ELF."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise ValueError("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    e_shoff = struct.unpack_from("<Q", data, 0x28)[0]
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = []
    for i in range(e_shnum):
        off = e_shoff + i * e_shentsize
        (name, sh_type, _flags, _addr, sh_offset, sh_size, sh_link, sh_info, _align, _entsize) = struct.unpack_from(
            "<IIQQQQIIQQ", data, off
        )
        sections.append((sh_type, sh_offset, sh_size, sh_link, sh_info))
    versions = set()
    for sh_type, sh_offset, _size, sh_link, sh_info in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab_offset = sections[sh_link][1]

        def string(at):
            end = data.index(b"\0", strtab_offset + at)
            return data[strtab_offset + at : end].decode()

        entry = sh_offset
        for _ in range(sh_info):
            _ver, count, _file, aux, nxt = struct.unpack_from("<HHIII", data, entry)
            at = entry + aux
            for _ in range(count):
                _hash, _flags, _other, name, anext = struct.unpack_from("<IHHII", data, at)
                versions.add(string(name))
                at += anext
            entry += nxt
    return e_machine, e_type, versions


def glibc_version(name):
    if not name.startswith("GLIBC_"):
        return None
    try:
        return tuple(int(p) for p in name[len("GLIBC_") :].split("."))
    except ValueError:
        return None


def zipped_size(path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.write(path, "bootstrap")
    return len(buffer.getvalue())


def check(arch, name, path):
    """(row, [problems]) for one artifact."""
    problems = []
    machine, e_type, versions = read_elf(path)
    if machine != MACHINES[arch]:
        problems.append(f"{name}: e_machine {machine:#x}, expected {MACHINES[arch]:#x} ({arch})")
    if e_type not in (2, 3):  # EXEC or DYN (PIE)
        problems.append(f"{name}: ELF type {e_type} is not an executable")
    glibc = sorted(v for v in (glibc_version(n) for n in versions) if v is not None)
    too_new = [v for v in glibc if v > MAX_GLIBC]
    if too_new:
        shown = ", ".join("GLIBC_" + ".".join(map(str, v)) for v in too_new)
        problems.append(f"{name}: needs {shown} (Amazon Linux 2023 has glibc 2.34)")
    with open(path, "rb") as f:
        if b"dynoxide" in f.read():
            problems.append(f"{name}: links dynoxide, the local platform's embedded DynamoDB")
    newest = "GLIBC_" + ".".join(map(str, glibc[-1])) if glibc else "none"
    with open(path, "rb") as f:
        raw = len(f.read())
    return (name, raw, zipped_size(path), newest), problems


def main(argv):
    if len(argv) < 3 or argv[1] not in MACHINES:
        print(__doc__, file=sys.stderr)
        return 2
    arch = argv[1]
    rows, problems = [], []
    for spec in argv[2:]:
        name, _, path = spec.partition("=")
        try:
            row, found = check(arch, name, path)
        except (OSError, ValueError, struct.error) as e:
            problems.append(f"{name}: {path}: {e}")
            continue
        rows.append(row)
        problems.extend(found)
    print(f"| function ({arch}) | bootstrap | zipped | newest glibc symbol |")
    print("|---|---|---|---|")
    for name, raw, zipped, newest in rows:
        print(f"| {name} | {raw / 1048576:.2f} MiB | {zipped / 1048576:.2f} MiB | {newest} |")
    for p in problems:
        print("FAIL", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
