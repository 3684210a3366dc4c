#include "complaints/events.hpp"

namespace complaints {

Events::Events() {
  // The combiner holds a shared handler, so set_error_handler reaches every signal.
  handler_ = std::make_shared<std::function<void(const std::exception_ptr &)>>(
      [this](const std::exception_ptr &e) {
        errors_.fetch_add(1);
        if (user_handler_) {
          try {
            user_handler_(e);
          } catch (...) {
            // A throwing error handler must not escape into the operation either.
          }
        }
      });
  detail::GuardedCombiner combiner{handler_};
  for (auto &s : by_kind_) s = std::make_unique<Signal>(combiner);
  any_ = std::make_unique<Signal>(combiner);
}

void Events::set_error_handler(std::function<void(const std::exception_ptr &)> handler) {
  user_handler_ = std::move(handler);
}

void Events::emit(const Event &e) {
  (*by_kind_[static_cast<std::size_t>(e.kind)])(e);
  (*any_)(e);
}

}  // namespace complaints
