//! A small decoder for the FIT binary format: only what an activity import reads.
//!
//! We decode FIT ourselves instead of through a general crate because we need few fields, want a
//! checksum and truncation check with a clear message, must tolerate odd field sizes and developer
//! fields without printing anything, read each file in one streaming pass with no allocation per
//! record, and stop after the first message of a file that is not an activity.
//!
//! Layout (FIT SDK, "FIT File Types" and "FIT Protocol"): a 12- or 14-byte header (size, protocol,
//! profile, data size, ".FIT", optional header CRC), then records, then a 2-byte CRC of everything
//! before it; several such files may follow one another. A record starts with a header byte:
//! bit 7 set is a data message with a compressed timestamp (local type in bits 5–6, a 5-bit time
//! offset in bits 0–4); otherwise bit 6 set is a definition (bit 5: it has developer fields) and
//! clear is a data message, the local type in bits 0–3.

use std::io::{self, BufRead, Read};

use super::ImportError;

/// Seconds from the Unix epoch to the FIT epoch, 1989-12-31T00:00:00Z.
pub const FIT_EPOCH: i64 = 631_065_600;

/// Global message numbers we read.
pub mod mesg {
    pub const FILE_ID: u16 = 0;
    pub const SPORT: u16 = 12;
    pub const SESSION: u16 = 18;
    pub const LAP: u16 = 19;
    pub const RECORD: u16 = 20;
}

/// The field number of `timestamp` in every message.
pub const TIMESTAMP: u8 = 253;

#[derive(Clone, Copy, Debug)]
struct FieldDef {
    num: u8,
    size: u8,
    base: u8,
}

#[derive(Clone, Debug, Default)]
struct Definition {
    big_endian: bool,
    global: u16,
    fields: Vec<FieldDef>,
    /// Bytes of developer fields after the fields: skipped.
    dev_size: usize,
}

/// One decoded data message: its global number and its fields as numbers (invalid values left
/// out). Reused between messages.
#[derive(Debug, Default)]
pub struct Message {
    pub global: u16,
    fields: Vec<(u8, f64)>,
}

impl Message {
    /// A field's raw value (no scale or offset applied).
    pub fn get(&self, num: u8) -> Option<f64> {
        self.fields.iter().find(|(n, _)| *n == num).map(|(_, v)| *v)
    }
}

const CRC_TABLE: [u16; 16] = [
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01,
    0x8801, 0x4400,
];

/// The FIT CRC-16 of `bytes`.
pub fn crc(bytes: &[u8]) -> u16 {
    crc_update(0, bytes)
}

/// The FIT CRC-16 of what `crc` covered, followed by `bytes`.
fn crc_update(crc: u16, bytes: &[u8]) -> u16 {
    bytes.iter().fold(crc, |mut crc, &b| {
        let tmp = CRC_TABLE[(crc & 0xF) as usize];
        crc = (crc >> 4) & 0x0FFF;
        crc = crc ^ tmp ^ CRC_TABLE[(b & 0xF) as usize];
        let tmp = CRC_TABLE[(crc & 0xF) as usize];
        crc = (crc >> 4) & 0x0FFF;
        crc ^ tmp ^ CRC_TABLE[(b >> 4) as usize]
    })
}

fn read_uint(bytes: &[u8], big_endian: bool) -> u64 {
    let mut v = 0u64;
    if big_endian {
        for &b in bytes {
            v = v << 8 | b as u64;
        }
    } else {
        for &b in bytes.iter().rev() {
            v = v << 8 | b as u64;
        }
    }
    v
}

