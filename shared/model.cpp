#include "shared/model.h"

#include <cmath>

namespace hall {

const std::vector<std::string> kRatingReasons = {"等候时间长", "服务态度差", "一次性告知不到位",
                                                "办事效率低", "材料要求多", "环境设施不便"};

const char* level_name(int level) {
  switch (level) {
    case 5: return "非常满意";
    case 4: return "满意";
    case 3: return "基本满意";
    case 2: return "不满意";
    case 1: return "非常不满意";
    default: return "?";
  }
}

const char* lane_name(Lane lane) {
  switch (lane) {
    case Lane::Normal: return "普通";
    case Lane::Elderly: return "老年人";
    case Lane::Disabled: return "残疾人";
    case Lane::Appointment: return "预约";
    case Lane::Green: return "绿色通道";
  }
  return "?";
}

const char* followup_state_name(FollowUpState s) {
  switch (s) {
    case FollowUpState::Open: return "待回访";
    case FollowUpState::CalledBack: return "已回访";
    case FollowUpState::Verified: return "已核实";
    case FollowUpState::Rectified: return "已整改";
    case FollowUpState::Replied: return "已反馈";
    case FollowUpState::Closed: return "已办结";
  }
  return "?";
}

bool json_numbers_fit(const nlohmann::json& value) {
  std::vector<const nlohmann::json*> todo{&value};  // no recursion: a body may nest deeper than a stack
  while (!todo.empty()) {
    const nlohmann::json* j = todo.back();
    todo.pop_back();
    if (j->is_number_float()) {
      const double d = j->get<double>();
      if (!std::isfinite(d) || d >= 2147483647.0 || d <= -2147483648.0) return false;
    } else if (j->is_structured()) {
      for (const auto& child : *j) todo.push_back(&child);
    }
  }
  return true;
}

}  // namespace hall
