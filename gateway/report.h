// The hall's report (shared/report.h) as an office forwards it: the same
// tables as a printable page, CSV (UTF-8 with a BOM, so Excel on Windows
// reads the Chinese) and an Excel workbook (libxlsxwriter), one sheet per
// table. Words come from assets/web/strings/report.<lang>.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "shared/report.h"

namespace hall {

struct ReportCell {
  enum Kind { Text, Count, Rate, Decimal } kind = Text;  // Rate: 0..1 shown as 96.2%; Decimal: one place
  std::string text;
  double value = 0;
};
struct ReportTable {
  std::string title;
  std::vector<std::string> head;
  std::vector<std::vector<ReportCell>> rows;
};
struct ReportBook {
  std::string title, period, made;
  std::string print_label, csv_label, xlsx_label;
  std::vector<std::string> notes;
  std::vector<ReportTable> tables;
};

// words: the report string table of one language.
ReportBook report_book(const HallReport& report, const HallState& state, const nlohmann::json& words);
std::string report_html(const ReportBook& book, const std::string& lang, const std::string& query);  // query: from=…&to=… for the download links
std::string report_csv(const ReportBook& book);
// Throws std::runtime_error when the workbook cannot be written (temp folder full).
std::string report_xlsx(const ReportBook& book);

}  // namespace hall
