// A ticket's own link for a phone: an unguessable token, not the ticket's
// key (keys are on the bus and easy to guess). HMAC-SHA256 of the hall id
// and the ticket key under a secret that only the hall server holds (its
// database), so no table of tokens is kept and a token names one ticket of
// one hall. It works for the ticket's own business day only: the hall server
// resolves a token against today's tickets (docs/PROTOCOL.md, ticket_by_token).
#pragma once

#include <string>

namespace hall {

std::string new_ticket_secret();  // 32 random bytes, hex
// 32 hex characters (128 bits of the MAC); throws std::invalid_argument for a secret that is not hex.
std::string ticket_token(const std::string& secret_hex, const std::string& hall_id, const std::string& ticket_key);
bool looks_like_token(const std::string& s);  // 32 lowercase hex characters

}  // namespace hall
