//! A guarded streaming XML reader for GPX and TCX.
//!
//! The file is read in blocks into one buffer; quick-xml parses each block in place, without
//! copying events, up to the last `<` in the block (so no token is cut), and the unread tail moves
//! to the front before the next read. The buffer only grows when a single token does not fit, and
//! never past [`MAX_TOKEN`], so memory stays bounded whatever the file. Nesting deeper than
//! [`MAX_DEPTH`] stops the parse at once. Entities are never expanded: a DOCTYPE is passed over,
//! so "billion laughs" and external entities do nothing. End tags are checked against their start
//! tags here, since each block is parsed by a fresh quick-xml reader.

use std::io::{self, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ImportError;

/// GPX and TCX nest about ten deep; 64 leaves room for any extension.
pub const MAX_DEPTH: usize = 64;
/// No real tag or text in a track is anywhere near this long.
pub const MAX_TOKEN: usize = 4 * 1024 * 1024;
/// The first size of the block buffer.
const BLOCK: usize = 256 * 1024;

/// What a format's parser does with the elements and text of a document.
pub trait Handler {
    /// An opening tag; `empty` for a self-closing one (no `end` follows).
    fn start(&mut self, tag: &BytesStart<'_>, empty: bool) -> Result<(), ImportError>;
    /// A closing tag, by its qualified name (see [`local`]).
    fn end(&mut self, qname: &[u8]) -> Result<(), ImportError>;
    /// Text or CDATA, trimmed, entities left as written.
    fn text(&mut self, text: &[u8]) -> Result<(), ImportError>;
}

/// Events for closure-based parsers (see [`stream_events`]).
pub enum Ev<'a> {
    /// An opening tag; `true` for a self-closing one (no End follows).
    Start(BytesStart<'a>, bool),
    /// A closing tag's qualified name.
    End(&'a [u8]),
    Text(&'a [u8]),
}

/// [`stream`] with a closure that receives [`Ev`] events.
pub fn stream_events(
    inner: impl Read,
    on_event: impl FnMut(Ev<'_>) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    struct Adapter<F>(F);
    impl<F: FnMut(Ev<'_>) -> Result<(), ImportError>> Handler for Adapter<F> {
        fn start(&mut self, tag: &BytesStart<'_>, empty: bool) -> Result<(), ImportError> {
            (self.0)(Ev::Start(tag.borrow(), empty))
        }
        fn end(&mut self, qname: &[u8]) -> Result<(), ImportError> {
            (self.0)(Ev::End(qname))
        }
        fn text(&mut self, text: &[u8]) -> Result<(), ImportError> {
            (self.0)(Ev::Text(text))
        }
    }
    stream(inner, &mut Adapter(on_event))
}

/// The read buffer: blocks of the file, parsed up to the last `<` that has arrived.
struct Blocks<R> {
    inner: R,
    block: Vec<u8>,
    /// Parse position, end of what may be parsed now (just before a `<`), and end of the data.
    pos: usize,
    end: usize,
    filled: usize,
    eof: bool,
    /// The token at `pos` runs past `end`: read more before parsing again.
    need_more: bool,
    /// Bytes dropped from the front of the buffer so far, for error positions.
    offset: u64,
}

impl<R: Read> Blocks<R> {
    /// Moves the unread tail to the front and reads until a whole token is available.
    /// `false` at the end of the data.
    fn refill(&mut self) -> Result<bool, ImportError> {
        if self.pos > 0 {
            self.block.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.end = self.end.saturating_sub(self.pos);
            self.offset += self.pos as u64;
            self.pos = 0;
        }
        // After a cut token, the new end must lie beyond the old one.
        let min_end = if self.need_more { self.end + 1 } else { 1 };
        self.need_more = false;
        loop {
            if self.eof {
                self.end = self.filled;
                return Ok(self.filled > 0);
            }
            if let Some(p) = self.block[..self.filled].iter().rposition(|&b| b == b'<')
                && p >= min_end
            {
                self.end = p;
                return Ok(true);
            }
            if self.filled == self.block.len() {
                if self.block.len() >= MAX_TOKEN {
                    return Err(ImportError::new(format!(
                        "a single XML token is longer than {} MB at byte {}: not GPS data",
                        MAX_TOKEN >> 20,
                        self.offset
                    )));
                }
                self.block.resize(self.block.len() * 2, 0);
            }
            match self.inner.read(&mut self.block[self.filled..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// A cheap exact-enough signature of an element name: its length and its first and last eight
/// bytes (the whole name for names up to 16 bytes, which covers GPX and TCX).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameKey {
    len: usize,
    head: u64,
    tail: u64,
}

impl NameKey {
    fn of(name: &[u8]) -> Self {
        let len = name.len();
        let (head, tail) = match (name.first_chunk::<8>(), name.last_chunk::<8>()) {
            (Some(h), Some(t)) => (u64::from_le_bytes(*h), u64::from_le_bytes(*t)),
            // Shorter than 8 bytes: the whole name, packed.
            _ => {
                let packed = name.iter().fold(0u64, |acc, &b| acc << 8 | b as u64);
                (packed, 0)
            }
        };
        NameKey { len, head, tail }
    }
}

/// The open elements, innermost last.
#[derive(Default)]
struct Open {
    keys: Vec<NameKey>,
    /// For a part that starts mid-document: elements closed here that opened before it.
    outer: Option<Vec<NameKey>>,
    /// How deep the part may nest, the elements open before it taken off.
    limit: usize,
}

impl Open {
    fn push(&mut self, name: &[u8], at: u64) -> Result<(), ImportError> {
        if self.keys.len() >= self.limit {
            return Err(ImportError::new(format!(
                "elements nested more than {MAX_DEPTH} deep at byte {at}: not GPS data"
            )));
        }
        self.keys.push(NameKey::of(name));
        Ok(())
    }

    fn pop(&mut self, name: &[u8], at: u64) -> Result<(), ImportError> {
        match self.keys.pop() {
            Some(key) if key == NameKey::of(name) => Ok(()),
            Some(_) => Err(ImportError::new(format!(
                "damaged XML at byte {at}: </{}> does not close the element that is open",
                String::from_utf8_lossy(name)
            ))),
            None => match self.outer.as_mut() {
                Some(outer) => {
                    outer.push(NameKey::of(name));
                    Ok(())
                }
                None => Err(ImportError::new(format!(
                    "damaged XML at byte {at}: a closing tag with no opening one"
                ))),
            },
        }
    }
}

/// Where a part of a document split in two stands: the elements still open at its end, and
/// those it closed without having opened them (innermost first).
#[derive(Debug, Default)]
pub struct PartEnds {
    open_at_end: Vec<NameKey>,
    closed_from_before: Vec<NameKey>,
}

impl PartEnds {
    /// True when `later` continues exactly where `self` stopped: it closes the elements left
    /// open, innermost first, and leaves nothing open itself.
    /// How many elements are open at the end of the part.
    pub fn depth(&self) -> usize {
        self.open_at_end.len()
    }

    pub fn joins(&self, later: &PartEnds) -> bool {
        later.open_at_end.is_empty()
            && self.closed_from_before.is_empty()
            && later.closed_from_before.iter().eq(self.open_at_end.iter().rev())
    }
}

/// Streams one part of a document split in two for parallel parsing. `first`: the part that
/// starts the document (elements may stay open at its end); otherwise the part that ends it,
/// starting at a tag with `outer_depth` elements open around it.
pub fn stream_part(
    inner: impl Read,
    handler: &mut impl Handler,
    first: bool,
    outer_depth: usize,
) -> Result<PartEnds, ImportError> {
    let mut open = Open {
        keys: Vec::new(),
        outer: (!first).then(Vec::new),
        limit: MAX_DEPTH.saturating_sub(outer_depth),
    };
    run(inner, handler, &mut open)?;
    Ok(PartEnds {
        open_at_end: open.keys,
        closed_from_before: open.outer.unwrap_or_default(),
    })
}

/// Streams a document through `handler`, which sees elements and text only; declarations,
/// comments, processing instructions, DOCTYPE and entity references are passed over.
pub fn stream(inner: impl Read, handler: &mut impl Handler) -> Result<(), ImportError> {
    let mut open = Open {
        limit: MAX_DEPTH,
        ..Open::default()
    };
    run(inner, handler, &mut open)?;
    if !open.keys.is_empty() {
        return Err(ImportError::new(
            "the file ends before its elements are closed (truncated?)",
        ));
    }
    Ok(())
}

fn run(inner: impl Read, handler: &mut impl Handler, open: &mut Open) -> Result<(), ImportError> {
    let mut b = Blocks {
        inner,
        block: vec![0; BLOCK],
        pos: 0,
        end: 0,
        filled: 0,
        eof: false,
        need_more: false,
        offset: 0,
    };
    loop {
        if b.need_more || b.pos >= b.end {
            if !b.refill()? {
                break;
            }
            continue;
        }
        let base = b.offset + b.pos as u64;
        let slice = &b.block[b.pos..b.end];
        // One reader per block: it borrows the block, so events are never copied.
        let mut reader = Reader::from_reader(slice);
        let cfg = reader.config_mut();
        cfg.trim_text(true);
        cfg.check_end_names = false;
        cfg.allow_unmatched_ends = true;
        let mut consumed = 0usize;
        let mut need_more = false;
        let result = loop {
            let at = base + consumed as u64;
            let ev = match reader.read_event() {
                Ok(Event::Eof) => {
                    consumed = slice.len();
                    break Ok(());
                }
                Ok(ev) => ev,
                // Every syntax error quick-xml reports is "the input ended inside a token":
                // here that is our cut, unless the data itself has ended.
                Err(quick_xml::Error::Syntax(_)) if !b.eof => {
                    need_more = true;
                    break Ok(());
                }
                Err(quick_xml::Error::Syntax(_)) => {
                    break Err(ImportError::new(format!(
                        "the file ends in the middle of a tag at byte {at} (truncated?)"
                    )));
                }
                Err(e) => {
                    break Err(ImportError::new(format!(
                        "damaged XML near byte {}: {e}",
                        base + reader.error_position()
                    )));
                }
            };
            let step = match ev {
                Event::Start(t) => open
                    .push(t.name().into_inner(), at)
                    .and_then(|_| handler.start(&t, false)),
                Event::Empty(t) => handler.start(&t, true),
                Event::End(t) => {
                    let qname = t.name().into_inner();
                    open.pop(qname, at).and_then(|_| handler.end(qname))
                }
                Event::Text(t) => handler.text(&t),
                Event::CData(t) => handler.text(&t),
                _ => Ok(()),
            };
            if let Err(e) = step {
                break Err(e);
            }
            consumed = reader.buffer_position() as usize;
        };
        b.pos += consumed;
        b.need_more = need_more;
        result?;
    }
    Ok(())
}

/// The local name of a start tag: `gpxtpx:hr` is `hr`.
pub fn name<'a>(tag: &'a BytesStart<'_>) -> &'a [u8] {
    local(tag.name().into_inner())
}

/// The local part of a qualified name: `gpxtpx:hr` is `hr`. A name has at most one colon, so
/// the scan from the front stops after the (short) prefix.
pub fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&b| b == b':') {
        Some(p) => &qname[p + 1..],
        None => qname,
    }
}

/// The value of an attribute by local name, as bytes (only used for numbers and times).
pub fn attr<'a>(tag: &'a BytesStart<'_>, name: &[u8]) -> Option<std::borrow::Cow<'a, [u8]>> {
    tag.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| local(a.key.into_inner()) == name)
        .map(|a| a.value)
}

/// Both values of two attributes, by local name, in one pass over the tag's raw attributes
/// (`lat` and `lon` on every track point: the hot path).
pub fn two_attrs<'a>(tag: &'a BytesStart<'_>, a: &[u8], b: &[u8]) -> (Option<&'a [u8]>, Option<&'a [u8]>) {
    let mut raw = tag.attributes_raw();
    let (mut va, mut vb) = (None, None);
    loop {
        raw = raw.trim_ascii_start();
        let Some(eq) = raw.iter().position(|&c| c == b'=') else {
            break;
        };
        let key = local(raw[..eq].trim_ascii_end());
        let rest = raw[eq + 1..].trim_ascii_start();
        let Some((&quote, after)) = rest.split_first() else {
            break;
        };
        if quote != b'"' && quote != b'\'' {
            break;
        }
        let Some(close) = after.iter().position(|&c| c == quote) else {
            break;
        };
        let value = &after[..close];
        if key == a {
            va = Some(value);
        } else if key == b {
            vb = Some(value);
        }
        raw = &after[close + 1..];
    }
    (va, vb)
}

/// Parses a decimal number from element text or an attribute.
pub fn number(text: &[u8]) -> Option<f64> {
    if let Some(v) = short_decimal(text) {
        return Some(v);
    }
    let v: f64 = std::str::from_utf8(text.trim_ascii()).ok()?.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Plain decimals of up to 15 significant digits ("46.0500171", "-3", "12.5"): the digits as an
/// integer, which is exact below 2^53, divided by an exact power of ten, which IEEE division
/// rounds correctly (Clinger's fast path). Anything else returns `None` for the full parser.
fn short_decimal(t: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (neg, digits) = match t.first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut dot = usize::MAX;
    for (i, &b) in digits.iter().enumerate() {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            mantissa = mantissa * 10 + d as u64;
        } else if b == b'.' && dot == usize::MAX {
            dot = i;
        } else {
            return None;
        }
    }
    let (count, frac) = match dot {
        usize::MAX => (digits.len(), 0),
        d => (digits.len() - 1, digits.len() - 1 - d),
    };
    if count == 0 || count > 15 {
        return None;
    }
    let v = mantissa as f64 / POW10[frac];
    Some(if neg { -v } else { v })
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
        let mut reader = nest;
        let err = stream_events(&mut reader, |_| Ok(())).expect_err("should not reach the end");
        assert!(err.to_string().contains("nested more than 64"), "{err}");
        // Stopped within the first block, long before the gigabyte.
        assert!(reader.produced <= 2 * BLOCK as u64, "{}", reader.produced);
    }

    #[test]
    fn a_huge_token_is_refused() {
        let mut data = b"<gpx><name>".to_vec();
        data.extend(std::iter::repeat_n(b'x', MAX_TOKEN + 10));
        data.extend(b"</name></gpx>");
        let err = texts(&data[..]).expect_err("should fail");
        assert!(err.to_string().contains("longer than"), "{err}");
    }

    #[test]
    fn entities_are_not_expanded() {
        let doc = br#"<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY lol "lollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<gpx><name>&lol2;</name></gpx>"#;
        let all = texts(&doc[..]).unwrap();
        assert!(all.iter().all(|t| !t.contains("lol")), "{all:?}");
    }

    /// Hands out its data a few bytes at a time, so tokens are cut at every possible place.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(out.len()).min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn texts(input: impl Read) -> Result<Vec<String>, ImportError> {
        let mut out = Vec::new();
        stream_events(input, |ev| {
            out.push(match ev {
                Ev::Text(t) => String::from_utf8_lossy(t).into_owned(),
                Ev::Start(t, _) => format!("<{}>", String::from_utf8_lossy(name(&t))),
                Ev::End(t) => format!("</{}>", String::from_utf8_lossy(local(t))),
            });
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn block_boundaries_never_cut_a_token() {
        let doc = b"<?xml version=\"1.0\"?><gpx><!-- a <comment> with <angles> --><a x=\"1\">12.5</a><![CDATA[x<y]]><b/></gpx>";
        let whole = texts(&doc[..]).unwrap();
        for step in 1..12 {
            assert_eq!(texts(Trickle(doc, step)).unwrap(), whole, "step {step}");
        }
        assert_eq!(whole, ["<gpx>", "<a>", "12.5", "</a>", "x<y", "<b>", "</gpx>"]);
    }

    #[test]
    fn mismatched_tags_are_damage() {
        let err = texts(&b"<gpx><trk></trkseg></gpx>"[..]).unwrap_err();
        assert!(err.to_string().contains("</trkseg> does not close"), "{err}");
        let err = texts(&b"<gpx><gpxtpx:TrackPointExtensionA></gpxtpx:TrackPointExtensionB></gpx>"[..]).unwrap_err();
        assert!(err.to_string().contains("does not close"), "{err}");
        let err = texts(&b"<gpx></gpx></gpx>"[..]).unwrap_err();
        assert!(err.to_string().contains("no opening"), "{err}");
    }

    #[test]
    fn numbers_parse_exactly_like_the_standard_parser() {
        for s in [
            "46.0500171",
            "-122.4574400",
            "0",
            "-0.5",
            "+3",
            "300.0",
            ".5",
            "5.",
            "123456789012345",
            "0.000000000000001",
        ] {
            let want: f64 = s.parse().unwrap();
            assert_eq!(number(s.as_bytes()), Some(want), "{s}");
        }
        // Too many digits, exponents, junk: the standard parser decides.
        assert_eq!(number(b"1234567890.1234567"), Some(1234567890.1234567));
        assert_eq!(
            number(b"37.7980440109968185424804688"),
            Some("37.7980440109968185424804688".parse().unwrap())
        );
        assert_eq!(number(b"1e3"), Some(1000.0));
        assert_eq!(number(b" 12.5 "), Some(12.5));
        for bad in ["", "-", ".", "1.2.3", "abc", "inf", "NaN", "1,5"] {
            assert_eq!(number(bad.as_bytes()), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn short_decimals_round_like_the_standard_parser(int in 0u64..1_000_000, frac in 0u64..100_000_000, neg: bool) {
            let s = format!("{}{int}.{frac:08}", if neg { "-" } else { "" });
            proptest::prop_assert_eq!(number(s.as_bytes()), Some(s.parse::<f64>().unwrap()));
        }
    }

    #[test]
    fn two_attributes_in_one_pass() {
        let doc = b"<trkpt  lat = '46.5' x=\"a=b\" gpx:lon=\"14.25\"/>";
        let mut got = (None, None);
        stream_events(&doc[..], |ev| {
            if let Ev::Start(t, _) = ev {
                let (a, b) = two_attrs(&t, b"lat", b"lon");
                got = (a.and_then(number), b.and_then(number));
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(got, (Some(46.5), Some(14.25)));
    }

    #[test]
    fn truncation_is_reported() {
        let err = texts(&b"<gpx><trk><trkseg><trkpt lat=\"1\" lo"[..]).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
        let err = texts(&b"<gpx><trk><trkseg>"[..]).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}
