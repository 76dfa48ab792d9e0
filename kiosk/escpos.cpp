#include "kiosk/escpos.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <iconv.h>
#include <netdb.h>
#include <qrencode.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hall::kiosk {

namespace {

std::string convert(const std::string& in, const char* to, const char* from) {
  iconv_t cd = iconv_open(to, from);
  if (cd == iconv_t(-1)) return in;
  std::string out(in.size() * 4 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  while (src_left > 0) {
    if (iconv(cd, &src, &src_left, &dst, &dst_left) == size_t(-1)) {
      if (errno == EILSEQ || errno == EINVAL) {  // a byte that cannot be converted: a '?' and go on
        ++src, --src_left;
        if (dst_left) *dst++ = '?', --dst_left;
        continue;
      }
      break;
    }
  }
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

const char ESC = 0x1B, GS = 0x1D, FS = 0x1C, LF = 0x0A;

}  // namespace

std::string utf8_to_gb18030(const std::string& s) { return convert(s, "GB18030", "UTF-8"); }
std::string gb18030_to_utf8(const std::string& s) { return convert(s, "UTF-8", "GB18030"); }

std::vector<bool> qr_modules(const std::string& text, int& side) {
  side = 0;
  QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  if (!qr) return {};
  side = qr->width;
  std::vector<bool> out(size_t(side) * size_t(side));
  for (int i = 0; i < side * side; ++i) out[size_t(i)] = qr->data[i] & 1;
  QRcode_free(qr);
  return out;
}

std::string encode_receipt(const Receipt& r) {
  std::string b;
  auto text = [&](const std::string& s) { b += utf8_to_gb18030(s) + LF; };
  b += {ESC, '@'};                 // initialise
  b += {FS, '&'};                  // Chinese character mode
  b += {ESC, 'a', 1};              // centre
  text(r.hall);
  b += {GS, '!', 0x00};
  text(r.category);
  b += {GS, '!', 0x33};            // four times as wide and tall: the number
  text(r.number);
  b += {GS, '!', 0x00};
  for (const auto& line : r.lines) text(line);
  int side = 0;
  std::vector<bool> qr = qr_modules(r.qr, side);
  if (side > 0) {                  // GS v 0: a raster image, 6 dots per module, 4 modules of quiet zone
    const int scale = 6, quiet = 4, dots = (side + 2 * quiet) * scale, bytes_per_row = (dots + 7) / 8;
    b += {GS, 'v', '0', 0, char(bytes_per_row & 0xFF), char(bytes_per_row >> 8), char(dots & 0xFF), char(dots >> 8)};
    for (int y = 0; y < dots; ++y)
      for (int xb = 0; xb < bytes_per_row; ++xb) {
        unsigned char byte = 0;
        for (int bit = 0; bit < 8; ++bit) {
          int x = xb * 8 + bit, mx = x / scale - quiet, my = y / scale - quiet;
          bool dark = mx >= 0 && my >= 0 && mx < side && my < side && qr[size_t(my * side + mx)];
          if (dark) byte |= (0x80 >> bit);
        }
        b += char(byte);
      }
    b += LF;
  }
  b += {LF, LF, LF};
  b += {GS, 'V', 66, 0};           // feed and cut
  return b;
}

std::vector<std::string> decode_text(const std::string& b) {
  std::vector<std::string> lines;
  std::string line;
  for (size_t i = 0; i < b.size();) {
    unsigned char c = b[i];
    if (c == ESC && i + 1 < b.size()) {
      char cmd = b[i + 1];
      i += cmd == '@' ? 2 : 3;  // ESC @, ESC a n
    } else if (c == FS) {
      i += 2;                   // FS &
    } else if (c == GS && i + 1 < b.size()) {
      char cmd = b[i + 1];
      if (cmd == 'v' && i + 7 < b.size()) {  // a raster image: skip its data
        size_t bpr = size_t((unsigned char)b[i + 4]) | size_t((unsigned char)b[i + 5]) << 8;
        size_t rows = size_t((unsigned char)b[i + 6]) | size_t((unsigned char)b[i + 7]) << 8;
        i += 8 + bpr * rows;
      } else {
        i += cmd == 'V' ? 4 : 3;  // GS V m n, GS ! n
      }
    } else if (c == LF) {
      if (!line.empty()) lines.push_back(gb18030_to_utf8(line));
      line.clear();
      ++i;
    } else {
      line += char(c);
      ++i;
    }
  }
  if (!line.empty()) lines.push_back(gb18030_to_utf8(line));
  return lines;
}

std::string send_to_printer(const std::string& target, const std::string& bytes) {
  int fd = -1;
  if (target.rfind("tcp:", 0) == 0) {  // tcp:HOST:PORT, a network printer
    auto colon = target.rfind(':');
    std::string host = target.substr(4, colon - 4), port = target.substr(colon + 1);
    addrinfo hints{}, *res = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res) return "printer " + target + ": unknown address";
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{3, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
      freeaddrinfo(res);
      if (fd >= 0) close(fd);
      return "printer " + target + ": cannot connect: " + std::strerror(errno);
    }
    freeaddrinfo(res);
  } else {
    fd = open(target.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return "printer " + target + ": cannot open: " + std::strerror(errno);
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      std::string why = std::strerror(errno);
      close(fd);
      return "printer " + target + ": write failed: " + why;
    }
    done += size_t(n);
  }
  close(fd);
  return "";
}

}  // namespace hall::kiosk
