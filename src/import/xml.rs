//! A guarded streaming XML reader for GPX and TCX.
//!
//! quick-xml reads event by event and never expands entities (a DOCTYPE is passed over, so
//! "billion laughs" and external entities do nothing). Two guards keep memory bounded on hostile
//! input: nesting deeper than [`MAX_DEPTH`] stops the parse at once, and so does a single token
//! (a tag, a text run) longer than [`MAX_TOKEN`], which quick-xml would otherwise buffer whole.

use std::io::{self, BufRead, Read};

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesEnd, BytesStart, Event};

use super::ImportError;

/// GPX and TCX nest about ten deep; 64 leaves room for any extension.
pub const MAX_DEPTH: usize = 64;
/// No real tag or text in a track is anywhere near this long.
pub const MAX_TOKEN: usize = 4 * 1024 * 1024;

/// A `BufRead` that counts bytes since the last `<` and the last `>`, and refuses to go on when
/// either count passes [`MAX_TOKEN`].
pub struct Guard<R> {
    inner: R,
    since_lt: usize,
    since_gt: usize,
}

impl<R: BufRead> Guard<R> {
    pub fn new(inner: R) -> Self {
        Guard {
            inner,
            since_lt: 0,
            since_gt: 0,
        }
    }
}

impl<R: BufRead> Read for Guard<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guard<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.since_lt > MAX_TOKEN || self.since_gt > MAX_TOKEN {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a single XML token is longer than {} MB", MAX_TOKEN >> 20),
            ));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // The bytes being consumed are still at the front of the inner buffer.
        if let Ok(buf) = self.inner.fill_buf() {
            let chunk = &buf[..amt.min(buf.len())];
            self.since_lt = match chunk.iter().rposition(|&b| b == b'<') {
                Some(p) => chunk.len() - p - 1,
                None => self.since_lt + chunk.len(),
            };
            self.since_gt = match chunk.iter().rposition(|&b| b == b'>') {
                Some(p) => chunk.len() - p - 1,
                None => self.since_gt + chunk.len(),
            };
        }
        self.inner.consume(amt);
    }
}

/// Events as the importers need them.
pub enum Ev<'a> {
    /// An opening tag; `empty` for a self-closing one (no End follows).
    Start(BytesStart<'a>, bool),
    End(BytesEnd<'a>),
    Text(Cow<'a, [u8]>),
    /// Declarations, comments, processing instructions, DOCTYPE and entity references: nothing
    /// we read is in them, and entities are never expanded.
    Skip,
    Eof,
}

pub struct XmlStream<R: BufRead> {
    reader: Reader<Guard<R>>,
    buf: Vec<u8>,
    depth: usize,
}

impl<R: BufRead> XmlStream<R> {
    pub fn new(inner: R) -> Self {
        let mut reader = Reader::from_reader(Guard::new(inner));
        let cfg = reader.config_mut();
        cfg.trim_text(true);
        cfg.check_end_names = true;
        XmlStream {
            reader,
            buf: Vec::with_capacity(1024),
            depth: 0,
        }
    }

    /// The current nesting depth (the root element is depth 1).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The next event, or a clear error for damaged or hostile XML.
    pub fn next_event(&mut self) -> Result<Ev<'_>, ImportError> {
        self.buf.clear();
        let ev = match self.reader.read_event_into(&mut self.buf) {
            Ok(ev) => ev,
            Err(e) => return Err(damaged(&self.reader, self.depth, e)),
        };
        Ok(match ev {
            Event::Start(t) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(ImportError::new(format!(
                        "elements nested more than {MAX_DEPTH} deep at byte {}: not GPS data",
                        self.reader.buffer_position()
                    )));
                }
                Ev::Start(t, false)
            }
            Event::Empty(t) => Ev::Start(t, true),
            Event::End(t) => {
                self.depth = self.depth.saturating_sub(1);
                Ev::End(t)
            }
            Event::Text(t) => Ev::Text(t.into_inner()),
            Event::CData(t) => Ev::Text(t.into_inner()),
            Event::Eof if self.depth > 0 => {
                return Err(ImportError::new(
                    "the file ends before its elements are closed (truncated?)",
                ));
            }
            Event::Eof => Ev::Eof,
            _ => Ev::Skip,
        })
    }
}

