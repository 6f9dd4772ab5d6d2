#include "infra/stats_report.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "common/csv.hpp"

namespace goji::infra {

std::string YuanText(std::int64_t fen, bool grouped) {
    const bool negative = fen < 0;
    const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
    std::string whole = std::to_string(a / 100);
    if (grouped) {
        for (std::size_t i = whole.size(); i > 3; i -= 3) whole.insert(i - 3, 1, ',');
    }
    const unsigned cents = static_cast<unsigned>(a % 100);
    std::string out = negative ? "-" : "";
    out += whole;
    out += '.';
    out += static_cast<char>('0' + cents / 10);
    out += static_cast<char>('0' + cents % 10);
    return out;
}

std::string PercentText(std::int64_t hundredths) { return YuanText(hundredths, false); }

namespace {

using stats::FullReport;
using stats::GroupBy;
using stats::ReportText;

// A value in a report table.
struct Cell {
    enum class Kind : std::uint8_t { kText, kMoney, kCount, kPercent, kEmpty };
    Kind kind = Kind::kEmpty;
    std::string text;
    std::int64_t value = 0;

    static Cell Text(std::string t) { return {Kind::kText, std::move(t), 0}; }
    static Cell Money(std::int64_t fen) { return {Kind::kMoney, {}, fen}; }
    static Cell Count(std::int64_t n) { return {Kind::kCount, {}, n}; }
    static Cell Percent(const std::optional<std::int64_t>& h) {
        return h ? Cell{Kind::kPercent, {}, *h} : Cell{Kind::kEmpty, {}, 0};
    }
};

struct Section {
    std::string key;  // headline, township, …, series, consumption
    std::string title;
    std::vector<std::string> header;
    std::vector<std::vector<Cell>> rows;
};

std::string Fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [name, value] : values) {
        const std::string mark = "{" + name + "}";
        for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size())) {
            text.replace(at, mark.size(), value);
        }
    }
    return text;
}

std::string PeriodLabel(const stats::Period& p, const ReportText& t) {
    const std::string year = std::to_string(p.year);
    switch (p.kind) {
        case stats::PeriodKind::kYear:
            return Fill(t.Get("stats.report.period.year"), {{"year", year}});
        case stats::PeriodKind::kQuarter:
            return Fill(t.Get("stats.report.period.quarter"), {{"year", year}, {"n", std::to_string(p.index)}});
        case stats::PeriodKind::kMonth:
            return Fill(t.Get("stats.report.period.month"), {{"year", year}, {"n", std::to_string(p.index)}});
    }
    return p.Name();
}

std::string Title(const FullReport& r, const ReportText& t) {
    return Fill(t.Get("stats.report.title"),
                {{"region", r.retail.region.name}, {"period", PeriodLabel(r.retail.period, t)}});
}

std::string GroupName(GroupBy by, const stats::GroupReport& g, const ReportText& t) {
    switch (by) {
        case GroupBy::kCategory: {
            const std::string_view lang = t.Lang();
            const std::string& n = lang == "ug" ? g.name_ug : lang == "en" ? g.name_en : g.name;
            return n.empty() ? g.name : n;
        }
        case GroupBy::kTownship:
            return g.name;
        case GroupBy::kSellerKind:
            return t.Get("stats.report.kind." + g.key);
        case GroupBy::kChannel:
            return t.Get("stats.report.channel." + g.key);
        case GroupBy::kPovertyRelief:
            return t.Get("stats.report.poverty." + g.key);
    }
    return g.key;
}

