// The built-in message templates: a branded base layout, and four emails
// that extend it. Each is a complete, sendable message; hosts may replace any
// of them per database.
#include "messages/builtin.hpp"

namespace complaints::messages {

namespace {

constexpr const char *layout_html = R"mustache(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{$title}}{{company_name}}{{/title}}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;padding:24px 0;">
<tr><td align="center">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px;">
<tr><td style="background:{{brand_colour}};padding:20px 32px;border-radius:8px 8px 0 0;">
{{#company_logo_url}}<img src="{{company_logo_url}}" alt="{{company_name}}" height="40" style="display:block;border:0;">{{/company_logo_url}}
{{^company_logo_url}}<span style="font-size:20px;font-weight:bold;color:#ffffff;">{{company_name}}</span>{{/company_logo_url}}
</td></tr>
<tr><td style="padding:32px;font-size:15px;line-height:1.6;">
{{$content}}{{/content}}
</td></tr>
<tr><td style="padding:20px 32px;background:#f9fafb;font-size:12px;line-height:1.5;color:#6b7280;border-radius:0 0 8px 8px;">
{{company_name}}{{#company_phone}} &middot; {{company_phone}}{{/company_phone}}{{#company_email}} &middot; <a href="mailto:{{company_email}}" style="color:#6b7280;">{{company_email}}</a>{{/company_email}}{{#company_website}} &middot; <a href="{{company_website}}" style="color:#6b7280;">{{company_website}}</a>{{/company_website}}<br>
{{$footer}}Please quote {{complaint_number}} in any reply.{{/footer}}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
)mustache";

constexpr const char *layout_text = R"mustache({{$content}}{{/content}}
--
{{company_name}}{{#company_phone}} | {{company_phone}}{{/company_phone}}{{#company_email}} | {{company_email}}{{/company_email}}{{#company_website}} | {{company_website}}{{/company_website}}
{{$footer}}Please quote {{complaint_number}} in any reply.{{/footer}}
)mustache";

constexpr const char *acknowledgement_html = R"mustache({{<layout}}
{{$title}}We've received your complaint {{complaint_number}}{{/title}}
{{$content}}
<p>Dear {{customer_first_name}},</p>
<p>Thank you for telling us about the problem with your {{record_kind}} {{record_number}}. We are sorry it was not what you expected. Your complaint is logged as <strong>{{complaint_number}}</strong> ({{complaint_type}}), and it is now with our team.</p>
<p>This is what you told us:</p>
<blockquote style="margin:0 0 16px;padding:12px 16px;border-left:4px solid {{brand_colour}};background:#f9fafb;">{{complaint_description}}</blockquote>
{{#sla_promise}}<p>{{sla_promise}}</p>{{/sla_promise}}
{{#discussion_link}}<p>You can follow your complaint, add photos or reply to us at any time: <a href="{{discussion_link}}">{{discussion_link}}</a></p>{{/discussion_link}}
<p>Kind regards,<br>{{agent_name}}<br>{{agent_signature}}</p>
{{/content}}
{{/layout}}
)mustache";

constexpr const char *acknowledgement_text = R"mustache({{<layout}}
{{$content}}
Dear {{customer_first_name}},

Thank you for telling us about the problem with your {{record_kind}} {{record_number}}. We are sorry it was not what you expected. Your complaint is logged as {{complaint_number}} ({{complaint_type}}), and it is now with our team.

This is what you told us:

  {{complaint_description}}
{{#sla_promise}}

{{sla_promise}}
{{/sla_promise}}
{{#discussion_link}}

You can follow your complaint, add photos or reply to us at any time: {{discussion_link}}
{{/discussion_link}}

Kind regards,
{{agent_name}}
{{agent_signature}}
{{/content}}
{{/layout}}
)mustache";

constexpr const char *details_html = R"mustache({{<layout}}
{{$title}}Your complaint {{complaint_number}}{{/title}}
{{$content}}
<p>Dear {{customer_first_name}},</p>
<p>Here are the details of your complaint as we have them. If anything is missing or wrong, please reply and let us know.</p>
<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;font-size:14px;">
<tr><td style="padding:4px 16px 4px 0;color:#6b7280;">Complaint</td><td style="padding:4px 0;"><strong>{{complaint_number}}</strong></td></tr>
<tr><td style="padding:4px 16px 4px 0;color:#6b7280;">About</td><td style="padding:4px 0;">{{complaint_type}}</td></tr>
<tr><td style="padding:4px 16px 4px 0;color:#6b7280;">Your {{record_kind}}</td><td style="padding:4px 0;">{{record_number}}</td></tr>
<tr><td style="padding:4px 16px 4px 0;color:#6b7280;">Logged on</td><td style="padding:4px 0;">{{reported_date}}</td></tr>
<tr><td style="padding:4px 16px 4px 0;color:#6b7280;">Status</td><td style="padding:4px 0;">{{complaint_status}}</td></tr>
{{#follow_up_date}}<tr><td style="padding:4px 16px 4px 0;color:#6b7280;">Follow-up visit</td><td style="padding:4px 0;">{{follow_up_date}}</td></tr>{{/follow_up_date}}
</table>
<p><strong>What you told us</strong></p>
<blockquote style="margin:0 0 16px;padding:12px 16px;border-left:4px solid {{brand_colour}};background:#f9fafb;">{{complaint_description}}</blockquote>
{{#public_comments}}
<p style="margin:0 0 12px;"><span style="color:#6b7280;font-size:13px;">{{author}}, {{date}}</span><br>{{body}}</p>
{{/public_comments}}
{{#discussion_link}}<p>Follow the conversation or add to it: <a href="{{discussion_link}}">{{discussion_link}}</a></p>{{/discussion_link}}
<p>Kind regards,<br>{{agent_name}}<br>{{agent_signature}}</p>
{{/content}}
{{/layout}}
)mustache";

constexpr const char *details_text = R"mustache({{<layout}}
{{$content}}
Dear {{customer_first_name}},

Here are the details of your complaint as we have them. If anything is missing or wrong, please reply and let us know.

Complaint:     {{complaint_number}}
About:         {{complaint_type}}
Job:           {{record_kind}} {{record_number}}
Logged on:     {{reported_date}}
Status:        {{complaint_status}}
{{#follow_up_date}}
Follow-up:     {{follow_up_date}}
{{/follow_up_date}}

What you told us:

  {{complaint_description}}
{{#public_comments}}

{{author}}, {{date}}:
  {{body}}
{{/public_comments}}
{{#discussion_link}}

Follow the conversation or add to it: {{discussion_link}}
{{/discussion_link}}

Kind regards,
{{agent_name}}
{{agent_signature}}
{{/content}}
{{/layout}}
)mustache";

constexpr const char *resolution_html = R"mustache({{<layout}}
{{$title}}Your complaint {{complaint_number}} is resolved{{/title}}
{{$content}}
<p>Dear {{customer_first_name}},</p>
<p>We are pleased to let you know that your complaint <strong>{{complaint_number}}</strong> about your {{record_kind}} {{record_number}} ({{complaint_type}}) is now resolved, and we have closed it. No further action is needed from you.</p>
<p>Thank you for your patience, and for giving us the chance to put things right. Your feedback helps us do better for every customer.</p>
<p>If you feel the problem has not been fully resolved, simply reply to this email{{#discussion_link}} or visit <a href="{{discussion_link}}">{{discussion_link}}</a>{{/discussion_link}} and we will reopen your complaint.</p>
<p>Kind regards,<br>{{agent_name}}<br>{{agent_signature}}</p>
{{/content}}
{{/layout}}
)mustache";

constexpr const char *resolution_text = R"mustache({{<layout}}
{{$content}}
Dear {{customer_first_name}},

We are pleased to let you know that your complaint {{complaint_number}} about your {{record_kind}} {{record_number}} ({{complaint_type}}) is now resolved, and we have closed it. No further action is needed from you.

Thank you for your patience, and for giving us the chance to put things right. Your feedback helps us do better for every customer.

If you feel the problem has not been fully resolved, simply reply to this email{{#discussion_link}} or visit {{discussion_link}}{{/discussion_link}} and we will reopen your complaint.

Kind regards,
{{agent_name}}
{{agent_signature}}
{{/content}}
{{/layout}}
)mustache";

constexpr const char *reminder_html = R"mustache({{<layout}}
{{$title}}Open complaints waiting for you{{/title}}
{{$content}}
<p>Hi {{recipient_name}},</p>
<p>These complaints on your jobs are still open ({{open_complaints_count}} in all). Please review each one and update it, or mark it resolved once the work is done.</p>
<table role="presentation" cellpadding="0" cellspacing="0" width="100%" style="margin:0 0 16px;font-size:14px;border-collapse:collapse;">
<tr style="text-align:left;color:#6b7280;"><th style="padding:6px 8px 6px 0;">Complaint</th><th style="padding:6px 8px;">About</th><th style="padding:6px 8px;">Job</th><th style="padding:6px 8px;">Status</th><th style="padding:6px 0 6px 8px;">Open for</th></tr>
{{#open_complaints}}
<tr style="border-top:1px solid #e5e7eb;"><td style="padding:6px 8px 6px 0;"><strong>{{complaint_number}}</strong></td><td style="padding:6px 8px;">{{complaint_type}}</td><td style="padding:6px 8px;">{{record_kind}} {{record_number}}</td><td style="padding:6px 8px;">{{complaint_status}}</td><td style="padding:6px 0 6px 8px;">{{days_open}} days</td></tr>
{{/open_complaints}}
</table>
<p>Thank you,<br>{{agent_name}}<br>{{agent_signature}}</p>
{{/content}}
{{$footer}}You receive this because complaints are open on jobs assigned to you.{{/footer}}
{{/layout}}
)mustache";

constexpr const char *reminder_text = R"mustache({{<layout}}
{{$content}}
Hi {{recipient_name}},

These complaints on your jobs are still open ({{open_complaints_count}} in all). Please review each one and update it, or mark it resolved once the work is done.
{{#open_complaints}}

  {{complaint_number}}  {{complaint_type}}
    {{record_kind}} {{record_number}}, {{complaint_status}}, open for {{days_open}} days
{{/open_complaints}}

Thank you,
{{agent_name}}
{{agent_signature}}
{{/content}}
{{$footer}}You receive this because complaints are open on jobs assigned to you.{{/footer}}
{{/layout}}
)mustache";

const MessageTemplate builtins[] = {
    {"layout", "Base layout", "", layout_html, layout_text, false, true},
    {"acknowledgement", "Complaint Acknowledgement", "We've received your complaint {{complaint_number}}",
     acknowledgement_html, acknowledgement_text, false, true},
    {"complaint_details", "Send Complaint Details", "Your complaint {{complaint_number}}: the details", details_html,
     details_text, false, true},
    {"final_resolution", "Final Complaint Resolution", "Your complaint {{complaint_number}} is resolved",
     resolution_html, resolution_text, false, true},
    {"open_complaints_reminder", "Open Complaints Reminder",
     "Reminder: open complaints need your attention ({{open_complaints_count}})", reminder_html, reminder_text, false,
     true},
};

}  // namespace

const MessageTemplate *builtin(std::string_view name) noexcept {
  for (const auto &t : builtins)
    if (t.name == name) return &t;
  return nullptr;
}

std::span<const MessageTemplate> builtin_templates() noexcept { return builtins; }

}  // namespace complaints::messages
