//! Tables that fit where they are printed.
//!
//! Each table names its columns, and for each how much it matters ([`Column::priority`]) and
//! whether its cells may wrap ([`Column::wrap`]). Laid out for
//! - a terminal of `W` columns: every column at its natural width if that fits; else the
//!   wrapping columns narrowed, never below their longest word, so a cell wraps between words
//!   and never letter by letter; else the least important column dropped, and again, with a
//!   one-line footnote naming what was left out;
//! - a pipe or a file: no width limit, every column, one row per line, nothing wrapped, so
//!   `grep`, `awk` and `cut` see whole rows.
//!
//! comfy-table draws the result; the widths are decided here, so what it is given always fits.

use comfy_table::{Attribute, CellAlignment, Color, ContentArrangement, LineStyle, TableStyle};
use textwrap::core::display_width;

use super::{Output, Tone, glyphs, text};

/// The priority of a column that is never dropped.
pub const ESSENTIAL: u8 = u8::MAX;

/// One column: its header, how much it matters, and how its cells behave.
#[derive(Clone, Debug)]
pub struct Column {
    header: String,
    /// What the footnote calls the column when it is dropped (the header unless it is cryptic).
    name: Option<String>,
    priority: u8,
    wrap: bool,
    right: bool,
}

impl Column {
    /// An essential column: never dropped, never wrapped, left-aligned.
    pub fn new(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            name: None,
            priority: ESSENTIAL,
            wrap: false,
            right: false,
        }
    }

    /// A column that may be left out on a narrow terminal: the lowest priority goes first (on
    /// a tie, the rightmost).
    pub fn priority(mut self, priority: u8) -> Column {
        self.priority = priority;
        self
    }

    /// Cells of prose or names that may wrap at spaces on a narrow terminal.
    pub fn wrap(mut self) -> Column {
        self.wrap = true;
        self
    }

    /// Right-aligned (numbers).
    pub fn right(mut self) -> Column {
        self.right = true;
        self
    }

    /// The column's name in the footnote, when the header alone would not say it ("/km").
    pub fn named(mut self, name: impl Into<String>) -> Column {
        self.name = Some(name.into());
        self
    }
}

/// One cell: its text, and a colour when colour is on.
#[derive(Clone, Debug, Default)]
pub struct Cell {
    text: String,
    tone: Option<Tone>,
}

