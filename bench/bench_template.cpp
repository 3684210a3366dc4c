// Rendering the Complaint Acknowledgement email: our Mustache engine against
// mstch (Debian's libmstch-dev), same template text and same data, same run.
// Inheritance is ours only, so both render the acknowledgement with the
// layout already folded in: one flat ~3 KB HTML template with sections.
//   RESULT template_render library=<renders/s> baseline=<mstch renders/s> ratio=<library/baseline>
#include <cstdio>
#include <cstring>
#include <string>

#include <mstch/mstch.hpp>

#include "complaints/template_renderer.hpp"
#include "harness.hpp"
#include "messages/builtin.hpp"

using namespace complaints;
using bench::rate;

namespace {

// The text between "{{$name}}" and its "{{/name}}" in `source`.
std::string block(const std::string &source, const std::string &name) {
  std::string open = "{{$" + name + "}}", close = "{{/" + name + "}}";
  auto a = source.find(open) + open.size(), b = source.find(close, a);
  return source.substr(a, b - a);
}

// Replaces the block `name` of the layout by `text`.
void fill(std::string &layout, const std::string &name, const std::string &text) {
  std::string open = "{{$" + name + "}}", close = "{{/" + name + "}}";
  auto a = layout.find(open), b = layout.find(close, a) + close.size();
  layout.replace(a, b - a, text);
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const MessageTemplate &ack = *messages::builtin("acknowledgement");
  std::string flat = messages::builtin("layout")->body_html;
  fill(flat, "title", block(ack.body_html, "title"));
  fill(flat, "content", block(ack.body_html, "content"));
  fill(flat, "footer", block(flat, "footer"));

  // The same merge tags, in each engine's own value type.
  const std::pair<const char *, const char *> fields[] = {
      {"customer_first_name", "Casey"},       {"record_kind", "booking"},
      {"record_number", "BK-2041"},           {"complaint_number", "CMP-00042"},
      {"complaint_type", "Unsatisfactory Job"},
      {"complaint_description", "The oven was not cleaned and the kitchen floor is still sticky after the visit."},
      {"sla_promise", "We will be in touch within two business days."},
      {"discussion_link", "https://portal.sparkle.example/complaints/CMP-00042"},
      {"agent_name", "Olivia Reyes"},         {"agent_signature", "Customer Care"},
      {"company_name", "Sparkle Cleaning"},   {"company_logo_url", "https://cdn.sparkle.example/logo.png"},
      {"company_phone", "1300 555 010"},      {"company_email", "care@sparkle.example"},
      {"company_website", "https://sparkle.example"}, {"brand_colour", "#1F4E79"},
  };
  std::vector<std::pair<std::string, TemplateValue>> ours;
  mstch::map theirs;
  for (auto [k, v] : fields) {
    ours.emplace_back(k, v);
    theirs.emplace(k, std::string(v));
  }
  TemplateValue context = TemplateValue::object(ours);

  Template compiled = Template::compile(flat);
  std::string a = compiled.render(context), b = mstch::render(flat, theirs);
  // mstch also escapes '/' (as &#x2F;): the same HTML, other bytes.
  std::string unescaped;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (b.compare(i, 6, "&#x2F;") == 0) {
      unescaped += '/';
      i += 5;
    } else {
      unescaped += b[i];
    }
  }
  b = unescaped;
  if (a != b) {
    std::fprintf(stderr, "the engines disagree on the output:\n--- ours\n%s\n--- mstch\n%s\n", a.c_str(), b.c_str());
    return 1;
  }
  std::printf("acknowledgement: %zu-byte template, %zu-byte email, %zu merge tags\n", flat.size(), a.size(),
              std::size(fields));
  const int n = quick ? 2000 : 20000;
  std::size_t sink = 0;
  double lib = 0, base = 0;
  for (int round = 0; round < 3; ++round) {
    lib += rate(n, [&](int) { sink += compiled.render(context).size(); });
    base += rate(n / 20, [&](int) { sink += mstch::render(flat, theirs).size(); });
  }
  std::string reused;
  double into = rate(n, [&](int) {
    reused.clear();
    compiled.render_to(reused, context);
    sink += reused.size();
  });
  std::printf("(render_to into a reused buffer: %.0f renders/s; %zu bytes rendered)\n", into, sink);
  bench::result("template_render", lib / 3, base / 3);
  return 0;
}
