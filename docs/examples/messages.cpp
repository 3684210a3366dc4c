// docs/messages.md: branding, a customised acknowledgement, a refused
// template, a preview and a send.
#include <complaints/complaints.hpp>

#include <cassert>
#include <cstdio>
#include <filesystem>

using namespace complaints;

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "messages.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  Desk desk(open_sqlite(path));
  Actor admin{"adam", Role::admin, Permissions::all()};
  Actor office{"olivia", Role::office, {}};
  Actor mailer{"mailer", Role::system, {}};

  MessageSettings settings;
  settings.acknowledgement = AcknowledgementMode::preview;  // staff see it before it goes
  settings.branding.company_name = "Sparkle Cleaning";
  settings.branding.phone = "1300 555 010";
  settings.discussion_url = "https://portal.sparkle.example/complaints/{code}";
  desk.set_message_settings(admin, settings);
  desk.put_user(admin, User{"casey", Role::customer, "Casey Smith", {}});
  desk.put_user(admin, User{"olivia", Role::office, "Olivia Reyes", {}});

  MessageTemplate ack = desk.message_template(admin, "acknowledgement");
  ack.subject = "Thanks {{customer_first_name}}, we're on it ({{complaint_number}})";
  desk.save_template(admin, ack);
  try {
    ack.subject = "Hi {{customer_firstname}}";
    desk.save_template(admin, ack);
  } catch (const TemplateError &e) {
    std::printf("refused: %s\n", e.what());
  }

  desk.put_record(office, Record{{RecordKind::booking, "BK-7"}, "casey", {"tariq"}});
  ReportRequest r;
  r.record = {RecordKind::booking, "BK-7"};
  r.type = "Late Service";
  r.description = "The cleaner arrived two hours late.";
  Issue issue = desk.report(office, r);

  RenderedMessage preview = desk.preview_message(office, issue.code, "acknowledgement").front();
  std::printf("Subject: %s\n\n%s\n", preview.subject.c_str(), preview.body_text.c_str());
  desk.send_message(office, issue.code, "acknowledgement");
  std::size_t queued = 0;
  for (const OutboxItem &item : desk.outbox_pending(mailer, 1000)) queued += item.kind == OutboxKind::message;
  assert(queued == 1);
  return preview.subject == "Thanks Casey, we're on it (" + issue.code + ")" ? 0 : 1;
}
