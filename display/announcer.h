// Announcer: the call voice. A chime, then Mandarin from espeak-ng (offline),
// through SDL audio. Announcements queue on one worker thread and never
// overlap or cut each other off. With voice off, the chime still sounds.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hall::display {

class Announcer {
 public:
  Announcer(bool voice, std::string voice_name);
  ~Announcer();
  void announce(const std::string& ticket_number, int window, bool recall);  // queues; returns at once
  static std::string words(const std::string& ticket_number, int window, bool recall);  // 请 A 零二三 号 到 五 号窗口
  std::vector<std::string> spoken() const;  // what was played, in order (logs and tests)
  bool idle() const;                        // nothing queued or playing

 private:
  void run();
  bool voice_;
  std::string voice_name_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::vector<std::string> spoken_;
  bool busy_ = false, stop_ = false;
  std::thread worker_;
};

}  // namespace hall::display