/// The value of a single-element field, or `None` when it holds the type's "invalid" marker, is
/// an array, a string, or has a size that does not fit its type.
fn value(bytes: &[u8], base: u8, big_endian: bool) -> Option<f64> {
    let size = bytes.len();
    let raw = || read_uint(bytes, big_endian);
    match (base & 0x1F, size) {
        (0x00 | 0x02 | 0x0D, 1) => Some(bytes[0]).filter(|&v| v != 0xFF).map(f64::from),
        (0x01, 1) => Some(bytes[0] as i8).filter(|&v| v != 0x7F).map(f64::from),
        (0x0A, 1) => Some(bytes[0]).filter(|&v| v != 0).map(f64::from),
        (0x03, 2) => Some(raw() as u16 as i16).filter(|&v| v != 0x7FFF).map(f64::from),
        (0x04, 2) => Some(raw() as u16).filter(|&v| v != 0xFFFF).map(f64::from),
        (0x0B, 2) => Some(raw() as u16).filter(|&v| v != 0).map(f64::from),
        (0x05, 4) => Some(raw() as u32 as i32).filter(|&v| v != 0x7FFF_FFFF).map(f64::from),
        (0x06, 4) => Some(raw() as u32).filter(|&v| v != 0xFFFF_FFFF).map(f64::from),
        (0x0C, 4) => Some(raw() as u32).filter(|&v| v != 0).map(f64::from),
        (0x08, 4) => {
            let bits = raw() as u32;
            Some(f32::from_bits(bits))
                .filter(|v| bits != 0xFFFF_FFFF && v.is_finite())
                .map(f64::from)
        }
        (0x09, 8) => {
            let bits = raw();
            Some(f64::from_bits(bits)).filter(|v| bits != u64::MAX && v.is_finite())
        }
        (0x0E, 8) => Some(raw() as i64).filter(|&v| v != i64::MAX).map(|v| v as f64),
        (0x0F, 8) => Some(raw()).filter(|&v| v != u64::MAX).map(|v| v as f64),
        (0x10, 8) => Some(raw()).filter(|&v| v != 0).map(|v| v as f64),
        _ => None,
    }
}

/// Whether [`decode`] goes on after a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Nothing more is wanted (a file that is not an activity): stop reading, unchecked.
    Stop,
}

/// The bytes read so far, with their running CRC.
struct Crc<R> {
    inner: R,
    crc: u16,
}

impl<R: Read> Crc<R> {
    /// Reads exactly `out.len()` bytes; `what` names the part for a truncation error.
    fn exact(&mut self, out: &mut [u8], what: &str) -> Result<(), ImportError> {
        self.inner.read_exact(out).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => truncated(what),
            _ => ImportError::from(e),
        })?;
        self.crc = crc_update(self.crc, out);
        Ok(())
    }
}

/// Walks every data message of a FIT stream (and of any FIT files chained after it), calling
/// `on_message` with each. Timestamps from compressed headers are filled in as field 253. The
/// stream is read once, record by record, with the checksum kept as it goes: damage inside the
/// records is reported as a checksum mismatch when the checksum says so, as the records' own
/// error otherwise.
pub fn decode(reader: impl Read, mut on_message: impl FnMut(&Message) -> Flow) -> Result<(), ImportError> {
    let mut input = io::BufReader::with_capacity(64 * 1024, reader);
    let mut first = true;
    loop {
        let head = input.fill_buf()?;
        if head.is_empty() {
            return if first { Err(truncated("the header")) } else { Ok(()) };
        }
        if !first && head[0] == 0 {
            // Padding after the last file is not another file.
            let mut rest = Vec::new();
            input.read_to_end(&mut rest)?;
            return if rest.iter().all(|&b| b == 0) {
                Ok(())
            } else {
                Err(ImportError::new(
                    "damaged FIT file: no valid FIT header after the first file",
                ))
            };
        }
        first = false;
        if decode_one(&mut input, &mut on_message)? == Flow::Stop {
            return Ok(());
        }
    }
}

fn truncated(what: &str) -> ImportError {
    ImportError::new(format!("the FIT file ends early, inside {what} (truncated?)"))
}

fn decode_one(input: &mut impl Read, on_message: &mut impl FnMut(&Message) -> Flow) -> Result<Flow, ImportError> {
    let mut r = Crc { inner: input, crc: 0 };
    let mut header = [0u8; 14];
    r.exact(&mut header[..1], "the header")?;
    let header_len = header[0] as usize;
    if !(header_len == 12 || header_len == 14) {
        return Err(ImportError::new("damaged FIT file: no valid FIT header"));
    }
    r.exact(&mut header[1..header_len], "the header")?;
    if &header[8..12] != b".FIT" {
        return Err(ImportError::new("damaged FIT file: no valid FIT header"));
    }
    let data_len = read_uint(&header[4..8], false);
    // The records, read through a limit so no record can run past them.
    let mut records = Crc {
        inner: (&mut r.inner).take(data_len),
        crc: r.crc,
    };
    let outcome = records_of(&mut records, on_message);
    if let Ok(Flow::Stop) = outcome {
        return Ok(Flow::Stop);
    }
    // Whatever happened in the records, read to their end so the checksum can speak.
    let mut rest = [0u8; 4096];
    loop {
        let n = records.inner.read(&mut rest)?;
        if n == 0 {
            break;
        }
        records.crc = crc_update(records.crc, &rest[..n]);
    }
    let short = records.inner.limit() > 0;
    let computed = records.crc;
    let mut stored = [0u8; 2];
    let stored_read = if short {
        Err(truncated("its records"))
    } else {
        r.inner.read_exact(&mut stored).map_err(|_| truncated("its checksum"))
    };
    match (outcome, stored_read) {
        (_, Err(e)) => Err(e),
        (outcome, Ok(())) => {
            let stored = u16::from_le_bytes(stored);
            if stored != computed {
                return Err(ImportError::new(format!(
                    "damaged FIT file: checksum mismatch (stored {stored:#06x}, computed {computed:#06x})"
                )));
            }
            outcome
        }
    }
}

