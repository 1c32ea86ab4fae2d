//! Streaming XML for GPX and TCX, on quick-xml's own buffered reader.
//!
//! quick-xml reads the file through a `BufReader` one event at a time and checks that every end
//! tag matches its start tag. Around it we keep three limits: nesting deeper than [`MAX_DEPTH`]
//! stops the parse at once, and so does a single token (a tag, a text, a comment) longer than
//! [`MAX_TOKEN`] (counted as the reader consumes it, so a huge token is refused before it is all in
//! memory). Entities are never expanded: references reach no handler and a DOCTYPE is passed over,
//! so "billion laughs" and external entities do nothing.

use std::io::{self, BufReader, Read};

use quick_xml::Reader;
use quick_xml::errors::{Error as XmlError, IllFormedError};
use quick_xml::events::{BytesStart, Event};

use super::ImportError;

/// GPX and TCX nest about ten deep; 64 leaves room for any extension.
pub const MAX_DEPTH: usize = 64;
/// No real tag or text in a track is anywhere near this long.
pub const MAX_TOKEN: usize = 4 * 1024 * 1024;
/// The read buffer: large enough that the file is read in few system calls.
const BUFFER: usize = 128 * 1024;

/// What a format's parser does with the elements and text of a document.
pub trait Handler {
    /// An opening tag; `empty` for a self-closing one (no `end` follows).
    fn start(&mut self, tag: &BytesStart<'_>, empty: bool) -> Result<(), ImportError>;
    /// A closing tag, by its local name (`gpxtpx:hr` is `hr`).
    fn end(&mut self, local: &[u8]) -> Result<(), ImportError>;
    /// Text or CDATA, trimmed, entities left as written.
    fn text(&mut self, text: &[u8]) -> Result<(), ImportError>;
}

/// Events for closure-based parsers (see [`stream_events`]).
pub enum Ev<'a> {
    /// An opening tag; `true` for a self-closing one (no End follows).
    Start(&'a BytesStart<'a>, bool),
    /// A closing tag's local name.
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
            (self.0)(Ev::Start(tag, empty))
        }
        fn end(&mut self, local: &[u8]) -> Result<(), ImportError> {
            (self.0)(Ev::End(local))
        }
        fn text(&mut self, text: &[u8]) -> Result<(), ImportError> {
            (self.0)(Ev::Text(text))
        }
    }
    stream(inner, &mut Adapter(on_event))
}

/// Counts the bytes read from the file since the last event, and refuses to read more once a
/// single token has passed [`MAX_TOKEN`] (quick-xml reads a token whole into its buffer). It sits
/// under the `BufReader`, so it is asked only once per buffer, and may let a token run at most one
/// buffer past the limit before it stops it.
struct TokenLimit<R> {
    inner: R,
    since_event: usize,
}

impl<R: Read> Read for TokenLimit<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.since_event > MAX_TOKEN {
            return Err(io::Error::other(TokenTooLong));
        }
        let n = self.inner.read(out)?;
        self.since_event += n;
        Ok(n)
    }
}

#[derive(Debug)]
struct TokenTooLong;

impl std::fmt::Display for TokenTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a single XML token is longer than {} MB", MAX_TOKEN >> 20)
    }
}

impl std::error::Error for TokenTooLong {}

/// Passes UTF-8 through and turns each byte that is not part of valid UTF-8 into the Latin-1
/// character of that value: quick-xml reads UTF-8 only, and old GPX files are often ISO-8859-1
/// (declared or not). A Latin-1 file comes out exactly right; a UTF-8 file with a stray byte loses
/// one letter of a name, not the run. Valid UTF-8 is read straight into the caller's buffer.
struct Latin1Fallback<R> {
    inner: R,
    /// Bytes read but not yet given out because they (or a sequence cut by a read) need care.
    pending: Vec<u8>,
    eof: bool,
    /// Hand the bytes on unchecked ([`Text::Utf8`]): quick-xml checks them itself.
    pass_through: bool,
}