impl Cell {
    pub fn painted(text: impl Into<String>, tone: Option<Tone>) -> Cell {
        Cell {
            text: text.into(),
            tone,
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell { text, tone: None }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// A table before layout.
#[derive(Clone, Debug)]
pub struct Table {
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are empty, extra ones are ignored.
    pub fn row<C: Into<Cell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        let mut row: Vec<Cell> = cells.into_iter().map(Into::into).take(self.columns.len()).collect();
        row.resize_with(self.columns.len(), Cell::default);
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Where each column went: its width, or `None` when it was dropped.
#[derive(Debug, PartialEq, Eq)]
struct Layout {
    widths: Vec<Option<usize>>,
}

/// Columns are two spaces apart: a space of padding and the junction comfy-table keeps even
/// when no vertical line is drawn (the header rule runs through it).
const GAP: usize = 2;

/// A wrapping cell is not narrowed below this many columns (or its longest word) while a less
/// important column could make room instead: a name folded into one word per line helps no one.
const COMFORTABLE: usize = 16;

/// Chooses widths for a table whose cells have these natural widths and these smallest widths
/// (the longest word of a wrapping column). In order: everything at its natural width; the
/// wrapping columns narrowed to a comfortable width; the least important column dropped and
/// both tried again; when only essential columns are left, wrapping down to the longest word.
fn layout(columns: &[Column], natural: &[usize], least: &[usize], width: Option<usize>) -> Layout {
    let Some(width) = width else {
        return Layout {
            widths: natural.iter().map(|w| Some(*w)).collect(),
        };
    };
    let comfortable: Vec<usize> = (0..columns.len())
        .map(|i| least[i].max(natural[i].min(COMFORTABLE)))
        .collect();
    let mut shown: Vec<usize> = (0..columns.len()).collect();
    loop {
        let gaps = GAP * shown.len().saturating_sub(1);
        let sum = |ws: &[usize]| shown.iter().map(|&i| ws[i]).sum::<usize>() + gaps;
        let droppable = shown
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].priority < ESSENTIAL)
            .min_by_key(|(pos, i)| (columns[**i].priority, usize::MAX - pos))
            .map(|(pos, _)| pos);
        let floor = if sum(natural) <= width {
            natural
        } else if sum(&comfortable) <= width {
            &comfortable[..]
        } else if let Some(pos) = droppable {
            shown.remove(pos);
            continue;
        } else {
            least
        };
        // The wrapping columns share what is left, up to their natural widths.
        let mut w = floor.to_vec();
        let mut spare = width.saturating_sub(sum(floor));
        while spare > 0 {
            let growing: Vec<usize> = shown.iter().copied().filter(|&i| w[i] < natural[i]).collect();
            if growing.is_empty() {
                break;
            }
            for i in growing.into_iter().take(spare) {
                w[i] += 1;
                spare -= 1;
            }
        }
        let mut widths = vec![None; columns.len()];
        shown.iter().for_each(|&i| widths[i] = Some(w[i]));
        return Layout { widths };
    }
}

impl Output {
    /// The table as text for stdout, fitted to this call's terminal (see the module comment),
    /// ending with the footnote when columns were left out. For [`Output::print`]: the text is
    /// final, and marked so that printing leaves it as it is.
    pub fn render(&self, table: &Table) -> String {
        let ascii = self.ascii();
        // Every cell as it will be printed: our glyphs folded, text from outside as typed, and
        // no line break inside a row.
        let clean = |s: &str| glyphs::finish(s, ascii).replace(['\n', '\r'], " ");
        let headers: Vec<String> = table.columns.iter().map(|c| clean(&c.header)).collect();
        let rows: Vec<Vec<(String, Option<Tone>)>> = table
            .rows
            .iter()
            .map(|r| r.iter().map(|c| (clean(&c.text), c.tone)).collect())
            .collect();
        let column_cells = |i: usize| rows.iter().map(move |r| r[i].0.as_str());
        let natural: Vec<usize> = (0..headers.len())
            .map(|i| {
                column_cells(i)
                    .chain([headers[i].as_str()])
                    .map(display_width)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let least: Vec<usize> = (0..headers.len())
            .map(|i| {
                if !table.columns[i].wrap {
                    return natural[i];
                }
                let longest_word = column_cells(i)
                    .flat_map(|c| c.split(' '))
                    .map(display_width)
                    .max()
                    .unwrap_or(0);
                longest_word.max(display_width(&headers[i]))
            })
            .collect();
        let width = self.term.width.map(usize::from);
        let Layout { widths } = layout(&table.columns, &natural, &least, width);

        let shown: Vec<usize> = (0..headers.len()).filter(|&i| widths[i].is_some()).collect();
        let mut t = comfy_table::Table::new();
        let rule = if ascii { '-' } else { '─' };
        t.load_style(TableStyle::new().header_separator(LineStyle::none().fill(rule).junction(rule)))
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(shown.iter().map(|&i| headers[i].clone()).collect::<Vec<_>>());
        for row in &rows {
            t.add_row(shown.iter().map(|&i| {
                let (text, tone) = &row[i];
                let w = widths[i].unwrap_or(0);
                let text = if table.columns[i].wrap && display_width(text) > w {
                    text::wrap_lines(text, w, "", "").join("\n")
                } else {
                    text.clone()
                };
                styled(comfy_table::Cell::new(text), *tone, self.color)
            }));
        }
        let last = shown.len().saturating_sub(1);
        for (pos, &i) in shown.iter().enumerate() {
            if let Some(c) = t.column_mut(pos) {
                c.set_padding((0, if pos == last { 0 } else { 1 }));
                if table.columns[i].right {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        let mut lines: Vec<String> = t.lines().map(|l| l.trim_end().to_string()).collect();
        let dropped: Vec<String> = (0..headers.len())
            .filter(|&i| widths[i].is_none())
            .map(|i| clean(table.columns[i].name.as_deref().unwrap_or(&table.columns[i].header)))
            .collect();
        if let (false, Some(width)) = (dropped.is_empty(), width) {
            let list = dropped.join(", ");
            let mut note = format!("(not shown at {width} columns: {list})");
            if display_width(&note) > width {
                note = format!("(not shown: {list})");
            }
            lines.extend(
                text::wrap_lines(&note, width, "", "")
                    .iter()
                    .map(|l| self.paint(Tone::Dim, l)),
            );
        }
        // Already as it is to be shown (folded, marks removed): marked whole, so that printing
        // it does not fold the text from outside in it after all.
        glyphs::mark(&lines.join("\n"))
    }
}

fn styled(cell: comfy_table::Cell, tone: Option<Tone>, color: bool) -> comfy_table::Cell {
    let Some(tone) = tone.filter(|_| color) else {
        return cell;
    };
    match tone {
        Tone::Urgent => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        Tone::Warn => cell.fg(Color::Yellow).add_attribute(Attribute::Bold),
        Tone::Info => cell.fg(Color::Cyan),
        Tone::Good => cell.fg(Color::Green),
        Tone::Dim => cell.add_attribute(Attribute::Dim),
        Tone::Bold => cell.add_attribute(Attribute::Bold),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Units;
    use crate::settings::Terminal;

    fn output(width: Option<u16>) -> Output {
        let mut o = Output::plain(Units::Km);
        o.term = Terminal {
            stdout: width.is_some(),
            width,
            ..Terminal::none()
        };
        o
    }

    fn sample() -> Table {
        let mut t = Table::new(vec![
            Column::new("id").right(),
            Column::new("date"),
            Column::new("surface").priority(2),
            Column::new("shoe").priority(1).wrap(),
            Column::new("notes").priority(3).wrap(),
        ]);
        t.row([
            "1",
            "2026-11-24",
            "trail",
            "Pegasus 41 Trail GORE-TEX",
            "easy hilly loop by the river",
        ]);
        t.row(["12", "2026-11-25", "road", "Clifton 9", "-"]);
        t
    }

    /// What a table prints as.
    fn shown(o: &Output, t: &Table) -> String {
        glyphs::finish(&o.render(t), o.ascii()).into_owned()
    }

    fn widest(text: &str) -> usize {
        text.lines().map(display_width).max().unwrap_or(0)
    }

    #[test]
    fn the_rendered_table_is_final_and_keeps_text_from_outside() {
        let mut o = output(None);
        o.utf8 = false;
        let mut t = Table::new(vec![Column::new("name"), Column::new("note")]);
        t.row([text::escape("Pégasus → blå").into_owned(), "a · b".to_string()]);
        let shown = glyphs::finish(&o.render(&t), true).into_owned();
        assert!(shown.contains("Pégasus → blå") && shown.contains("a - b"), "{shown}");
        assert!(!shown.contains(glyphs::USER_START), "{shown}");
    }

    #[test]
    fn piped_tables_keep_every_column_on_one_line() {
        let text = shown(&output(None), &sample());
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(text.contains("Pegasus 41 Trail GORE-TEX") && text.contains("easy hilly loop by the river"));
        assert!(!text.contains("not shown"));
    }

    #[test]
    fn a_narrow_terminal_wraps_at_words_then_drops_the_least_important() {
        for width in [30u16, 40, 50, 60, 80, 120] {
            let text = shown(&output(Some(width)), &sample());
            assert!(widest(&text) <= width as usize, "at {width}:\n{text}");
            for word in ["Pegasus", "GORE-TEX", "river", "2026-11-24"] {
                let whole = text.contains(word);
                let dropped = text.contains("not shown");
                assert!(whole || dropped, "{word} broken at {width}:\n{text}");
            }
        }
        let wide = shown(&output(Some(120)), &sample());
        assert_eq!(wide.lines().count(), 4);
        let narrow = shown(&output(Some(40)), &sample());
        let foot = narrow.lines().last().unwrap();
        assert!(foot.starts_with("(not shown at 40 columns:"), "{narrow}");
        // The least important went first: shoe (1) before surface (2) before notes (3).
        assert!(foot.contains("shoe"), "{foot}");
    }

    #[test]
    fn essential_columns_stay_even_when_nothing_fits() {
        let text = shown(&output(Some(10)), &sample());
        assert!(text.contains("2026-11-24") && text.contains("12"), "{text}");
    }

    #[test]
    fn layout_grows_wrapping_columns_up_to_their_natural_width() {
        let cols = [Column::new("a"), Column::new("b").wrap()];
        assert_eq!(
            layout(&cols, &[5, 20], &[5, 8], Some(20)).widths,
            vec![Some(5), Some(13)]
        );
        assert_eq!(
            layout(&cols, &[5, 20], &[5, 8], Some(12)).widths,
            vec![Some(5), Some(8)],
            "down to the longest word when nothing can be dropped"
        );
        assert_eq!(layout(&cols, &[5, 20], &[5, 8], None).widths, vec![Some(5), Some(20)]);
    }
}