/// Reads the records of one FIT file until its data ends.
fn records_of<R: Read>(
    r: &mut Crc<io::Take<R>>,
    on_message: &mut impl FnMut(&Message) -> Flow,
) -> Result<Flow, ImportError> {
    let mut defs: [Option<Definition>; 16] = Default::default();
    let mut msg = Message::default();
    let mut last_time: u32 = 0;
    let mut buf = Vec::with_capacity(256);
    while r.inner.limit() > 0 {
        let mut header = [0u8; 1];
        r.exact(&mut header, "a record")?;
        let header = header[0];
        if header & 0xC0 == 0x40 {
            // A definition: how the data messages of this local type are laid out.
            let local = (header & 0x0F) as usize;
            defs[local] = Some(definition(r, header & 0x20 != 0)?);
            continue;
        }
        let (local, time) = if header & 0x80 != 0 {
            // Compressed timestamp: a 5-bit offset from the last full timestamp.
            let local = ((header >> 5) & 0x3) as usize;
            let offset = (header & 0x1F) as u32;
            let mut t = (last_time & !0x1F) | offset;
            if offset < (last_time & 0x1F) {
                t = t.wrapping_add(0x20);
            }
            last_time = t;
            (local, Some(t))
        } else {
            ((header & 0x0F) as usize, None)
        };
        let def = defs[local].as_ref().ok_or_else(|| {
            ImportError::new(format!(
                "damaged FIT file: a message of local type {local} with no definition before it"
            ))
        })?;
        data_message(r, def, &mut buf, &mut msg, &mut last_time, time)?;
        if on_message(&msg) == Flow::Stop {
            return Ok(Flow::Stop);
        }
    }
    Ok(Flow::Continue)
}

fn definition<R: Read>(r: &mut Crc<R>, developer: bool) -> Result<Definition, ImportError> {
    let mut fixed = [0u8; 5];
    r.exact(&mut fixed, "a definition")?;
    let big_endian = match fixed[1] {
        0 => false,
        1 => true,
        other => {
            return Err(ImportError::new(format!(
                "damaged FIT file: a definition with architecture {other}"
            )));
        }
    };
    let global = read_uint(&fixed[2..4], big_endian) as u16;
    let mut list = vec![0u8; 3 * fixed[4] as usize];
    r.exact(&mut list, "a definition")?;
    let fields = list
        .chunks_exact(3)
        .map(|c| FieldDef {
            num: c[0],
            size: c[1],
            base: c[2],
        })
        .collect();
    let mut dev_size = 0;
    if developer {
        let mut count = [0u8; 1];
        r.exact(&mut count, "a definition")?;
        let mut devs = vec![0u8; 3 * count[0] as usize];
        r.exact(&mut devs, "a definition")?;
        dev_size = devs.chunks_exact(3).map(|c| c[1] as usize).sum();
    }
    Ok(Definition {
        big_endian,
        global,
        fields,
        dev_size,
    })
}