impl<R: Read> Read for Latin1Fallback<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.pass_through {
            return self.inner.read(out);
        }
        loop {
            if self.pending.is_empty() {
                if self.eof {
                    return Ok(0);
                }
                let n = loop {
                    match self.inner.read(out) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        r => break r?,
                    }
                };
                if n == 0 {
                    self.eof = true;
                    return Ok(0);
                }
                match std::str::from_utf8(&out[..n]) {
                    Ok(_) => return Ok(n),
                    Err(e) => {
                        let valid = e.valid_up_to();
                        self.pending.extend_from_slice(&out[valid..n]);
                        if valid > 0 {
                            return Ok(valid);
                        }
                    }
                }
            }
            // The slow path: bytes that were not valid UTF-8 as read.
            match std::str::from_utf8(&self.pending) {
                Ok(_) => return Ok(self.give(out, self.pending.len())),
                Err(e) if e.valid_up_to() > 0 => return Ok(self.give(out, e.valid_up_to())),
                // A sequence cut by the end of what was read: read on to complete it.
                Err(e) if e.error_len().is_none() && !self.eof => {
                    let mut more = [0u8; 4];
                    let n = self.inner.read(&mut more)?;
                    if n == 0 {
                        self.eof = true;
                    }
                    self.pending.extend_from_slice(&more[..n]);
                }
                Err(_) => {
                    // The first byte is not UTF-8: it is the Latin-1 letter of that value.
                    let mut utf8 = [0u8; 2];
                    let n = char::from(self.pending[0]).encode_utf8(&mut utf8).len();
                    self.pending.splice(0..1, utf8[..n].iter().copied());
                    return Ok(self.give(out, n));
                }
            }
        }
    }
}

impl<R> Latin1Fallback<R> {
    /// Hands out up to `n` pending bytes (never splitting a character: `out` is a buffer's worth).
    fn give(&mut self, out: &mut [u8], n: usize) -> usize {
        let n = n.min(out.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        n
    }
}

/// Streams a document through `handler`, which sees elements and text only; declarations,
/// comments, processing instructions, DOCTYPE and entity references are passed over.
pub fn stream(inner: impl Read, handler: &mut impl Handler) -> Result<(), ImportError> {
    let ends = run(inner, handler, Part::Whole, Text::Latin1Fallback)?;
    if ends.depth > 0 {
        return Err(ImportError::new(
            "the file ends before its elements are closed (truncated?)",
        ));
    }
    Ok(())
}

/// Which part of a document a stream is: the whole, or one of two halves of a file parsed at once
/// on two threads (see [`super::gpx::parse_file`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Whole,
    /// The start of a document, cut just before a tag: elements may stay open at its end.
    First,
    /// The rest, from that tag on, with `outer` elements open around it.
    Rest {
        outer: usize,
    },
}

/// How a part ends, for joining the parts: quick-xml checks each part's own end tags; these are
/// the elements a part leaves open and the next one closes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PartEnds {
    /// Elements open at the end (outermost first), by local name, as far as [`OPEN_NAMES_KEPT`].
    pub open: Vec<Vec<u8>>,
    /// How many elements are open at the end.
    pub depth: usize,
    /// Elements closed that opened before this part (innermost first), by local name.
    pub closed_before: Vec<Vec<u8>>,
}

/// A split is only ever made inside `<gpx><trk><trkseg>`: deeper names need not be kept.
pub const OPEN_NAMES_KEPT: usize = 3;

/// How the bytes of a document are taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// As UTF-8, with each byte that is not read as its Latin-1 letter (see [`Latin1Fallback`]).
    Latin1Fallback,
    /// As UTF-8 only: bytes that are not stop the parse with [`NOT_UTF8`]. For a file that can
    /// be read again from the start, which is faster when (as nearly always) it is UTF-8.
    Utf8,
}

/// The error of a [`Text::Utf8`] parse that met bytes that are not UTF-8.
pub const NOT_UTF8: &str = "the file is not UTF-8";

/// Streams `inner` as `part` of a document.
pub fn stream_part(
    inner: impl Read,
    handler: &mut impl Handler,
    part: Part,
    text: Text,
) -> Result<PartEnds, ImportError> {
    run(inner, handler, part, text)
}

fn run(inner: impl Read, handler: &mut impl Handler, part: Part, text: Text) -> Result<PartEnds, ImportError> {
    let inner = TokenLimit { inner, since_event: 0 };
    let text = Latin1Fallback {
        inner,
        pending: Vec::new(),
        eof: false,
        pass_through: text == Text::Utf8,
    };
    let mut reader = Reader::from_reader(BufReader::with_capacity(BUFFER, text));
    configure(&mut reader, part);
    let mut buf = Vec::with_capacity(1024);
    let mut ends = PartEnds::default();
    loop {
        buf.clear();
        reader.get_mut().get_mut().inner.since_event = 0;
        let at = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(e, at, reader.error_position()))?;
        if !on_event(event, at, part, &mut ends, handler)? {
            return Ok(ends);
        }
    }
}

