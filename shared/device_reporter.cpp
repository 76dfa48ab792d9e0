#include "shared/device_reporter.h"

#include "shared/base64.h"

#include <chrono>

#include "shared/clock.h"

namespace hall {

#ifndef HALL_VERSION
#define HALL_VERSION "dev"
#endif
const char* const kProgramVersion = HALL_VERSION;

DeviceReporter::DeviceReporter(std::string commands, CurveKeys curve, DeviceIdentity who, std::string program, bool screenshots)
    : commands_(std::move(commands)), curve_(std::move(curve)), who_(std::move(who)), program_(std::move(program)), screenshots_(screenshots) {}

DeviceReporter::~DeviceReporter() { stop(); }

void DeviceReporter::start() {
  if (who_.id.empty() || thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void DeviceReporter::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeviceReporter::set_page(const std::string& page) {
  std::lock_guard lock(mutex_);
  if (page == page_) return;
  page_ = page;
  due_ = true;
  wake_.notify_all();
}

void DeviceReporter::touched(int64_t wall) {
  std::lock_guard lock(mutex_);
  last_input_wall_ms_ = wall;
}

void DeviceReporter::set_paper(const std::string& paper) {
  std::lock_guard lock(mutex_);
  if (paper == paper_) return;
  paper_ = paper;
  due_ = true;
  wake_.notify_all();
}

void DeviceReporter::set_interval_ms(int ms) {
  std::lock_guard lock(mutex_);
  ms = std::max(1000, ms);
  if (ms == interval_ms_) return;
  interval_ms_ = ms;
  interval_changed_ = true;
  wake_.notify_all();
}

void DeviceReporter::send_picture(int64_t asked_ms, std::string png) {
  std::lock_guard lock(mutex_);
  picture_asked_ms_ = asked_ms;
  picture_ = std::move(png);
  wake_.notify_all();
}

int DeviceReporter::reports() const {
  std::lock_guard lock(mutex_);
  return reports_;
}

void DeviceReporter::run() {
  HallClient client(commands_, ClientOptions{2000, 1, curve_});
  auto next = std::chrono::steady_clock::now();
  auto last = next;  // when the last report went
  while (true) {
    json args;
    int64_t asked = 0;
    std::string picture;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next, [&] { return stop_ || due_ || !picture_.empty() || interval_changed_; });
      if (stop_) return;
      if (interval_changed_) {  // a report every interval from the last one, by the interval now known
        interval_changed_ = false;
        next = last + std::chrono::milliseconds(interval_ms_);
        if (!due_ && picture_.empty()) continue;
      }
      asked = picture_asked_ms_;
      picture.swap(picture_);
      const bool report = due_ || std::chrono::steady_clock::now() >= next;
      due_ = false;
      if (report) {
        args = {{"device", who_.id}, {"kind", who_.kind}, {"program", program_}, {"version", kProgramVersion},
                {"page", page_}, {"screenshots", screenshots_ ? 1 : 0}};
        if (who_.window) args["window"] = who_.window;
        if (!paper_.empty()) args["paper"] = paper_;
        if (last_input_wall_ms_) args["idle_ms"] = std::max<int64_t>(0, wall_ms() - last_input_wall_ms_);
        last = std::chrono::steady_clock::now();
        next = last + std::chrono::milliseconds(interval_ms_);
      }
    }
    if (!args.is_null()) {
      Reply r = client.call("report_device", args);
      std::lock_guard lock(mutex_);
      if (r.ok) ++reports_;
      else if (r.code == err::kTimeout) due_ = true, next = std::chrono::steady_clock::now() + std::chrono::seconds(2);  // the server is away: again soon
    }
    if (!picture.empty()) {
      const std::string b64 = to_base64(picture);
      const size_t part_bytes = kScreenshotPartBytes;
      const int parts = int((b64.size() + part_bytes - 1) / part_bytes);
      if (parts > kScreenshotMaxParts) continue;  // too large to send: the console says no picture came
      for (int i = 0; i < parts; ++i) {
        json a{{"device", who_.id}, {"asked_ms", asked}, {"part", i}, {"parts", parts}, {"data", b64.substr(size_t(i) * part_bytes, part_bytes)}};
        if (who_.window) a["window"] = who_.window;
        if (!client.call("put_screenshot", a).ok) break;
      }
    }
  }
}

}  // namespace hall
