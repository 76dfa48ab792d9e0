// hall-gateway: the hall in a browser. One more client of the bus, like a
// screen: a mirror of the hall (or of a relay) and the same command client.
// It serves plain pages from assets/web and a small JSON API over HTTP
// (cpp-httplib), and pushes live changes to browsers with Server-Sent
// Events. The public side (citizens' phones) listens on its own address;
// docs/WEB.md says what each address serves.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "gateway/console_auth.h"
#include "shared/client.h"
#include "shared/clock.h"
#include "shared/mirror.h"
#include "shared/stats.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}

namespace hall {

struct GatewayOptions {
  std::string commands = "tcp://127.0.0.1:5555";  // the hall server (or a relay)
  std::string updates = "tcp://127.0.0.1:5556";
  std::string public_listen = "0.0.0.0:8080";    // phones: ticket pages
  std::string staff_listen = "127.0.0.1:8081";   // the managers' console (the office network); "" = none
  std::string users;                             // the console's users file (names, roles, Argon2id hashes)
  bool secure_cookies = false;                   // behind HTTPS: the session cookie is Secure
  std::string assets;                            // the folder with web/ (default: the installed assets)
  int threads = 256;                             // HTTP worker threads; each open event stream holds one (~40 KB)
  int keepalive_s = 15;                          // an event stream hears a comment at least this often
  CurveKeys curve = curve_from_environment();
};

class Gateway {
 public:
  explicit Gateway(GatewayOptions o);          // reads the pages; throws naming what is missing
  ~Gateway();
  void run();                                  // until stop(); prints "ready …" once listening
  void stop();
  int streams() const { return streams_; }     // event streams open now

 private:
  // A phone's token → the ticket it names (asked of the hall server once, then kept for the day).
  std::string resolve(const std::string& token, std::string& error);
  nlohmann::json ticket_json(const std::string& key);  // what the phone page shows; null when the ticket left the state
  void hall_changed();                         // on the mirror's thread: the digest and every watched ticket's page, once
  void routes();
  void remote_routes();                        // remote.cpp: the hall's public page and remote tickets
  nlohmann::json hall_offer();
  // The console (console.cpp): its routes on the staff address, who is signed
  // in, and the one view of the hall every open console shares.
  enum class Need { Read, Act, Personal };  // Act and Personal: the manager role only
  void console_routes();
  std::optional<ConsoleSession> signed_in(const httplib::Request& req, httplib::Response& res, Need need);
  std::shared_ptr<const std::string> console_view();  // made at most once per change of the hall
  nlohmann::json make_console_view();
  void act(const httplib::Request& req, httplib::Response& res, const ConsoleSession& s, const std::string& cmd, nlohmann::json args);
  int64_t hall_now_ms();
  // Waits (at most `most`) until the mirror shows what `ready` looks for.
  bool wait_hall(std::chrono::milliseconds most, const std::function<bool(const HallState&)>& ready);
  GatewayOptions o_;
  HallMirror mirror_;
  HallClient client_;
  std::unique_ptr<httplib::Server> public_;
  std::unique_ptr<httplib::Server> staff_;
  std::string ticket_page_, console_page_, hall_page_, booking_page_;
  std::map<std::string, nlohmann::json> report_words_;  // language → the report's words
  ConsoleUsers users_;
  ConsoleSessions sessions_;
  LockOut lockout_;
  std::mutex hashing_;                         // one Argon2id check at a time (64 MB each)
  std::mutex build_mutex_;                     // one thread makes the console view at a time
  std::mutex view_mutex_;                      // guards the console view and the hall clock
  std::shared_ptr<const std::string> view_;
  uint64_t view_version_ = UINT64_MAX;
  HallClock clock_;
  int64_t clock_read_ms_ = 0;                  // wall time the hall's clock was last asked for
  bool clock_known_ = false;
  std::mutex mutex_;                           // guards what follows
  std::condition_variable changed_;
  uint64_t version_ = 0;                       // bumped on every change of the hall
  std::shared_ptr<const QueueDigest> digest_;  // made once per change, read by every stream
  using Views = std::map<std::string, std::string>;  // ticket key → its page's JSON ("" when it left today)
  std::shared_ptr<const Views> views_;         // of every watched ticket, made once per change
  std::map<std::string, int> watched_;         // ticket key → event streams open on it
  std::map<std::string, std::string> tokens_;  // token → ticket key
  std::set<std::string> refused_;              // tokens the hall said no to (bounded)
  bool stopping_ = false;
  std::atomic<int> streams_{0};
  std::atomic<int> console_streams_{0};
};

}  // namespace hall
