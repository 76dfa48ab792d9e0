// ESC/POS receipts for the ticket printer: text in GB18030 (what Chinese
// receipt printers speak), the number in large type, the QR code as a raster
// image from libqrencode (works on printers without a QR command), a cut.
// The target is a device or file path, or "tcp:HOST:PORT" for a network
// printer (port 9100).
#pragma once

#include <string>
#include <vector>

namespace hall::kiosk {

struct Receipt {
  std::string hall;            // 示范县政务服务中心
  std::string number;          // A023
  std::string category;        // 企业开办
  std::vector<std::string> lines;  // ahead, estimate, windows, time
  std::string qr;              // what the QR code carries
};

std::string encode_receipt(const Receipt& r);                  // the bytes to send
std::string utf8_to_gb18030(const std::string& utf8);
std::string gb18030_to_utf8(const std::string& gb);
std::vector<std::string> decode_text(const std::string& escpos);  // the printed text lines, as UTF-8 (tests, printer test)
// Writes the bytes to the target; "" on success, else what went wrong.
std::string send_to_printer(const std::string& target, const std::string& bytes);

// QR modules (true = dark), row by row, side × side; empty when the text cannot be encoded.
std::vector<bool> qr_modules(const std::string& text, int& side);

}  // namespace hall::kiosk
