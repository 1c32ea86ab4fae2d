#!/usr/bin/env python3
"""Writes a synthetic GPX 1.1 track of N points (default 200 000), Garmin-style, to stdout.

Each point has a position, elevation, time (every 0.5 s) and a heart-rate/cadence extension,
like a watch export; about 225 bytes a point, so 200 000 points make about 45 MB.
"""
import math
import sys
from datetime import datetime, timedelta, timezone

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
out = sys.stdout
out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<gpx creator="lumbar bench" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
          'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
          ' <metadata><time>2024-05-01T06:00:00Z</time></metadata>\n'
          ' <trk><name>Synthetic ultra</name><type>running</type>\n  <trkseg>\n')
t0 = datetime(2024, 5, 1, 6, 0, 0, tzinfo=timezone.utc)
lat0, lon0 = 46.05, 14.50
for i in range(n):
    # A 5 km-radius loop walked round and round, about 1.5 m per half second.
    a = i * 1.5 / 5000.0
    lat = lat0 + 0.045 * math.sin(a) + 0.00001 * math.sin(i * 0.37)
    lon = lon0 + 0.065 * math.cos(a)
    t = t0 + timedelta(milliseconds=500 * i)
    out.write(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{300 + 20 * math.sin(a * 7):.1f}</ele>'
              f'<time>{t.strftime("%Y-%m-%dT%H:%M:%S.")}{t.microsecond // 1000:03d}Z</time>'
              f'<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + i % 20}</gpxtpx:hr>'
              f'<gpxtpx:cad>{85 + i % 5}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>\n')
out.write('  </trkseg>\n </trk>\n</gpx>\n')
