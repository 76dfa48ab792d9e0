#include "shared/model.h"

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

}  // namespace hall
