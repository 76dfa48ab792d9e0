#include "hall/server.h"
#include "hall/county_feed.h"

#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <cstdint>
#include <cstdio>

#include <zmq.hpp>

#include "hall/health.h"
#include "hall/upstream.h"
#include "shared/curve.h"
#include "shared/publisher.h"
#include "shared/sdnotify.h"
#include "shared/stats.h"

namespace hall {

struct HallServer::Sockets {
  zmq::context_t context{1};
  zmq::socket_t router{context, zmq::socket_type::router};
  // XPUB: a PUB that also hears (un)subscriptions, so /metrics can count subscribers.
  zmq::socket_t pub{context, zmq::socket_type::xpub};
  std::thread zap;  // CURVE: the ZAP handler that says which keys may connect
  ~Sockets() {
    router.close();
    pub.close();
    context.shutdown();  // ends the ZAP handler's wait
    if (zap.joinable()) zap.join();
  }
};

namespace {

// ZAP (ZeroMQ RFC 27): libzmq asks, for each CURVE handshake, whether this
// client key may connect; the answer's user id ("role:name:window") comes
// with every message that client sends.
void serve_zap(zmq::socket_t zap, std::map<std::string, std::string> users) {
  while (true) {
    std::vector<zmq::message_t> request;
    try {
      do {
        zmq::message_t part;
        if (!zap.recv(part)) break;
        request.push_back(std::move(part));
      } while (request.back().more());
    } catch (const zmq::error_t&) {
      return;  // the context is shutting down
    }
    if (request.size() < 6) continue;
    std::string user;
    if (request[5].to_string() == "CURVE" && request.size() >= 7 && request[6].size() == 32) {
      char z85[41];
      zmq_z85_encode(z85, static_cast<const uint8_t*>(request[6].data()), 32);
      auto it = users.find(z85);
      if (it != users.end()) user = it->second;
    }
    std::vector<std::string> reply{"1.0", request[1].to_string(), user.empty() ? "400" : "200", user.empty() ? "key not allowed" : "OK", user, ""};
    try {
      for (size_t i = 0; i < reply.size(); ++i)
        zap.send(zmq::buffer(reply[i]), i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    } catch (const zmq::error_t&) {
      return;
    }
  }
}

}  // namespace

// One request of the current batch, waiting for its reply.
struct HallServer::Pending {
  std::vector<zmq::message_t> envelope;  // routing id (and an empty delimiter, if the client sent one)
  Request request;
  bool remember = false;                 // a successful command: store its reply under its key
  json reply;                            // built now for errors and queries; at commit for commands
  std::string encoded;                   // a reply already encoded (snapshots); wins over `reply`
  json result;
  std::chrono::steady_clock::time_point received = std::chrono::steady_clock::now();
  std::string user;                      // CURVE: "role:name:window" from the ZAP handler
};

HallServer::HallServer(HallConfig config, HallClock clock)
    : config_(std::move(config)), clock_(clock), engine_(state_, clock_), sockets_(std::make_unique<Sockets>()) {
  store_ = std::make_unique<Store>(config_.database);
  epoch_ = random_key().substr(0, 16);
  figures_.hall_id = config_.hall.id;
  figures_.started_ms = wall_ms();
  figures_.loop_ms = wall_ms();
  load();
  feeding_ = !config_.county.feed.empty();
  if (feeding_ && seq_ > 0 && store_->start_feed(seq_, clock_.now_ms()))
    std::fprintf(stderr, "hall-server: county feed started: this hall's state and archive at seq %llu go first\n", (unsigned long long)seq_);
  engine_.reindex();
  engine_.configure(config_);
  engine_.set_ticket_links(store_->ticket_secret(), config_.public_url);
  engine_.roll_over_if_new_day();
  std::vector<Pending> none;
  flush(none);
  auto& s = *sockets_;
  s.router.set(zmq::sockopt::linger, 0);
  s.router.set(zmq::sockopt::maxmsgsize, kSocketMaxMsgSize);
  s.router.set(zmq::sockopt::router_mandatory, false);
  s.pub.set(zmq::sockopt::linger, 0);
  s.pub.set(zmq::sockopt::sndhwm, config_.bus.update_hwm);  // a stuck subscriber costs at most this many updates
  if (config_.bus.update_sndbuf_kb > 0)                     // …and this much kernel memory (not the ~4 MB TCP would grow to)
    s.pub.set(zmq::sockopt::sndbuf, config_.bus.update_sndbuf_kb * 1024);
  s.router.set(zmq::sockopt::sndhwm, kReplyHwm);           // and a client that reads no replies, this many
  s.pub.set(zmq::sockopt::xpub_verboser, 1);  // every subscribe and unsubscribe, so the count stays true
  if (config_.security.mode == "curve") {
    std::map<std::string, std::string> users;
    for (const auto& k : config_.security.clients) users[k.public_key] = k.role + ":" + k.name + ":" + std::to_string(k.window);
    // The case pull is a client of this server too: an admin key of its own, made fresh at each start.
    self_keys_ = make_curve_keypair();
    users[self_keys_.first] = "admin:hall-server:0";
    zmq::socket_t zap(s.context, zmq::socket_type::rep);
    zap.bind("inproc://zeromq.zap.01");  // before any socket binds: no handshake may pass unasked
    s.zap = std::thread(serve_zap, std::move(zap), users);
    for (zmq::socket_t* sock : {&s.router, &s.pub}) {
      sock->set(zmq::sockopt::zap_domain, "hall");
      sock->set(zmq::sockopt::curve_server, 1);
      sock->set(zmq::sockopt::curve_secretkey, config_.security.secret_key);
    }
  }
  s.router.bind(config_.bus.commands);
  s.pub.bind(config_.bus.updates);
  if (!config_.upstream.ratings_url.empty() || !config_.upstream.cases_url.empty()) {
    // The case pull speaks to this server as a client does, over loopback.
    std::string self = config_.bus.commands;
    for (const char* any : {"tcp://*:", "tcp://0.0.0.0:"})
      if (self.rfind(any, 0) == 0) self = "tcp://127.0.0.1:" + self.substr(std::string(any).size());
    CurveKeys keys;
    if (config_.security.mode == "curve") keys = {config_.security.public_key, self_keys_.first, self_keys_.second};
    upstream_ = std::make_unique<Upstream>(config_.upstream, config_.hall.id, config_.database, self, keys);
    upstream_->start();
  }
  if (feeding_) {
    if (seq_ > 0) store_->start_feed(seq_, clock_.now_ms());  // a hall that had committed nothing at start: its baseline now
    county_ = std::make_unique<CountyFeed>(config_.county, config_.hall, config_.database);
    county_->start();
  }
  refresh_figures();
  if (!config_.http_listen.empty())
    health_ = std::make_unique<HealthServer>(config_.http_listen, [this] {
      std::lock_guard lock(figures_mutex_);
      HealthFigures f = figures_;
      if (upstream_) f.upstream = upstream_->status(), f.upstream_on = !config_.upstream.ratings_url.empty();
      return f;
    });
}

// What /metrics shows, copied under a lock; the hall's state stays this thread's.
// Cheap enough for every second of a busy day: the queue index, not a scan of all tickets.
void HallServer::refresh_figures() {
  auto waiting = engine_.waiting_by_category();
  int open = 0;
  for (const auto& [n, w] : state_.windows) open += w.state == WindowState::Open;
  std::vector<std::string> silent;
  for (const auto& [id, d] : state_.devices)
    if (d.silent) silent.push_back(id);
  std::lock_guard lock(figures_mutex_);
  figures_.devices = int(state_.devices.size());
  figures_.devices_silent = int(silent.size());
  figures_.silent_devices = std::move(silent);
  figures_.seq = seq_;
  figures_.waiting = std::move(waiting);
  figures_.windows_open = open;
}

HallServer::~HallServer() {
  health_.reset();
  if (upstream_) upstream_->stop();
  if (county_) county_->stop();
}

void HallServer::load() {
  state_.clear();
  store_->for_each_entity([&](const std::string& key, const json& value) { state_.apply(key, value); });
  seq_ = store_->seq();
  state_.seq = seq_;
}

void HallServer::publish(const char* topic, const json& body) {
  auto& pub = sockets_->pub;
  pub.send(zmq::buffer(std::string(topic)), zmq::send_flags::sndmore);
  pub.send(zmq::buffer(body.dump()), zmq::send_flags::none);
  last_publish_ms_ = wall_ms();
}

const std::string& HallServer::encoded_snapshot() {
  if (snapshot_seq_ != seq_ || snapshot_json_.empty()) {
    json entities = json::array();
    for (auto& [key, value] : state_.entities()) entities.push_back({{"key", key}, {"value", std::move(value)}});
    snapshot_json_ = json{{"epoch", epoch_}, {"seq", seq_}, {"entities", std::move(entities)}}.dump();
    snapshot_seq_ = seq_;
  }
  return snapshot_json_;
}

json HallServer::answer_query(const Request& req) {
  if (req.cmd == "ping")
    return json{{"epoch", epoch_}, {"seq", seq_}, {"hall", state_.hall.id}, {"now_ms", clock_.now_ms()}, {"speed", clock_.scale()}};
  if (req.cmd == "stats") return to_json(compute_stats(state_, clock_.now_ms()));
  if (req.cmd == "lookup_case") return engine_.lookup_case(req.args);
  if (req.cmd == "ticket_by_token") return engine_.ticket_by_token(req.args);
  if (req.cmd == "slots") return engine_.slots(req.args);
  if (req.cmd == "booking") return engine_.booking(req.args);
  if (req.cmd == "screenshot") return engine_.screenshot(req.args);
  if (req.cmd == "contact") {  // a complaint's phone number, for the manager who calls back
    if (!req.args.contains("complaint") || !req.args["complaint"].is_string())
      throw BusError(err::kInvalidArgument, "argument 'complaint' is missing");
    if (!state_.complaints.count(req.args["complaint"]))
      throw BusError(err::kUnknownComplaint, "complaint '" + req.args["complaint"].get<std::string>() + "' does not exist");
    auto c = state_.contacts.find(req.args["complaint"]);
    return json{{"complaint", req.args["complaint"]}, {"phone", c == state_.contacts.end() ? "" : c->second.phone}};
  }
  if (req.cmd == "get") {
    if (!req.args.contains("key") || !req.args["key"].is_string())
      throw BusError(err::kInvalidArgument, "argument 'key' is missing");
    if (is_private_key(req.args["key"]))
      throw BusError(err::kInvalidArgument, "'" + req.args["key"].get<std::string>() + "' is private; ask with the contact query");
    try {
      return json{{"key", req.args["key"]}, {"value", state_.get(req.args["key"])}};
    } catch (const std::invalid_argument& e) {
      throw BusError(err::kInvalidArgument, e.what());
    }
  }
  throw BusError(err::kUnknownCommand, "unknown command '" + req.cmd + "'");
}

// Commits what the batch changed, then replies to every request in order and
// publishes the change. Nothing is acknowledged before it is durable.
void HallServer::flush(std::vector<Pending>& batch) {
  auto changes = engine_.take_changes();
  auto archived = engine_.take_archived();
  bool commands = false;
  for (auto& p : batch) commands |= p.remember;
  if (!changes.empty() || commands) {
    const uint64_t next = changes.empty() ? seq_ : seq_ + 1;
    const int64_t now = clock_.now_ms();
    try {
      store_->begin();
      for (auto& [key, value] : archived) store_->archive(key, value, now);
      bool queued = false;
      for (const auto& key : changes) {
        json value = state_.get(key);
        store_->put(key, value);
        queued |= queue_upstream(key, value, now);
        if (feeding_ && !is_private_key(key)) store_->feed(next, key, value, now);  // for the county, in this same transaction
      }
      for (auto& p : batch) {
        if (!p.remember) continue;
        p.reply = ok_reply(p.request.id, next, std::move(p.result));
        store_->remember(p.request.key, p.request.cmd, p.reply, wall_ms());
      }
      store_->set_seq(next);
      store_->commit();
      if (queued && upstream_) upstream_->poke();
      if (county_ && !changes.empty()) county_->poke();
      std::lock_guard lock(figures_mutex_);
      figures_.storage_ok = true;
      if (next != seq_) {
        seq_ = next;
        state_.seq = next;
        json list = json::array();
        for (const auto& key : changes)
          if (!is_private_key(key)) list.push_back({{"key", key}, {"value", state_.get(key)}});
        publish(kTopicUpdate, json{{"v", kProtocolVersion}, {"epoch", epoch_}, {"seq", seq_}, {"at_ms", now},
                                   {"wall_us", wall_us()}, {"changes", std::move(list)}});
      }
    } catch (const std::exception& e) {
      // Disk full, I/O error…: nothing of this batch happened. Back to the
      // last durable state and tell every client so; their retries are safe.
      std::fprintf(stderr, "hall-server: storage failed, %zu change(s) rolled back: %s\n", changes.size(), e.what());
      {
        std::lock_guard lock(figures_mutex_);
        figures_.storage_ok = false;
        ++figures_.storage_failures;
      }
      store_->rollback();
      load();
      engine_.reindex();
      for (auto& p : batch)
        if (p.remember)
          p.reply = error_reply(p.request.id, err::kStorageFailed, std::string("the hall server could not store the command: ") + e.what());
    }
  }
  auto& router = sockets_->router;
  auto sent = std::chrono::steady_clock::now();
  std::lock_guard lock(figures_mutex_);
  for (auto& p : batch) {
    for (auto& part : p.envelope) router.send(part, zmq::send_flags::sndmore);
    router.send(zmq::buffer(p.encoded.empty() ? p.reply.dump() : p.encoded), zmq::send_flags::dontwait);
    double s = std::chrono::duration<double>(sent - p.received).count();
    size_t b = 0;
    while (b < HealthFigures::kBuckets.size() && s > HealthFigures::kBuckets[b]) ++b;
    ++figures_.latency[b];
    figures_.latency_sum_s += s;
    if (!p.encoded.empty() || p.reply.value("ok", false)) ++figures_.commands_ok;
    else ++figures_.commands_refused;
  }
  batch.clear();
}

// A rating, or a step of a 差评 follow-up, goes to the provincial platform:
// queued in the transaction that makes it durable. The key names the record
// and its version, so the platform can drop a duplicate.
bool HallServer::queue_upstream(const std::string& key, const json& value, int64_t now) {
  if (!upstream_ || config_.upstream.ratings_url.empty() || value.is_null()) return false;
  if (key.rfind("rating/", 0) == 0) {
    store_->enqueue_upstream("rating:" + value.value("key", ""), "rating", value, now);
    return true;
  }
  if (key.rfind("followup/", 0) == 0) {
    store_->enqueue_upstream("followup:" + value.value("key", "") + ":" + std::to_string(value.value("history", json::array()).size()),
                             "followup", value, now);
    return true;
  }
  return false;
}

void HallServer::handle(const std::string& body, std::vector<Pending>& batch) {
  Pending& p = batch.back();
  try {
    p.request = parse_request(body);
  } catch (const BusError& e) {
    json j = json::parse(body.size() <= kMaxRequestBytes ? body : "", nullptr, false);
    std::string id = j.is_object() && j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "";
    p.reply = error_reply(id, e.code, e.what());
    return;
  }
  Request& req = p.request;
  try {
    const CommandSpec* spec = find_command(req.cmd);
    if (!spec) throw BusError(err::kUnknownCommand, "unknown command '" + req.cmd + "'");
    authorize(p.user, *spec, req);
    if (!spec->mutating) {
      Pending mine = std::move(p);
      batch.pop_back();
      flush(batch);  // earlier commands first, so the answer sees them durable
      try {
        if (mine.request.cmd == "snapshot") {
          {
            std::lock_guard lock(figures_mutex_);
            ++figures_.snapshots;
          }
          mine.encoded = "{\"v\":" + std::to_string(kProtocolVersion) + ",\"id\":" + json(mine.request.id).dump() +
                         ",\"ok\":true,\"seq\":" + std::to_string(seq_) + ",\"result\":" + encoded_snapshot() + "}";
        } else
          mine.reply = ok_reply(mine.request.id, seq_, answer_query(mine.request));
      } catch (const BusError& e) {
        mine.reply = error_reply(mine.request.id, e.code, e.what());
      }
      batch.push_back(std::move(mine));
      return;
    }
    if (req.key.empty()) throw BusError(err::kKeyRequired, "command '" + req.cmd + "' needs an idempotency 'key'");
    for (size_t i = 0; i + 1 < batch.size(); ++i)
      if (batch[i].remember && batch[i].request.key == req.key) {  // a retry inside this batch
        Pending mine = std::move(p);
        batch.pop_back();
        flush(batch);
        batch.push_back(std::move(mine));
        break;
      }
    Request& r = batch.back().request;
    if (auto seen = store_->recall(r.key)) {
      if (seen->first != r.cmd)
        throw BusError(err::kKeyReused, "key '" + r.key + "' was used for '" + seen->first + "', not '" + r.cmd + "'");
      json reply = seen->second;
      reply["id"] = r.id;
      batch.back().reply = reply;
      return;
    }
    if (engine_.roll_over_if_new_day()) forget_old_keys_ = true;
    batch.back().result = engine_.execute(r.cmd, r.args);
    batch.back().remember = true;
  } catch (const BusError& e) {
    batch.back().reply = error_reply(batch.back().request.id, e.code, e.what());
  }
}

// What a client's role may do (docs/PROTOCOL.md §1), from the command table.
// Plain TCP: everything (a loopback demo).
void HallServer::authorize(const std::string& user, const CommandSpec& spec, const Request& req) const {
  if (config_.security.mode != "curve") return;
  auto colon = user.find(':');
  std::string role = user.substr(0, colon);
  std::string rest = colon == std::string::npos ? "" : user.substr(colon + 1);
  int window = std::atoi(rest.substr(rest.rfind(':') + 1).c_str());
  const unsigned bit = role_bit(role);
  if (bit == kAdmin) return;
  if (!(spec.roles & bit)) throw BusError(err::kForbidden, "a " + role + " key may not send '" + req.cmd + "'");
  if (spec.mutating && (bit & kWindowBoundRoles)) {
    auto w = req.args.find("window");
    if (w == req.args.end() || !w->is_number_integer() || w->get<int64_t>() != window)
      throw BusError(err::kForbidden, "a " + role + " key may not act for a window other than its own (" + std::to_string(window) + ")");
  }
}

void HallServer::count_subscriptions() {
  zmq::message_t m;
  int64_t delta = 0;
  while (sockets_->pub.recv(m, zmq::recv_flags::dontwait))
    if (m.size() > 0) delta += static_cast<const char*>(m.data())[0] == 1 ? 1 : -1;  // 1 subscribe, 0 unsubscribe
  std::lock_guard lock(figures_mutex_);
  figures_.subscribers = std::max<int64_t>(0, figures_.subscribers + delta);
}

void HallServer::run(const std::atomic<bool>& stop) {
  auto& router = sockets_->router;
  std::vector<Pending> batch;
  while (!stop) {
    int64_t since = wall_ms() - last_publish_ms_;
    int timeout = int(std::max<int64_t>(1, kHeartbeatMs - since));
    zmq::pollitem_t items[] = {{router.handle(), 0, ZMQ_POLLIN, 0}, {sockets_->pub.handle(), 0, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 2, std::chrono::milliseconds(timeout));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;
    }
    if (items[1].revents & ZMQ_POLLIN) count_subscriptions();
    if (int64_t now = wall_ms(); now - figures_refreshed_ms_ >= 1000) {
      figures_refreshed_ms_ = now;
      refresh_figures();
    }
    {
      std::lock_guard lock(figures_mutex_);
      figures_.loop_ms = wall_ms();
    }
    sd_watchdog_tick();  // the loop turns at least once a second (heartbeat timeout)
    auto& item = items[0];
    if (item.revents & ZMQ_POLLIN) {
      // Group commit: take everything that is waiting (bounded), one transaction.
      for (int n = 0; n < 1024; ++n) {
        std::vector<zmq::message_t> parts;
        zmq::message_t part;
        if (!router.recv(part, zmq::recv_flags::dontwait)) break;
        parts.push_back(std::move(part));
        while (parts.back().more()) {
          zmq::message_t more;
          (void)router.recv(more, zmq::recv_flags::none);
          parts.push_back(std::move(more));
        }
        if (parts.size() < 2) continue;  // no routing id: not from a DEALER/REQ
        Pending p;
        if (config_.security.mode == "curve") {
          const char* user = nullptr;
          try {
            user = parts.back().gets("User-Id");
          } catch (const zmq::error_t&) {
          }
          p.user = user ? user : "";
        }
        std::string body = parts.back().to_string();
        for (size_t i = 0; i + 1 < parts.size(); ++i) p.envelope.push_back(std::move(parts[i]));
        batch.push_back(std::move(p));
        handle(body, batch);
      }
      flush(batch);
    }
    if (engine_.roll_over_if_new_day()) {
      forget_old_keys_ = true;
      flush(batch);
    }
    if (wall_ms() - last_housekeeping_ms_ >= 1000) {  // silent screens, expired announcements
      last_housekeeping_ms_ = wall_ms();
      engine_.housekeep(last_housekeeping_ms_);
      flush(batch);
      refresh_figures();  // /metrics names a screen the moment it is marked silent
    }
    if (forget_old_keys_) {
      forget_old_keys_ = false;
      try {
        store_->forget_commands_before(wall_ms() - 7LL * 24 * 3600 * 1000);  // retries never come a week late
      } catch (const std::exception& e) {
        std::fprintf(stderr, "hall-server: pruning old idempotency keys failed: %s\n", e.what());
      }
    }
    if (wall_ms() - last_publish_ms_ >= kHeartbeatMs)
      publish(kTopicHeartbeat, json{{"v", kProtocolVersion}, {"epoch", epoch_}, {"seq", seq_}, {"at_ms", clock_.now_ms()}});
  }
}

}  // namespace hall
