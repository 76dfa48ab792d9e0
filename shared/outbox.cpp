#include "shared/outbox.h"

#include <fcntl.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "shared/clock.h"

namespace hall {

namespace fs = std::filesystem;

Outbox::Outbox(std::string dir, std::string endpoint, int retry_ms, DeviceIdentity device, CurveKeys curve)
    : dir_(std::move(dir)), endpoint_(std::move(endpoint)), retry_ms_(retry_ms), device_(std::move(device)), curve_(std::move(curve)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_)) throw std::runtime_error("outbox " + dir_ + ": cannot create the folder: " + ec.message());
}

Outbox::~Outbox() { stop(); }

static void write_durably(const std::string& path, const std::string& text, const std::string& dir) {
  std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("outbox: cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = write(fd, text.data(), text.size()) == ssize_t(text.size()) && fsync(fd) == 0;
  int saved = errno;
  close(fd);
  if (!ok) {
    unlink(tmp.c_str());
    throw std::runtime_error("outbox: cannot write " + tmp + " (disk full?): " + std::strerror(saved));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("outbox: cannot rename " + tmp + ": " + std::strerror(errno));
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // the rename itself must survive a power cut
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
}

Kept Outbox::put(const std::string& cmd, const json& args) {
  Kept kept;
  kept.key = random_key();
  json entry{{"cmd", cmd}, {"args", args}, {"key", kept.key}, {"created_ms", wall_ms()}};
  try {
    write_durably(dir_ + "/" + kept.key + ".json", entry.dump(), dir_);
    storage_ok_ = true;
  } catch (const std::exception& e) {
    kept.on_disk = false;
    kept.error = e.what();
    storage_ok_ = false;
    std::fprintf(stderr, "outbox: kept in memory only, %s\n", e.what());
  }
  {
    std::lock_guard lock(mutex_);
    if (!kept.on_disk) {
      in_memory_.push_back(entry);
      storage_error_ = kept.error;
    }
    poked_ = true;
  }
  wake_.notify_all();
  return kept;
}

size_t Outbox::pending() const {
  size_t n = 0;
  {
    std::lock_guard lock(mutex_);
    n = in_memory_.size();
  }
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return n;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.path().extension() == ".json") ++n;
  return n;
}

void Outbox::on_delivered(std::function<void(const std::string&, const Reply&)> callback) {
  std::lock_guard lock(mutex_);
  callback_ = std::move(callback);
}

void Outbox::start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void Outbox::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Outbox::run() {
  while (true) {
    deliver_all();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(retry_ms_), [&] { return stop_ || poked_; });
    if (stop_) return;
    poked_ = false;
  }
}

// One entry to the server. Delivered: its file goes. Refused for good (the
// same key would get the same answer): kept beside the queue as .refused,
// for a person to look at. False when the server is away.
bool Outbox::deliver(HallClient& client, const json& entry, const std::string& file) {
  Reply r = client.call(entry["cmd"], entry.value("args", json::object()), entry["key"]);
  if (!r.ok && (r.code == err::kTimeout || r.code == err::kStorageFailed)) return false;
  std::error_code ec;
  if (!file.empty()) {
    if (r.ok) fs::remove(file, ec);
    else fs::rename(file, file + ".refused", ec);
  }
  std::function<void(const std::string&, const Reply&)> cb;
  {
    std::lock_guard lock(mutex_);
    cb = callback_;
  }
  if (cb) cb(entry["key"], r);
  return true;
}

void Outbox::deliver_all() {
  HallClient client(endpoint_, ClientOptions{1500, 1, curve_});
  // The fault first, so managers hear of it even while entries wait.
  if (!device_.id.empty() && reported_ok_ != storage_ok_) {
    bool ok = storage_ok_;
    json args{{"device", device_.id}, {"kind", device_.kind}, {"storage", ok ? "ok" : "full"}};
    if (device_.window) args["window"] = device_.window;
    {
      std::lock_guard lock(mutex_);
      if (!ok) args["detail"] = storage_error_.substr(0, 200);
    }
    Reply r = client.call("report_device", args);
    if (r.ok) reported_ok_ = ok;
    else if (r.code == err::kTimeout) return;
  }
  // Entries only in memory (the disk refused them) go first: they are the ones a stop would lose.
  while (true) {
    json entry;
    {
      std::lock_guard lock(mutex_);
      if (in_memory_.empty()) break;
      entry = in_memory_.front();
    }
    if (!deliver(client, entry, "")) return;
    std::lock_guard lock(mutex_);
    in_memory_.erase(in_memory_.begin());
  }
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    json entry = json::parse(text.str(), nullptr, false);
    if (entry.is_discarded() || !entry.contains("cmd") || !entry.contains("key")) {
      fs::rename(path, path.string() + ".unreadable", ec);  // keep it for a person to look at; never block the rest
      continue;
    }
    if (!deliver(client, entry, path.string())) return;
  }
}

}  // namespace hall