std::vector<Section> Sections(const FullReport& r, const ReportText& t) {
    std::vector<Section> out;
    const auto& rr = r.retail;
    {
        Section s{"headline",
                  t.Get("stats.report.section.headline"),
                  {t.Get("stats.report.col.item"), t.Get("stats.report.col.value")},
                  {}};
        const auto row = [&](std::string_view key, Cell c) {
            s.rows.push_back({Cell::Text(t.Get(key)), std::move(c)});
        };
        row("stats.report.col.region", Cell::Text(rr.region.name + " (" + rr.region.code.Canonical() + ")"));
        row("stats.report.col.period", Cell::Text(PeriodLabel(rr.period, t)));
        row("stats.report.gross", Cell::Money(rr.current.gross_fen));
        row("stats.report.refunds", Cell::Money(rr.current.refunds_fen));
        row("stats.report.net", Cell::Money(rr.current.net_fen()));
        row("stats.report.orders", Cell::Count(rr.current.orders));
        row("stats.report.prev_year_net", Cell::Money(rr.prev_year_net_fen));
        row("stats.report.yoy", Cell::Percent(rr.yoy_hundredths));
        row("stats.report.prev_period_net", Cell::Money(rr.prev_period_net_fen));
        row("stats.report.qoq", Cell::Percent(rr.qoq_hundredths));
        out.push_back(std::move(s));
    }
    for (std::size_t i = 0; i < stats::kReportBreakdowns.size(); ++i) {
        const GroupBy by = stats::kReportBreakdowns[i];
        const std::string key(stats::GroupByName(by));
        Section s{key,
                  t.Get("stats.report.section." + key),
                  {t.Get("stats.report.col.key"), t.Get("stats.report.col.name"), t.Get("stats.report.net"),
                   t.Get("stats.report.orders"), t.Get("stats.report.yoy")},
                  {}};
        for (const auto& g : r.breakdowns[i]) {
            s.rows.push_back({Cell::Text(g.key), Cell::Text(GroupName(by, g, t)), Cell::Money(g.net_fen),
                              Cell::Count(g.orders), Cell::Percent(g.yoy_hundredths)});
        }
        out.push_back(std::move(s));
    }
    {
        const std::string year = std::to_string(rr.period.year);
        const std::string prev = std::to_string(rr.period.year - 1);
        Section s{"series",
                  t.Get("stats.report.section.series"),
                  {t.Get("stats.report.col.month"), Fill(t.Get("stats.report.col.net_of_year"), {{"year", year}}),
                   Fill(t.Get("stats.report.col.orders_of_year"), {{"year", year}}),
                   Fill(t.Get("stats.report.col.net_of_year"), {{"year", prev}}),
                   Fill(t.Get("stats.report.col.orders_of_year"), {{"year", prev}})},
                  {}};
        for (int m = 1; m <= 12; ++m) {
            std::vector<Cell> row{Cell::Count(m)};
            for (const auto* series : {&r.series, &r.prev_series}) {
                const auto it = std::find_if(series->begin(), series->end(),
                                             [m](const stats::SeriesPoint& p) { return p.month.index == m; });
                if (it == series->end()) {
                    row.emplace_back();
                    row.emplace_back();
                } else {
                    row.push_back(Cell::Money(it->net_fen));
                    row.push_back(Cell::Count(it->orders));
                }
            }
            s.rows.push_back(std::move(row));
        }
        out.push_back(std::move(s));
    }
    {
        const auto& c = r.consumption;
        Section s{"consumption",
                  t.Get("stats.report.section.consumption"),
                  {t.Get("stats.report.col.name"), t.Get("stats.report.gross"), t.Get("stats.report.refunds"),
                   t.Get("stats.report.net"), t.Get("stats.report.orders")},
                  {}};
        const auto row = [&](std::string_view key, const stats::Figures& f) {
            s.rows.push_back({Cell::Text(t.Get(key)), Cell::Money(f.gross_fen), Cell::Money(f.refunds_fen),
                              Cell::Money(f.net_fen()), Cell::Count(f.orders)});
        };
        row("stats.report.all", c.all);
        row("stats.report.tier.low", c.tiers[0]);
        row("stats.report.tier.medium", c.tiers[1]);
        row("stats.report.tier.high", c.tiers[2]);
        row("stats.report.urban", c.urban);
        row("stats.report.rural", c.rural);
        out.push_back(std::move(s));
    }
    return out;
}

std::string CellText(const Cell& c, bool grouped) {
    switch (c.kind) {
        case Cell::Kind::kText:
            return c.text;
        case Cell::Kind::kMoney:
            return YuanText(c.value, grouped);
        case Cell::Kind::kCount:
            return std::to_string(c.value);
        case Cell::Kind::kPercent:
            return PercentText(c.value);
        case Cell::Kind::kEmpty:
            return grouped ? "—" : "";
    }
    return {};
}