/// Parses `part` of a document held in memory, on quick-xml's reader over a slice (its events
/// borrow from the bytes, nothing is copied). Bytes that are not UTF-8 stop it with
/// [`NOT_UTF8`].
pub fn parse_slice(bytes: &[u8], handler: &mut impl Handler, part: Part) -> Result<PartEnds, ImportError> {
    let mut reader = Reader::from_reader(bytes);
    configure(&mut reader, part);
    let mut ends = PartEnds::default();
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| xml_error(e, at, reader.error_position()))?;
        if !on_event(event, at, part, &mut ends, handler)? {
            return Ok(ends);
        }
    }
}

fn configure<R>(reader: &mut Reader<R>, part: Part) {
    let config = reader.config_mut();
    config.trim_text(true);
    // A later part of a split document closes elements it never saw open: quick-xml checks
    // every end tag against the start tags it read, and lets those through.
    config.allow_unmatched_ends = matches!(part, Part::Rest { .. });
}

/// One event: depth and the names open at the top kept, then the handler. `false` at the end.
fn on_event(
    event: Event<'_>,
    at: u64,
    part: Part,
    ends: &mut PartEnds,
    handler: &mut impl Handler,
) -> Result<bool, ImportError> {
    match event {
        Event::Start(tag) => {
            let outer = match part {
                Part::Rest { outer } => outer,
                _ => 0,
            };
            if ends.depth + outer >= MAX_DEPTH {
                return Err(ImportError::new(format!(
                    "elements nested more than {MAX_DEPTH} deep at byte {at}: not GPS data"
                )));
            }
            ends.depth += 1;
            if part != Part::Whole && ends.depth <= OPEN_NAMES_KEPT {
                ends.open.truncate(ends.depth - 1);
                ends.open.push(name(&tag).to_vec());
            }
            handler.start(&tag, false)?;
        }
        Event::Empty(tag) => handler.start(&tag, true)?,
        Event::End(tag) => {
            let local = local(tag.name().into_inner().as_bytes());
            if ends.depth == 0 {
                // Only a later part of a split document gets here (quick-xml refuses it otherwise).
                ends.closed_before.push(local.to_vec());
            } else {
                ends.depth -= 1;
                ends.open.truncate(ends.depth.min(OPEN_NAMES_KEPT));
            }
            handler.end(local)?;
        }
        Event::Text(text) => handler.text(text.as_bytes())?,
        Event::CData(text) => handler.text(text.trim_ascii().as_bytes())?,
        Event::Eof => return Ok(false),
        // Declarations, comments, processing instructions, DOCTYPE, entity references.
        _ => {}
    }
    Ok(true)
}

/// Our message for a quick-xml error at byte `at` (the token's start) or `pos` (the error).
fn xml_error(e: XmlError, at: u64, pos: u64) -> ImportError {
    match e {
        XmlError::Encoding(_) => ImportError::new(NOT_UTF8),
        XmlError::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<TokenTooLong>()) => {
            ImportError::new(format!("{io} at byte {at}: not GPS data"))
        }
        XmlError::Io(io) => ImportError::from(io::Error::new(io.kind(), io.to_string())),
        // Every syntax error quick-xml reports is a token left open: the data ended inside it.
        XmlError::Syntax(_) => ImportError::new(format!(
            "the file ends in the middle of a tag at byte {at} (truncated?)"
        )),
        XmlError::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => ImportError::new(format!(
            "damaged XML at byte {at}: </{found}> does not close the element that is open (<{expected}>)"
        )),
        XmlError::IllFormed(IllFormedError::UnmatchedEndTag(name)) => ImportError::new(format!(
            "damaged XML at byte {at}: </{name}> is a closing tag with no opening one"
        )),
        other => ImportError::new(format!("damaged XML near byte {pos}: {other}")),
    }
}

/// The local name of a start tag: `gpxtpx:hr` is `hr`.
pub fn name<'a>(tag: &'a BytesStart<'_>) -> &'a [u8] {
    local(tag.name().into_inner().as_bytes())
}

/// The local part of a qualified name: `gpxtpx:hr` is `hr`. A name has at most one colon, so
/// the scan from the front stops after the (short) prefix.
pub fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&b| b == b':') {
        Some(p) => &qname[p + 1..],
        None => qname,
    }
}

/// The value of an attribute by local name, as bytes (only used for numbers, times and sport
/// names).
pub fn attr<'a>(tag: &'a BytesStart<'_>, name: &[u8]) -> Option<std::borrow::Cow<'a, [u8]>> {
    use std::borrow::Cow;
    tag.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| local(a.key.into_inner().as_bytes()) == name)
        .map(|a| match a.value {
            Cow::Borrowed(v) => Cow::Borrowed(v.as_bytes()),
            Cow::Owned(v) => Cow::Owned(v.into_bytes()),
        })
}

