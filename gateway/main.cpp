// hall-gateway: the hall in a browser (gateway/gateway.h).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "gateway/gateway.h"

namespace {
hall::Gateway* running = nullptr;
extern "C" void on_signal(int) {
  if (running) running->stop();
}
}  // namespace

// hall-gateway add-user --users FILE NAME manager|leader [DISPLAY]: the password from stdin (one line).
int add_user(int argc, char** argv) {
  std::string file;
  std::vector<std::string> rest;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--users" && i + 1 < argc) file = argv[++i];
    else rest.push_back(a);
  }
  if (file.empty() || rest.size() < 2 || rest.size() > 3) {
    std::fprintf(stderr, "usage: hall-gateway add-user --users FILE NAME manager|leader [DISPLAY]   (the password on stdin)\n");
    return 2;
  }
  hall::ConsoleUser u{rest[0], rest.size() > 2 ? rest[2] : rest[0], rest[1], ""};
  if (auto p = hall::user_problem(u); !p.empty()) {
    std::fprintf(stderr, "hall-gateway add-user: %s\n", p.c_str());
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (auto p = hall::password_problem(password); !p.empty()) {
    std::fprintf(stderr, "hall-gateway add-user: %s\n", p.c_str());
    return 2;
  }
  try {
    hall::ConsoleUsers users(file);
    u.hash = hall::hash_password(password);
    users.put(u);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-gateway add-user: %s\n", e.what());
    return 1;
  }
  std::printf("%s (%s) can sign in to the console\n", u.name.c_str(), u.role.c_str());
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "add-user") return add_user(argc, argv);
  hall::GatewayOptions o;
  std::string threads;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string* into = a == "--commands" ? &o.commands
                        : a == "--updates" ? &o.updates
                        : a == "--public"  ? &o.public_listen
                        : a == "--staff"   ? &o.staff_listen
                        : a == "--users"   ? &o.users
                        : a == "--assets"  ? &o.assets
                        : a == "--threads" ? &threads
                                           : nullptr;
    if (a == "--secure-cookies") {
      o.secure_cookies = true;
      continue;
    }
    if (into && i + 1 < argc) {
      *into = argv[++i];
      continue;
    }
    std::fprintf(a == "--help" ? stdout : stderr,
                 "usage: hall-gateway [--commands tcp://HOST:5555] [--updates tcp://HOST:5556] [--public ADDR:PORT]\n"
                 "                    [--staff ADDR:PORT|off] [--users FILE] [--secure-cookies] [--assets DIR] [--threads N]\n"
                 "       hall-gateway add-user --users FILE NAME manager|leader [DISPLAY]   (the password on stdin)\n"
                 "Serves the hall to browsers: each ticket's own page for phones (/t/TOKEN) on --public, the managers'\n"
                 "console (/console) on --staff (default 127.0.0.1:8081), live by Server-Sent Events.\n");
    return a == "--help" ? 0 : 2;
  }
  if (!threads.empty()) {
    o.threads = std::atoi(threads.c_str());
    if (o.threads < 4 || o.threads > 20000) {
      std::fprintf(stderr, "hall-gateway: --threads must be 4..20000 (each open event stream holds one), not '%s'\n", threads.c_str());
      return 2;
    }
  }
  if (o.staff_listen == "off") o.staff_listen.clear();
  try {
    hall::Gateway gateway(o);
    running = &gateway;
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    gateway.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hall-gateway: %s\n", e.what());
    return 1;
  }
  return 0;
}