// --- CSV -------------------------------------------------------------------

std::string RenderCsv(const FullReport& r, const ReportText& t) {
    std::string out = "\xEF\xBB\xBF";
    const auto line = [&out](const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0) out += ',';
            out += csv::Escape(fields[i]);
        }
        out += "\r\n";
    };
    line({Title(r, t)});
    for (const auto& s : Sections(r, t)) {
        out += "\r\n";
        line({s.title});
        line(s.header);
        for (const auto& row : s.rows) {
            std::vector<std::string> fields;
            fields.reserve(row.size());
            for (const auto& c : row) fields.push_back(CellText(c, false));
            line(fields);
        }
    }
    return out;
}

// --- XLSX ------------------------------------------------------------------

// At most 31 characters (not bytes), none of []:*?/\ — Excel's rules.
std::string SheetName(const std::string& title, std::size_t index) {
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < title.size() && chars < 31;) {
        const auto c = static_cast<unsigned char>(title[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        const std::string piece = title.substr(i, len);
        if (piece.find_first_of("[]:*?/\\'") == std::string::npos) {
            out += piece;
            ++chars;
        }
        i += len;
    }
    return out.empty() ? "Sheet" + std::to_string(index + 1) : out;
}

Result<std::string> RenderXlsx(const FullReport& r, const ReportText& t) {
    char path[] = "/tmp/goji-report-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return Error::Internal("xlsx: no temporary file");
    close(fd);
    struct Unlink {
        const char* p;
        ~Unlink() { std::remove(p); }
    } unlink_later{path};

    lxw_workbook* wb = workbook_new(path);
    if (wb == nullptr) return Error::Internal("xlsx: workbook_new failed");
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format* title_fmt = workbook_add_format(wb);
    format_set_bold(title_fmt);
    format_set_font_size(title_fmt, 14);
    lxw_format* money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    lxw_format* count = workbook_add_format(wb);
    format_set_num_format(count, "0");
    lxw_format* pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.00");
    const bool rtl = t.Lang() == "ug";
    const auto sections = Sections(r, t);
    const std::string title = Title(r, t);
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const auto& s = sections[i];
        lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(s.title, i).c_str());
        if (ws == nullptr) ws = workbook_add_worksheet(wb, nullptr);
        if (ws == nullptr) {
            workbook_close(wb);
            return Error::Internal("xlsx: worksheet refused");
        }
        if (rtl) worksheet_right_to_left(ws);
        worksheet_set_column(ws, 0, 0, 28, nullptr);
        worksheet_set_column(ws, 1, static_cast<lxw_col_t>(std::max<std::size_t>(s.header.size(), 2) - 1), 22, nullptr);
        worksheet_write_string(ws, 0, 0, title.c_str(), title_fmt);
        worksheet_write_string(ws, 1, 0, s.title.c_str(), bold);
        for (std::size_t c = 0; c < s.header.size(); ++c) {
            worksheet_write_string(ws, 2, static_cast<lxw_col_t>(c), s.header[c].c_str(), bold);
        }
        for (std::size_t row = 0; row < s.rows.size(); ++row) {
            const auto at = static_cast<lxw_row_t>(row + 3);
            for (std::size_t c = 0; c < s.rows[row].size(); ++c) {
                const Cell& cell = s.rows[row][c];
                const auto col = static_cast<lxw_col_t>(c);
                switch (cell.kind) {
                    case Cell::Kind::kText:
                        worksheet_write_string(ws, at, col, cell.text.c_str(), nullptr);
                        break;
                    case Cell::Kind::kMoney:
                        // The nearest double to the exact yuan figure; the
                        // file holds it with 16 significant digits, which
                        // reads back as the same two decimals.
                        worksheet_write_number(ws, at, col, static_cast<double>(cell.value) / 100.0, money);
                        break;
                    case Cell::Kind::kCount:
                        worksheet_write_number(ws, at, col, static_cast<double>(cell.value), count);
                        break;
                    case Cell::Kind::kPercent:
                        worksheet_write_number(ws, at, col, static_cast<double>(cell.value) / 100.0, pct);
                        break;
                    case Cell::Kind::kEmpty:
                        break;
                }
            }
        }
    }
    if (const lxw_error e = workbook_close(wb); e != LXW_NO_ERROR) {
        return Error::Internal(std::string("xlsx: ") + lxw_strerror(e));
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (bytes.empty()) return Error::Internal("xlsx: empty file");
    return bytes;
}