/// The local name of a start tag: `gpxtpx:hr` is `hr`.
pub fn name<'a>(tag: &'a BytesStart<'_>) -> &'a [u8] {
    local(tag.name().into_inner())
}

/// The local name of an end tag.
pub fn end_name<'a>(tag: &'a BytesEnd<'_>) -> &'a [u8] {
    local(tag.name().into_inner())
}

fn damaged<R>(reader: &Reader<R>, depth: usize, e: quick_xml::Error) -> ImportError {
    if let quick_xml::Error::Io(io) = &e
        && io.kind() == io::ErrorKind::InvalidData
    {
        return ImportError::new(format!("{io}: not GPS data"));
    }
    let what = match &e {
        quick_xml::Error::Syntax(_) if depth > 0 => "the file ends in the middle of a tag (truncated?)".to_string(),
        other => other.to_string(),
    };
    ImportError::new(format!("damaged XML near byte {}: {what}", reader.error_position()))
}

/// The local part of a qualified name: `gpxtpx:hr` is `hr`.
fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().rposition(|&b| b == b':') {
        Some(p) => &qname[p + 1..],
        None => qname,
    }
}

/// The value of an attribute by local name, as bytes (only used for numbers and times).
pub fn attr<'a>(tag: &'a BytesStart<'_>, name: &[u8]) -> Option<Cow<'a, [u8]>> {
    tag.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| local(a.key.into_inner()) == name)
        .map(|a| a.value)
}

/// Parses a decimal number from element text or an attribute.
pub fn number(text: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(text).ok()?.trim();
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An endless `<a><a><a>…` stream: a gigabyte of nesting without a gigabyte anywhere.
    struct Nest {
        produced: u64,
        limit: u64,
    }

    impl Read for Nest {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let mut n = 0;
            while n + 3 <= out.len() && self.produced < self.limit {
                out[n..n + 3].copy_from_slice(b"<a>");
                n += 3;
                self.produced += 3;
            }
            Ok(n)
        }
    }

    #[test]
    fn deep_nesting_stops_at_the_limit_after_reading_almost_nothing() {
        let nest = Nest {
            produced: 0,
            limit: 1 << 30,
        };
        let mut reader = io::BufReader::with_capacity(8192, nest);
        let err = {
            let mut xml = XmlStream::new(&mut reader);
            loop {
                match xml.next_event() {
                    Ok(Ev::Eof) => panic!("should not reach the end"),
                    Ok(_) => {}
                    Err(e) => break e,
                }
            }
        };
        assert!(err.to_string().contains("nested more than 64"), "{err}");
        // Stopped within the first buffer, long before the gigabyte.
        assert!(reader.get_ref().produced <= 16 * 1024, "{}", reader.get_ref().produced);
    }

    #[test]
    fn a_huge_token_is_refused() {
        let mut data = b"<gpx><name>".to_vec();
        data.extend(std::iter::repeat_n(b'x', MAX_TOKEN + 10));
        data.extend(b"</name></gpx>");
        let mut xml = XmlStream::new(io::Cursor::new(data));
        let err = loop {
            match xml.next_event() {
                Ok(Ev::Eof) => panic!("should fail"),
                Ok(_) => {}
                Err(e) => break e,
            }
        };
        assert!(err.to_string().contains("longer than"), "{err}");
    }

    #[test]
    fn entities_are_not_expanded() {
        let doc = br#"<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY lol "lollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<gpx><name>&lol2;</name></gpx>"#;
        let mut xml = XmlStream::new(io::Cursor::new(&doc[..]));
        let mut texts = Vec::new();
        loop {
            match xml.next_event().unwrap() {
                Ev::Text(t) => texts.push(String::from_utf8_lossy(&t).to_string()),
                Ev::Eof => break,
                _ => {}
            }
        }
        assert!(texts.iter().all(|t| !t.contains("lol")), "{texts:?}");
    }

    #[test]
    fn truncation_is_reported() {
        let mut xml = XmlStream::new(io::Cursor::new(&b"<gpx><trk><trkseg><trkpt lat=\"1\" lo"[..]));
        let err = loop {
            match xml.next_event() {
                Ok(Ev::Eof) => panic!("should fail"),
                Ok(_) => {}
                Err(e) => break e,
            }
        };
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}
