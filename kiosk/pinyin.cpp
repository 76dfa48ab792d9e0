#include "kiosk/pinyin.h"

#include <rime_api.h>

#include <filesystem>
#include <mutex>

namespace hall::kiosk {

namespace {
constexpr const char* kSharedData = "/usr/share/rime-data";
constexpr const char* kSchema = "luna_pinyin_simp";
constexpr int kBackSpace = 0xff08, kPageUp = 0xff55, kPageDown = 0xff56;  // X11 keysyms, as RIME takes them

RimeApi* rime(const std::string& user_dir) {
  static RimeApi* api = nullptr;
  static std::once_flag once;
  static std::string user;  // RIME keeps the pointer
  std::call_once(once, [&] {
    user = user_dir;
    std::error_code ec;
    std::filesystem::create_directories(user, ec);
    api = rime_get_api();
    RIME_STRUCT(RimeTraits, traits);
    traits.shared_data_dir = kSharedData;
    traits.user_data_dir = user.c_str();
    traits.app_name = "rime.hall-kiosk";
    traits.min_log_level = 3;  // fatal only: a kiosk has no one to read RIME's chatter
    api->setup(&traits);
    api->initialize(&traits);
  });
  return api;
}
}  // namespace

std::unique_ptr<PinyinInput> PinyinInput::open(const std::string& user_dir, std::string* why) {
  if (!std::filesystem::exists(std::string(kSharedData) + "/build/" + kSchema + ".schema.yaml")) {
    if (why) *why = std::string(kSharedData) + ": no " + kSchema + " (install rime-data-luna-pinyin)";
    return nullptr;
  }
  RimeApi* api = rime(user_dir);
  RimeSessionId s = api->create_session();
  if (!s || !api->select_schema(s, kSchema)) {
    if (s) api->destroy_session(s);
    if (why) *why = std::string("RIME could not start the ") + kSchema + " schema";
    return nullptr;
  }
  return std::unique_ptr<PinyinInput>(new PinyinInput(uintptr_t(s)));
}

PinyinInput::~PinyinInput() { rime_get_api()->destroy_session(RimeSessionId(session_)); }

void PinyinInput::key(char letter) {
  if (letter >= 'A' && letter <= 'Z') letter = char(letter - 'A' + 'a');
  if (letter >= 'a' && letter <= 'z') rime_get_api()->process_key(RimeSessionId(session_), letter, 0);
}
void PinyinInput::erase() { rime_get_api()->process_key(RimeSessionId(session_), kBackSpace, 0); }
void PinyinInput::clear() { rime_get_api()->clear_composition(RimeSessionId(session_)); }
void PinyinInput::next_page() { rime_get_api()->process_key(RimeSessionId(session_), kPageDown, 0); }
void PinyinInput::previous_page() { rime_get_api()->process_key(RimeSessionId(session_), kPageUp, 0); }

namespace {
template <class F>
void with_context(uintptr_t session, F f) {
  RIME_STRUCT(RimeContext, ctx);
  if (!rime_get_api()->get_context(RimeSessionId(session), &ctx)) return;
  f(ctx);
  rime_get_api()->free_context(&ctx);
}
}  // namespace

std::string PinyinInput::spelling() const {
  std::string out;
  with_context(session_, [&](const RimeContext& c) { out = c.composition.preedit ? c.composition.preedit : ""; });
  return out;
}

std::vector<std::string> PinyinInput::candidates() const {
  std::vector<std::string> out;
  with_context(session_, [&](const RimeContext& c) {
    for (int i = 0; i < c.menu.num_candidates; ++i) out.emplace_back(c.menu.candidates[i].text);
  });
  return out;
}

bool PinyinInput::last_page() const {
  bool last = true;
  with_context(session_, [&](const RimeContext& c) { last = c.menu.is_last_page; });
  return last;
}

std::string PinyinInput::pick(size_t index) {
  RimeApi* api = rime_get_api();
  if (!api->select_candidate_on_current_page(RimeSessionId(session_), index)) return "";
  std::string text;
  RIME_STRUCT(RimeCommit, commit);
  if (api->get_commit(RimeSessionId(session_), &commit)) {
    text = commit.text ? commit.text : "";
    api->free_commit(&commit);
  }
  return text;
}

}  // namespace hall::kiosk