// --- PDF -------------------------------------------------------------------

constexpr double kPageW = 595.276;  // A4 in points
constexpr double kPageH = 841.890;
constexpr double kMargin = 48;
constexpr double kContentW = kPageW - 2 * kMargin;

enum class Align : std::uint8_t { kStart, kEnd, kCenter };

// Whether `text` holds a letter of the Arabic script (U+0600–U+06FF, lead
// bytes 0xD8–0xDB in UTF-8), as Uyghur does.
bool HasArabic(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return b >= 0xD8 && b <= 0xDB;
    });
}

class PdfWriter {
public:
    explicit PdfWriter(bool rtl) : rtl_(rtl) {
        surface_ = cairo_pdf_surface_create_for_stream(&PdfWriter::Write, &bytes_, kPageW, kPageH);
        cr_ = cairo_create(surface_);
        layout_ = pango_cairo_create_layout(cr_);
        pango_layout_set_auto_dir(layout_, FALSE);
        pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
    }
    ~PdfWriter() {
        if (layout_ != nullptr) g_object_unref(layout_);
        if (cr_ != nullptr) cairo_destroy(cr_);
        if (surface_ != nullptr) cairo_surface_destroy(surface_);
    }
    PdfWriter(const PdfWriter&) = delete;
    PdfWriter& operator=(const PdfWriter&) = delete;