fn data_message<R: Read>(
    r: &mut Crc<R>,
    def: &Definition,
    buf: &mut Vec<u8>,
    msg: &mut Message,
    last_time: &mut u32,
    compressed_time: Option<u32>,
) -> Result<(), ImportError> {
    let size: usize = def.fields.iter().map(|f| f.size as usize).sum::<usize>() + def.dev_size;
    buf.resize(size, 0);
    r.exact(buf, "a message")?;
    msg.global = def.global;
    msg.fields.clear();
    let mut p = 0;
    for f in &def.fields {
        let bytes = &buf[p..p + f.size as usize];
        if let Some(v) = value(bytes, f.base, def.big_endian) {
            if f.num == TIMESTAMP {
                *last_time = v as u32;
            }
            msg.fields.push((f.num, v));
        }
        p += f.size as usize;
    }
    if let Some(t) = compressed_time
        && msg.get(TIMESTAMP).is_none()
    {
        msg.fields.push((TIMESTAMP, t as f64));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a FIT file from records, with a correct header and CRC.
    fn fit(records: &[u8]) -> Vec<u8> {
        let mut out = vec![12u8, 0x10, 0x08, 0x08];
        out.extend((records.len() as u32).to_le_bytes());
        out.extend(b".FIT");
        out.extend(records);
        let c = crc(&out);
        out.extend(c.to_le_bytes());
        out
    }

    /// A definition of local type 0 for `record` (timestamp u32, heart_rate u8) and two messages,
    /// the second with a compressed timestamp.
    fn sample() -> Vec<u8> {
        let mut r = vec![0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02];
        r.push(0x00);
        r.extend(1_000_000u32.to_le_bytes());
        r.push(150);
        // Compressed header: local type 0, offset 5 (1_000_000 & 0x1F is 0, so +5 s).
        r.push(0x80 | 5);
        r.extend(0xFFFF_FFFFu32.to_le_bytes()); // timestamp field invalid: the compressed one is used
        r.push(0xFF); // heart rate invalid
        r
    }

    #[test]
    fn decodes_messages_and_compressed_timestamps() {
        let mut seen = Vec::new();
        decode(&fit(&sample())[..], |m| {
            seen.push((m.global, m.get(TIMESTAMP), m.get(3)));
            Flow::Continue
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![(20, Some(1_000_000.0), Some(150.0)), (20, Some(1_000_005.0), None)]
        );
    }

    #[test]
    fn the_crc_matches_the_sdk_check_value() {
        // CRC-16/ARC of "123456789" (the FIT CRC is that polynomial, nibble-wise).
        assert_eq!(crc(b"123456789"), 0xBB3D);
    }

    #[test]
    fn damage_is_reported() {
        let all = |_: &Message| Flow::Continue;
        let good = fit(&sample());
        let mut bad = good.clone();
        bad[15] ^= 0x01;
        assert!(decode(&bad[..], all).unwrap_err().to_string().contains("checksum"));
        for cut in [0, 5, 13, good.len() - 1] {
            assert!(decode(&good[..cut], all).is_err(), "{cut}");
        }
        // A data message whose local type was never defined.
        let undefined = fit(&[0x03, 1, 2, 3]);
        assert!(
            decode(&undefined[..], all)
                .unwrap_err()
                .to_string()
                .contains("no definition")
        );
        // Damage that also breaks the checksum is reported as the checksum.
        let mut broken = undefined.clone();
        let n = broken.len();
        broken[n - 1] ^= 0xFF;
        assert!(decode(&broken[..], all).unwrap_err().to_string().contains("checksum"));
        // Chained files and zero padding.
        let mut two = good.clone();
        two.extend(&good);
        two.extend([0, 0, 0]);
        let mut count = 0;
        decode(&two[..], |_| {
            count += 1;
            Flow::Continue
        })
        .unwrap();
        assert_eq!(count, 4);
    }

    #[test]
    fn stopping_early_reads_no_further() {
        let good = fit(&sample());
        let mut seen = 0;
        let mut cut = good.clone();
        cut.truncate(good.len() - 3);
        // Stopped after the first message: the missing end is never reached.
        decode(&cut[..], |_| {
            seen += 1;
            Flow::Stop
        })
        .unwrap();
        assert_eq!(seen, 1);
    }

    #[test]
    fn odd_sizes_and_developer_fields_are_skipped() {
        // Field 4 declared uint32 with size 1 (as some devices write), and 2 developer bytes.
        let mut r = vec![0x60, 0, 0, 20, 0, 2, 253, 4, 0x86, 4, 1, 0x86, 1, 0, 2, 0];
        r.push(0x00);
        r.extend(7u32.to_le_bytes());
        r.push(9);
        r.extend([0xAA, 0xBB]);
        let mut seen = Vec::new();
        decode(&fit(&r)[..], |m| {
            seen.push((m.get(TIMESTAMP), m.get(4)));
            Flow::Continue
        })
        .unwrap();
        assert_eq!(seen, vec![(Some(7.0), None)]);
    }

    #[test]
    fn values_honour_their_invalid_markers() {
        assert_eq!(value(&[0xFF], 0x02, false), None);
        assert_eq!(value(&[0x7F], 0x01, false), None);
        assert_eq!(value(&[0x80], 0x01, false), Some(-128.0));
        assert_eq!(value(&[0x34, 0x12], 0x84, false), Some(0x1234 as f64));
        assert_eq!(value(&[0x12, 0x34], 0x84, true), Some(0x1234 as f64));
        assert_eq!(value(&[0xFF, 0xFF, 0xFF, 0x7F], 0x85, false), None);
        assert_eq!(value(&[0, 0, 0, 0], 0x8C, false), None);
        assert_eq!(value(&[1, 2, 3], 0x86, false), None);
    }
}
