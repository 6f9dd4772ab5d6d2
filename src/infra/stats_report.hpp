#pragma once

// The statistics office's report as files: CSV (UTF-8 with a byte order mark,
// one section after another), XLSX (libxlsxwriter, one sheet per section) and
// a printable A4 PDF (cairo and pango: CJK and Uyghur text, a bar chart of the
// monthly series). Money is yuan with two decimals, written from integer fen
// by integer arithmetic.

#include <cstdint>
#include <string>

#include "domain/stats/report.hpp"

namespace goji::infra {

// "-1234.56" from -123456 fen; with `grouped`, "-1,234.56".
std::string YuanText(std::int64_t fen, bool grouped = false);
// "12.34" from 1234 hundredths of a percent.
std::string PercentText(std::int64_t hundredths);

class StatsReportRenderer final : public stats::ReportRenderer {
public:
    Result<std::string> Render(const stats::FullReport& report, stats::ExportFormat format,
                               const stats::ReportText& text) const override;
};

}  // namespace goji::infra