/// Both values of two attributes, by local name, in one pass over the tag's raw attributes
/// (`lat` and `lon` on every track point: the hot path, where quick-xml's attribute iterator
/// costs more than the scan). Values are taken as written: these are numbers.
pub fn two_attrs<'a>(tag: &'a BytesStart<'_>, a: &[u8], b: &[u8]) -> (Option<&'a [u8]>, Option<&'a [u8]>) {
    let mut raw = tag.attributes_raw().as_bytes();
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
        let mut reader = Nest {
            produced: 0,
            limit: 1 << 30,
        };
        let err = stream_events(&mut reader, |_| Ok(())).expect_err("should not reach the end");
        assert!(err.to_string().contains("nested more than 64"), "{err}");
        // Stopped within the first buffer, long before the gigabyte.
        assert!(reader.produced <= 2 * BUFFER as u64, "{}", reader.produced);
    }

    /// `<gpx><name>` then endless `x`: a token that never ends.
    struct EndlessText {
        produced: u64,
    }

    impl Read for EndlessText {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            const HEAD: &[u8] = b"<gpx><name>";
            for (k, b) in out.iter_mut().enumerate() {
                let i = self.produced as usize + k;
                *b = HEAD.get(i).copied().unwrap_or(b'x');
            }
            self.produced += out.len() as u64;
            Ok(out.len())
        }
    }

    #[test]
    fn a_huge_token_is_refused_before_it_is_all_read() {
        let mut endless = EndlessText { produced: 0 };
        let err = texts(&mut endless).expect_err("should fail");
        assert!(err.to_string().contains("longer than 4 MB"), "{err}");
        assert!(
            endless.produced <= (MAX_TOKEN + 3 * BUFFER) as u64,
            "{}",
            endless.produced
        );
        // Just under the limit is fine.
        let mut data = b"<gpx><name>".to_vec();
        data.extend(std::iter::repeat_n(b'x', MAX_TOKEN - 100));
        data.extend(b"</name></gpx>");
        assert_eq!(texts(&data[..]).unwrap().len(), 5);
    }

    #[test]
    fn entities_are_not_expanded() {
        let doc = br#"<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY lol "lollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<gpx><name>&lol2;</name><x>a&amp;b</x></gpx>"#;
        let all = texts(&doc[..]).unwrap();
        assert!(all.iter().all(|t| !t.contains("lol")), "{all:?}");
        assert!(!all.iter().any(|t| t.contains('&')), "{all:?}");
    }

    /// Hands out its data a few bytes at a time, so every read ends somewhere new.
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
                Ev::Start(t, _) => format!("<{}>", String::from_utf8_lossy(name(t))),
                Ev::End(t) => format!("</{}>", String::from_utf8_lossy(t)),
            });
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn reads_cut_anywhere_give_the_same_events() {
        let doc = b"<?xml version=\"1.0\"?><gpx><!-- a <comment> with <angles> --><a x=\"1\">12.5</a><![CDATA[x<y]]><b/></gpx>";
        let whole = texts(&doc[..]).unwrap();
        for step in 1..12 {
            assert_eq!(texts(Trickle(doc, step)).unwrap(), whole, "step {step}");
        }
        assert_eq!(whole, ["<gpx>", "<a>", "12.5", "</a>", "x<y", "<b>", "</gpx>"]);
    }

    #[test]
    fn mismatched_tags_are_damage_whatever_their_length() {
        let err = texts(&b"<gpx><trk></trkseg></gpx>"[..]).unwrap_err();
        assert!(err.to_string().contains("</trkseg> does not close"), "{err}");
        // Same length, same first and last eight bytes: still two different names.
        let err = texts(&b"<gpx><gpxtpx:TrackPointExtensionAxxxxxxxx></gpxtpx:TrackPointExtensionBxxxxxxxx></gpx>"[..])
            .unwrap_err();
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
                let (a, b) = two_attrs(t, b"lat", b"lon");
                got = (a.and_then(number), b.and_then(number));
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(got, (Some(46.5), Some(14.25)));
    }

    #[test]
    fn latin1_bytes_become_their_letters() {
        let doc =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><gpx><name>Plan\xe8ina</name><x>\xc3\xa9t\xe9</x></gpx>";
        let all = texts(&doc[..]).unwrap();
        assert_eq!(all[2], "Planèina");
        assert_eq!(all[5], "été");
        // Every cut of the same bytes reads the same.
        for step in 1..9 {
            assert_eq!(texts(Trickle(doc, step)).unwrap(), all, "step {step}");
        }
    }

    #[test]
    fn truncation_is_reported() {
        let err = texts(&b"<gpx><trk><trkseg><trkpt lat=\"1\" lo"[..]).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
        let err = texts(&b"<gpx><trk><trkseg>"[..]).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}
