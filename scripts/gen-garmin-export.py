#!/usr/bin/env python3
"""Writes a synthetic Garmin Connect "Export your data" zip of about SIZE_MB megabytes (default 500).

The layout of the real thing (see ../shared/fixtures/archive-layouts.md): everything under
DI_CONNECT/; the uploaded files in zips inside the zip (DI-Connect-Uploaded-Files/UploadedFiles_0-_PartN.zip),
each holding activity FIT files (one-hour runs, a record a second, with position, distance, heart rate
and cadence) and many FIT files that are not activities (monitoring, type 32); a
DI-Connect-Fitness/..._summarizedActivities.json with a summary per activity; other JSON besides.

Each activity is the same hour of records with its own session start, so the files stay valid (the FIT
checksum is carried on from the shared records) and every run is new to lumbar.

Usage: scripts/gen-garmin-export.py OUT.zip [SIZE_MB]
"""
import json
import math
import random
import struct
import sys
import zipfile

FIT_EPOCH = 631065600
CRC_TABLE = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]


def crc16(data, crc=0):
    for b in data:
        tmp = CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ CRC_TABLE[b & 0xF]
        tmp = CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ CRC_TABLE[b >> 4]
    return crc


def definition(local, global_num, fields):
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    for num, size, base in fields:
        out += struct.pack("<BBB", num, size, base)
    return out


def header(data_len):
    return struct.pack("<BBHI4s", 12, 0x10, 2132, data_len, b".FIT")


def activity_records(rng, t0):
    """file_id and an hour of records: the part every activity shares."""
    out = definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86)])
    out += struct.pack("<BBHI", 0, 4, 1, t0)
    out += definition(1, 20, [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (3, 1, 0x02), (4, 1, 0x02)])
    rec = struct.Struct("<BIiiIBB")
    lat0, lon0 = 46.05, 14.50
    dist = 0.0
    for i in range(3600):
        a = i / 600.0
        lat = lat0 + 0.01 * math.sin(a) + rng.uniform(-2e-6, 2e-6)
        lon = lon0 + 0.015 * math.cos(a) + rng.uniform(-2e-6, 2e-6)
        dist += 2.8 + rng.uniform(-0.3, 0.3)
        out += rec.pack(1, t0 + i, int(lat / 180 * 2**31), int(lon / 180 * 2**31), int(dist * 100),
                        140 + rng.randrange(25), 80 + rng.randrange(10))
    out += definition(2, 18, [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86),
                              (5, 1, 0x00), (6, 1, 0x00)])
    return out, dist


def monitoring_file(rng, t0):
    data = definition(0, 0, [(0, 1, 0x00), (4, 4, 0x86)])
    data += struct.pack("<BBI", 0, 32, t0)
    data += definition(1, 55, [(253, 4, 0x86), (2, 4, 0x86), (5, 1, 0x00)])
    for i in range(300):
        data += struct.pack("<BIIB", 1, t0 + 60 * i, rng.randrange(10000), rng.randrange(8))
    out = header(len(data)) + data
    return out + struct.pack("<H", crc16(out))


def main():
    path = sys.argv[1]
    size_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    rng = random.Random(7)
    t0 = 700_000_000  # FIT time: 2012-03-08
    shared, dist = activity_records(rng, t0)
    # The header carries the data length, which is the same for every file; the records after it
    # are too, so their checksum state is carried on and only the session is checksummed per file.
    session = struct.Struct("<BIIIII BB")
    data_len = len(shared) + session.size
    head = header(data_len) + shared
    head_crc = crc16(head)
    monitoring = [monitoring_file(rng, t0 + 86400 * k) for k in range(50)]
    summaries = []
    per_part = 1000
    written = 0
    part_no = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as outer:
        outer.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", json.dumps({"userName": "bench"}))
        activity = 0
        while written < size_mb * 1_000_000:
            part_no += 1
            name = f"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part{part_no}.zip"
            with outer.open(name, "w", force_zip64=True) as raw, \
                    zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as inner:
                for k in range(per_part):
                    activity += 1
                    start = t0 + 21600 * activity
                    tail = session.pack(2, start + 3600, start, 3_600_000, 3_590_000, int(dist * 100), 1, 0)
                    fit = head + tail + struct.pack("<H", crc16(tail, head_crc))
                    inner.writestr(f"bench@example.com_{activity}.fit", fit)
                    summaries.append({
                        "activityId": activity, "activityType": "running", "sportType": "RUNNING",
                        "beginTimestamp": (FIT_EPOCH + start) * 1000, "duration": 3_590_000.0,
                        "elapsedDuration": 3_600_000.0, "distance": dist * 100,
                    })
                    # Three files that are not activities for every one that is.
                    for m in range(3):
                        inner.writestr(f"bench@example.com_{activity}_{m}_MONITORING.fit", monitoring[(activity + m) % 50])
            written = sum(i.compress_size for i in outer.infolist())
            print(f"part {part_no}: {activity} activities, {written / 1e6:.0f} MB", file=sys.stderr)
        outer.writestr("DI_CONNECT/DI-Connect-Fitness/bench@example.com_0_summarizedActivities.json",
                       json.dumps([{"summarizedActivitiesExport": summaries}]))


if __name__ == "__main__":
    main()
