#include "tools/history.h"

#include "tools/history_story.h"

namespace ailedger::history {

History::History(Options options, const SigningKey* admin)
    : story_(std::make_unique<Story>(std::move(options), admin, &queue_)) {}

History::~History() = default;

std::vector<Generated> History::Next(size_t max) {
  while (queue_.size() < max && !story_->done()) story_->NextDay();
  std::vector<Generated> out;
  while (!queue_.empty() && out.size() < max) {
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  emitted_ += out.size();
  return out;
}

}  // namespace ailedger::history