    // Draws `text` in the box from `x` (measured from the start side) of
    // width `w` at the cursor's line plus `dy`; returns its height.
    double Text(const std::string& text, double x, double w, double size, bool bold, Align align, double dy = 0) {
        PangoFontDescription* font =
            pango_font_description_from_string(rtl_ ? "Noto Sans Arabic, Noto Sans CJK SC" : "Noto Sans CJK SC");
        pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(layout_, font);
        pango_font_description_free(font);
        // Right to left only for Arabic-script text: numbers, codes and
        // Chinese names keep their order (a minus sign stays in front).
        PangoContext* ctx = pango_layout_get_context(layout_);
        pango_context_set_base_dir(ctx, rtl_ && HasArabic(text) ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
        pango_layout_context_changed(layout_);
        pango_layout_set_width(layout_, static_cast<int>(w * PANGO_SCALE));
        const bool left = (align == Align::kStart) != rtl_;
        pango_layout_set_alignment(layout_, align == Align::kCenter ? PANGO_ALIGN_CENTER
                                            : left                  ? PANGO_ALIGN_LEFT
                                                                    : PANGO_ALIGN_RIGHT);
        pango_layout_set_text(layout_, text.c_str(), static_cast<int>(text.size()));
        int pw = 0;
        int ph = 0;
        pango_layout_get_size(layout_, &pw, &ph);
        cairo_move_to(cr_, X(x, w), y_ + dy);
        pango_cairo_show_layout(cr_, layout_);
        return static_cast<double>(ph) / PANGO_SCALE;
    }

    // The x of a box measured from the start side, on the page.
    double X(double x, double w) const { return rtl_ ? kPageW - kMargin - x - w : kMargin + x; }
    void Rect(double x, double y, double w, double h, double r, double g, double b) {
        cairo_set_source_rgb(cr_, r, g, b);
        cairo_rectangle(cr_, X(x, w), y, w, h);
        cairo_fill(cr_);
        cairo_set_source_rgb(cr_, 0, 0, 0);
    }
    void Line(double x, double y, double w) {
        cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
        cairo_set_line_width(cr_, 0.5);
        cairo_move_to(cr_, X(x, w), y);
        cairo_line_to(cr_, X(x, w) + w, y);
        cairo_stroke(cr_);
        cairo_set_source_rgb(cr_, 0, 0, 0);
    }
    // Starts a new page when fewer than `h` points are left.
    void Need(double h) {
        if (y_ + h <= kPageH - kMargin) return;
        cairo_show_page(cr_);
        y_ = kMargin;
    }
    double& y() { return y_; }

    Result<std::string> Finish() {
        cairo_destroy(cr_);
        cr_ = nullptr;
        g_object_unref(layout_);
        layout_ = nullptr;
        cairo_surface_finish(surface_);
        const cairo_status_t status = cairo_surface_status(surface_);
        cairo_surface_destroy(surface_);
        surface_ = nullptr;
        if (status != CAIRO_STATUS_SUCCESS)
            return Error::Internal(std::string("pdf: ") + cairo_status_to_string(status));
        return std::move(bytes_);
    }

private:
    static cairo_status_t Write(void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
    }

    bool rtl_;
    std::string bytes_;
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
    PangoLayout* layout_ = nullptr;
    double y_ = kMargin;
};

void PdfTable(PdfWriter& pdf, const Section& s, const std::vector<double>& widths) {
    constexpr double kRow = 16;
    pdf.Need(22 + 2 * kRow);
    pdf.y() += pdf.Text(s.title, 0, kContentW, 12, true, Align::kStart) + 4;
    const auto row = [&](const std::vector<std::string>& cells, const std::vector<bool>& numeric, bool bold) {
        double height = kRow;
        double x = 0;
        for (std::size_t c = 0; c < cells.size() && c < widths.size(); ++c) {
            const double h =
                pdf.Text(cells[c], x + 2, widths[c] - 4, 8.5, bold, numeric[c] ? Align::kEnd : Align::kStart);
            height = std::max(height, h + 3);
            x += widths[c];
        }
        pdf.y() += height;
        pdf.Line(0, pdf.y() - 1, kContentW);
    };
    // A column of figures is aligned to its end, header and text cells too.
    std::vector<bool> figures(s.header.size(), false);
    for (const auto& r : s.rows) {
        for (std::size_t c = 0; c < r.size() && c < figures.size(); ++c) {
            if (r[c].kind != Cell::Kind::kText) figures[c] = true;
        }
    }
    row(s.header, figures, true);
    if (s.rows.empty()) {
        pdf.Need(kRow);
        pdf.Text("—", 2, kContentW, 8.5, false, Align::kStart);
        pdf.y() += kRow;
    }
    for (const auto& r : s.rows) {
        pdf.Need(kRow + 4);
        std::vector<std::string> cells;
        for (const auto& c : r) cells.push_back(CellText(c, true));
        row(cells, figures, false);
    }
    pdf.y() += 14;
}

// Bars of the monthly net sales, the period's year beside the year before.
void PdfChart(PdfWriter& pdf, const FullReport& r, const ReportText& t) {
    constexpr double kChartH = 170;
    constexpr double kAxisW = 64;
    pdf.Need(kChartH + 70);
    pdf.y() += pdf.Text(t.Get("stats.report.section.series"), 0, kContentW, 12, true, Align::kStart) + 6;
    std::array<std::int64_t, 12> cur{};
    std::array<std::int64_t, 12> prev{};
    for (const auto& p : r.series) cur[static_cast<std::size_t>(p.month.index - 1)] = p.net_fen;
    for (const auto& p : r.prev_series) prev[static_cast<std::size_t>(p.month.index - 1)] = p.net_fen;
    std::int64_t top = 0;
    for (std::size_t i = 0; i < 12; ++i) top = std::max({top, cur[i], prev[i]});
    if (top <= 0) top = 100;
    // A round axis top: 1, 2 or 5 times a power of ten, in fen.
    std::int64_t step = 1;
    while (step * 10 <= top) step *= 10;
    const std::int64_t axis_top = top <= step * 2 ? step * 2 : top <= step * 5 ? step * 5 : step * 10;
    const double base = pdf.y() + kChartH;
    const double plot_w = kContentW - kAxisW;
    for (int tick = 0; tick <= 4; ++tick) {
        const double y = base - kChartH * tick / 4.0;
        pdf.Line(kAxisW, y, plot_w);
        const double saved = pdf.y();
        pdf.y() = y - 6;
        pdf.Text(YuanText(axis_top / 4 * tick, true), 0, kAxisW - 4, 7, false, Align::kEnd);
        pdf.y() = saved;
    }
    const double slot = plot_w / 12.0;
    const double bar = slot * 0.36;
    for (std::size_t i = 0; i < 12; ++i) {
        const double x = kAxisW + slot * static_cast<double>(i) + slot * 0.12;
        const auto height = [&](std::int64_t v) {
            return v <= 0 ? 0.0 : kChartH * static_cast<double>(v) / static_cast<double>(axis_top);
        };
        const double hp = height(prev[i]);
        const double hc = height(cur[i]);
        pdf.Rect(x, base - hp, bar, hp, 0.72, 0.74, 0.78);
        pdf.Rect(x + bar, base - hc, bar, hc, 0.76, 0.16, 0.18);
        const double saved = pdf.y();
        pdf.y() = base + 2;
        pdf.Text(std::to_string(i + 1), kAxisW + slot * static_cast<double>(i), slot, 7, false, Align::kCenter);
        pdf.y() = saved;
    }
    pdf.y() = base + 16;
    const std::string year = std::to_string(r.retail.period.year);
    const std::string last = std::to_string(r.retail.period.year - 1);
    pdf.Rect(kAxisW, pdf.y() + 3, 8, 8, 0.76, 0.16, 0.18);
    pdf.Text(Fill(t.Get("stats.report.col.net_of_year"), {{"year", year}}), kAxisW + 12, 180, 8, false, Align::kStart);
    pdf.Rect(kAxisW + 200, pdf.y() + 3, 8, 8, 0.72, 0.74, 0.78);
    pdf.Text(Fill(t.Get("stats.report.col.net_of_year"), {{"year", last}}), kAxisW + 212, 180, 8, false, Align::kStart);
    pdf.y() += 30;
}

Result<std::string> RenderPdf(const FullReport& r, const ReportText& t) {
    PdfWriter pdf(t.Lang() == "ug");
    pdf.y() += pdf.Text(Title(r, t), 0, kContentW, 17, true, Align::kCenter) + 4;
    pdf.y() += pdf.Text(r.retail.region.code.Canonical() + " · " + r.retail.period.Name(), 0, kContentW, 9, false,
                        Align::kCenter) +
               14;
    const auto sections = Sections(r, t);
    for (const auto& s : sections) {
        if (s.key == "headline") {
            PdfTable(pdf, s, {kContentW * 0.6, kContentW * 0.4});
            PdfChart(pdf, r, t);
        } else if (s.key == "series") {
            continue;  // drawn as the chart
        } else if (s.key == "consumption") {
            const double w = kContentW * 0.6 / 4;
            PdfTable(pdf, s, {kContentW * 0.4, w, w, w, w});
        } else if (s.key == "township") {
            PdfTable(pdf, s, {kContentW * 0.16, kContentW * 0.34, kContentW * 0.2, kContentW * 0.12, kContentW * 0.18});
        } else {
            // Category, seller kind, channel, poverty relief: the name says it, no code column.
            Section named = s;
            named.header.erase(named.header.begin());
            for (auto& row : named.rows) row.erase(row.begin());
            PdfTable(pdf, named, {kContentW * 0.5, kContentW * 0.2, kContentW * 0.12, kContentW * 0.18});
        }
    }
    return pdf.Finish();
}

}  // namespace

Result<std::string> StatsReportRenderer::Render(const stats::FullReport& report, stats::ExportFormat format,
                                                const stats::ReportText& text) const {
    switch (format) {
        case stats::ExportFormat::kCsv:
            return RenderCsv(report, text);
        case stats::ExportFormat::kXlsx:
            return RenderXlsx(report, text);
        case stats::ExportFormat::kPdf:
            return RenderPdf(report, text);
    }
    return Error::Internal("unknown export format");
}

}  // namespace goji::infra

#if defined(__SANITIZE_ADDRESS__)
// fontconfig and cairo keep their font caches for the life of the process (by
// design; cairo_debug_reset_static_data is not safe while other threads may
// draw): not leaks of ours, so LeakSanitizer in the sanitized builds skips them.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\nleak:libcairo.so\nleak:libpango\nleak:libharfbuzz.so\n";
}
#endif
