#include "gateway/report.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace hall {

using nlohmann::json;

namespace {

std::string say(const json& words, const std::string& key, const std::map<std::string, std::string>& fill = {}) {
  std::string s = words.value(key, key);
  for (const auto& [name, value] : fill) {
    const std::string mark = "{" + name + "}";
    for (size_t at = s.find(mark); at != std::string::npos; at = s.find(mark, at + value.size())) s.replace(at, mark.size(), value);
  }
  return s;
}

ReportCell text(std::string t) { return {ReportCell::Text, std::move(t), 0}; }
ReportCell count(int n) { return {ReportCell::Count, std::to_string(n), double(n)}; }
ReportCell rate(double f, bool known = true) {
  if (!known) return text("—");
  return {ReportCell::Rate, percent_text(f), f};
}
ReportCell decimal(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return {ReportCell::Decimal, b, std::round(v * 10) / 10};
}
ReportCell minutes(int64_t ms) { return decimal(double(ms) / 60000.0); }

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

ReportBook report_book(const HallReport& r, const HallState& s, const json& w) {
  ReportBook b;
  b.title = say(w, "title", {{"hall", r.hall_name}});
  b.period = say(w, "period", {{"from", r.from}, {"to", r.to}});
  b.made = say(w, "made", {{"day", r.made_day}});
  b.print_label = say(w, "print");
  b.csv_label = say(w, "csv");
  b.xlsx_label = say(w, "xlsx");
  if (r.ratings_from > r.from) b.notes.push_back(say(w, "note.ratings", {{"day", r.ratings_from}}));
  b.notes.push_back(say(w, "note.wait"));
  b.notes.push_back(say(w, "note.approval"));

  ReportTable sum{say(w, "sheet.summary"), {say(w, "col.item"), say(w, "col.value")}, {}};
  auto line = [&](const char* key, ReportCell c) { sum.rows.push_back({text(say(w, key)), c}); };
  line("sum.issued", count(r.total.issued));
  line("sum.served", count(r.total.served));
  line("sum.no_show", count(r.total.no_show));
  line("sum.mean_wait", minutes(r.total.mean_wait_ms));
  line("sum.mean_service", minutes(r.total.mean_service_ms));
  line("sum.ratings", count(r.total.score.total));
  line("sum.good_rate", rate(r.total.score.good_rate(), r.total.score.total > 0));
  line("sum.bad", count(r.total.score.bad));
  line("sum.followup_rate", rate(r.followups.closed_rate, r.followups.bad_total > 0));
  line("sum.followup_open", count(r.followups.open));
  line("sum.followup_overdue", count(r.followups.overdue));
  line("sum.finished", count(r.approval.all.finished));
  line("sum.compression", rate(r.approval.all.compression, r.approval.all.legal_days > 0));
  line("sum.early_rate", rate(r.approval.all.early_rate, r.approval.all.finished > 0));
  line("sum.overdue", count(r.approval.all.overdue));
  b.tables.push_back(sum);

  ReportTable days{say(w, "sheet.days"),
                   {say(w, "col.day"), say(w, "col.issued"), say(w, "col.served"), say(w, "col.no_show"), say(w, "col.mean_wait"),
                    say(w, "col.mean_service"), say(w, "col.ratings"), say(w, "col.good_rate"), say(w, "col.bad")},
                   {}};
  auto day_row = [&](const ReportDay& d, const std::string& label) {
    days.rows.push_back({text(label), count(d.issued), count(d.served), count(d.no_show), minutes(d.mean_wait_ms), minutes(d.mean_service_ms),
                         count(d.score.total), rate(d.score.good_rate(), d.score.total > 0), count(d.score.bad)});
  };
  for (const ReportDay& d : r.days) day_row(d, d.day + (d.live ? say(w, "today") : ""));
  day_row(r.total, say(w, "total"));
  b.tables.push_back(days);

  auto score_cells = [&](const Score& sc) {
    return std::vector<ReportCell>{count(sc.total), count(sc.good), count(sc.bad), rate(sc.good_rate(), sc.total > 0)};
  };
  ReportTable windows{say(w, "sheet.windows"),
                      {say(w, "col.window"), say(w, "col.window_name"), say(w, "col.department"), say(w, "col.ratings"), say(w, "col.good"),
                       say(w, "col.bad"), say(w, "col.good_rate")},
                      {}};
  for (const auto& [n, sc] : r.windows) {
    auto win = s.windows.find(n);
    std::vector<ReportCell> row{count(n), text(win == s.windows.end() ? "" : win->second.name), text(win == s.windows.end() ? "" : win->second.department)};
    for (auto& c : score_cells(sc)) row.push_back(c);
    windows.rows.push_back(row);
  }
  b.tables.push_back(windows);

  ReportTable staff{say(w, "sheet.staff"),
                    {say(w, "col.staff_id"), say(w, "col.staff_name"), say(w, "col.department"), say(w, "col.ratings"), say(w, "col.good"),
                     say(w, "col.bad"), say(w, "col.good_rate")},
                    {}};
  for (const auto& [id, sc] : r.staff) {
    auto st = s.staff.find(id);
    std::vector<ReportCell> row{text(id), text(st == s.staff.end() ? "" : st->second.name), text(st == s.staff.end() ? "" : st->second.department)};
    for (auto& c : score_cells(sc)) row.push_back(c);
    staff.rows.push_back(row);
  }
  b.tables.push_back(staff);

  ReportTable deps{say(w, "sheet.departments"),
                   {say(w, "col.department"), say(w, "col.ratings"), say(w, "col.good"), say(w, "col.good_rate"), say(w, "col.items"),
                    say(w, "col.compression"), say(w, "col.finished"), say(w, "col.early_rate"), say(w, "col.mean_days"), say(w, "col.open"),
                    say(w, "col.overdue")},
                   {}};
  std::set<std::string> names;
  for (const auto& [name, sc] : r.departments) names.insert(name);
  for (const auto& [name, a] : r.approval.departments) names.insert(name);
  for (const std::string& name : names) {
    Score sc;
    if (auto it = r.departments.find(name); it != r.departments.end()) sc = it->second;
    ApprovalFigures a;
    if (auto it = r.approval.departments.find(name); it != r.approval.departments.end()) a = it->second;
    deps.rows.push_back({text(name), count(sc.total), count(sc.good), rate(sc.good_rate(), sc.total > 0), count(a.items),
                         rate(a.compression, a.legal_days > 0), count(a.finished), rate(a.early_rate, a.finished > 0),
                         a.finished ? decimal(a.mean_actual_days) : text("—"), count(a.open), count(a.overdue)});
  }
  b.tables.push_back(deps);

  ReportTable bad{say(w, "sheet.bad"),
                  {say(w, "col.day"), say(w, "col.ticket"), say(w, "col.window"), say(w, "col.staff_name"), say(w, "col.department"),
                   say(w, "col.level"), say(w, "col.reasons"), say(w, "col.comment"), say(w, "col.fu_state"), say(w, "col.due"),
                   say(w, "col.closed_day"), say(w, "col.last_note")},
                  {}};
  for (const ReportBadRating& x : r.bad) {
    std::string reasons;
    for (const auto& reason : x.reasons) reasons += (reasons.empty() ? "" : "、") + reason;
    std::string state = x.followed ? say(w, "state." + json(x.state).get<std::string>()) + (x.overdue ? say(w, "overdue") : "") : say(w, "not_followed");
    bad.rows.push_back({text(x.day), text(x.ticket), x.window ? count(x.window) : text(""), text(x.staff_name.empty() ? x.staff_id : x.staff_name),
                        text(x.department), text(say(w, "level." + std::to_string(x.level))), text(reasons), text(x.comment), text(state),
                        text(x.due_day), text(x.closed_day), text(x.last_note)});
  }
  b.tables.push_back(bad);

  ReportTable items{say(w, "sheet.items"),
                    {say(w, "col.code"), say(w, "col.item_name"), say(w, "col.department"), say(w, "col.legal_days"), say(w, "col.promised_days"),
                     say(w, "col.compression"), say(w, "col.finished"), say(w, "col.early_rate"), say(w, "col.mean_days"), say(w, "col.open"),
                     say(w, "col.overdue")},
                    {}};
  for (const auto& [code, a] : r.approval.items) {
    auto it = s.items.find(code);
    items.rows.push_back({text(code), text(a.name), text(it == s.items.end() ? "" : it->second.department), count(a.legal_days),
                          count(a.promised_days), rate(a.compression, a.legal_days > 0), count(a.finished), rate(a.early_rate, a.finished > 0),
                          a.finished ? decimal(a.mean_actual_days) : text("—"), count(a.open), count(a.overdue)});
  }
  b.tables.push_back(items);
  return b;
}

std::string report_html(const ReportBook& b, const std::string& lang, const std::string& query) {
  std::ostringstream o;
  o << "<!doctype html>\n<html lang=\"" << (lang == "en" ? "en" : "zh-CN") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << html_escape(b.title) << "</title>\n"
    << "<link rel=\"stylesheet\" href=\"/web/report.css\">\n</head>\n<body>\n<header>\n<h1>" << html_escape(b.title) << "</h1>\n<p>"
    << html_escape(b.period) << "　" << html_escape(b.made) << "</p>\n<nav class=\"noprint\"><button type=\"button\" id=\"print\">"
    << html_escape(b.print_label) << "</button> <a id=\"csv\" href=\"/console/report?" << html_escape(query) << "&amp;format=csv\">"
    << html_escape(b.csv_label) << "</a> <a id=\"xlsx\" href=\"/console/report?" << html_escape(query) << "&amp;format=xlsx\">"
    << html_escape(b.xlsx_label) << "</a></nav>\n</header>\n";
  for (const ReportTable& t : b.tables) {
    o << "<section>\n<h2>" << html_escape(t.title) << "</h2>\n<table>\n<thead><tr>";
    for (const auto& h : t.head) o << "<th>" << html_escape(h) << "</th>";
    o << "</tr></thead>\n<tbody>\n";
    if (t.rows.empty()) o << "<tr><td colspan=\"" << t.head.size() << "\" class=\"none\">—</td></tr>\n";
    for (const auto& row : t.rows) {
      o << "<tr>";
      for (const auto& c : row) o << (c.kind == ReportCell::Text ? "<td>" : "<td class=\"n\">") << html_escape(c.text) << "</td>";
      o << "</tr>\n";
    }
    o << "</tbody>\n</table>\n</section>\n";
  }
  o << "<footer>\n";
  for (const auto& n : b.notes) o << "<p>" << html_escape(n) << "</p>\n";
  o << "</footer>\n<script src=\"/web/report.js\"></script>\n</body>\n</html>\n";
  return o.str();
}

std::string report_csv(const ReportBook& b) {
  auto field = [](const std::string& s) {
    // Quoted when it holds a separator; a leading = + - @ is kept text, so a spreadsheet never runs it as a formula.
    std::string v = s;
    if (!v.empty() && std::string("=+-@").find(v[0]) != std::string::npos && !(v[0] == '-' && v.size() > 1 && std::isdigit((unsigned char)v[1])))
      v = "'" + v;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string out = "\xEF\xBB\xBF";  // BOM: Excel opens UTF-8 as such
  out += field(b.title) + "\r\n" + field(b.period) + "\r\n" + field(b.made) + "\r\n";
  for (const ReportTable& t : b.tables) {
    out += "\r\n" + field(t.title) + "\r\n";
    for (size_t i = 0; i < t.head.size(); ++i) out += (i ? "," : "") + field(t.head[i]);
    out += "\r\n";
    for (const auto& row : t.rows) {
      for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + field(row[i].text);
      out += "\r\n";
    }
  }
  out += "\r\n";
  for (const auto& n : b.notes) out += field(n) + "\r\n";
  return out;
}

std::string report_xlsx(const ReportBook& b) {
  // libxlsxwriter 1.1.4 writes files only: a private temporary file, read back and removed.
  char path[] = "/tmp/hall-report-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("cannot make a temporary file for the Excel report");
  close(fd);
  struct Remove {
    const char* p;
    ~Remove() { std::remove(p); }
  } remove_after{path};
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = const_cast<char*>("/tmp");
  lxw_workbook* wb = workbook_new_opt(path, &options);
  if (!wb) throw std::runtime_error("cannot start the Excel report");
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDE6F0);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* cell = workbook_add_format(wb);
  format_set_border(cell, LXW_BORDER_THIN);
  lxw_format* percent = workbook_add_format(wb);
  format_set_border(percent, LXW_BORDER_THIN);
  format_set_num_format(percent, "0.0%");
  lxw_format* one = workbook_add_format(wb);
  format_set_border(one, LXW_BORDER_THIN);
  format_set_num_format(one, "0.0");
  lxw_format* note = workbook_add_format(wb);
  format_set_italic(note);
  format_set_font_color(note, 0x555555);
  bool first = true;
  for (const ReportTable& t : b.tables) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, t.title.c_str());
    if (!ws) throw std::runtime_error("Excel report: sheet name '" + t.title + "' refused");
    std::vector<size_t> widths(t.head.size(), 6);
    auto width_of = [](const std::string& s) {  // a CJK character (3 UTF-8 bytes) is two columns wide
      size_t w = 0;
      for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xF0) w += 2, i += 3;
        else if (c >= 0xE0) w += 2, i += 2;
        else if (c < 0x80) w += 1;
      }
      return w;
    };
    lxw_row_t row = 0;
    if (first) {  // the summary sheet carries the title, the period and the notes
      worksheet_write_string(ws, row++, 0, b.title.c_str(), title);
      worksheet_write_string(ws, row++, 0, b.period.c_str(), nullptr);
      worksheet_write_string(ws, row++, 0, b.made.c_str(), nullptr);
      ++row;
    }
    const lxw_row_t head_row = row;
    for (size_t i = 0; i < t.head.size(); ++i) {
      worksheet_write_string(ws, row, lxw_col_t(i), t.head[i].c_str(), head);
      widths[i] = std::max(widths[i], std::min<size_t>(width_of(t.head[i]) + 2, 24));
    }
    ++row;
    for (const auto& r : t.rows) {
      for (size_t i = 0; i < r.size() && i < t.head.size(); ++i) {
        const ReportCell& c = r[i];
        const lxw_col_t col = lxw_col_t(i);
        switch (c.kind) {
          case ReportCell::Text: worksheet_write_string(ws, row, col, c.text.c_str(), cell); break;
          case ReportCell::Count: worksheet_write_number(ws, row, col, c.value, cell); break;
          case ReportCell::Rate: worksheet_write_number(ws, row, col, c.value, percent); break;
          case ReportCell::Decimal: worksheet_write_number(ws, row, col, c.value, one); break;
        }
        widths[i] = std::max(widths[i], std::min<size_t>(width_of(c.text) + 2, 50));
      }
      ++row;
    }
    for (size_t i = 0; i < widths.size(); ++i) worksheet_set_column(ws, lxw_col_t(i), lxw_col_t(i), double(widths[i]), nullptr);
    worksheet_freeze_panes(ws, head_row + 1, 0);
    if (first) {
      ++row;
      for (const auto& n : b.notes) worksheet_write_string(ws, row++, 0, n.c_str(), note);
    }
    first = false;
  }
  if (lxw_error e = workbook_close(wb); e != LXW_NO_ERROR)
    throw std::runtime_error(std::string("Excel report not written: ") + lxw_strerror(e));
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

}  // namespace hall
