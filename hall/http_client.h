// One HTTP request with libcurl: TLS verified (CA file from the config or
// the system's), a hard timeout, no redirects followed, no signals.
#pragma once

#include <string>
#include <vector>

namespace hall {

struct HttpResult {
  long status = 0;        // 0 when no HTTP answer came (refused, timeout, TLS failure)
  std::string body;
  std::string error;      // what went wrong, for the log and the metrics
  bool ok() const { return status >= 200 && status < 300; }
};

HttpResult http_request(const std::string& method, const std::string& url, const std::string& body,
                        const std::vector<std::string>& headers, int timeout_ms, const std::string& ca_file);

}  // namespace hall
