/** The command-line shell: `campaign-desk send | resume | report | simulator`. */
import { UsageError } from './commands/args';
import { previewCommand } from './commands/preview';
import { reportCommand } from './commands/report';
import { resumeCommand } from './commands/resume';
import { sendCommand } from './commands/send';
import { simulatorCommand } from './commands/simulator';
import { DeskError } from './core/errors';

const USAGE = `Usage:
  campaign-desk send <recipients.csv> --text <template> --sender <id>
        [--campaign-id ID] [--phone-column C] [--country CC] [--smartlink ID:VALIDITY]...
        [--expiry DATE-TIME] [--priority 1|2|3] [--template ID [--template-param NAME=VALUE]...]
        [--dlt-template ID] [--api-url URL] [--api messaging|sms] [--without-plus] [--notify-url URL]
        [--rate N] [--batch N] [--wait SECONDS] [--report FILE] [--data-dir DIR] [--json]
  campaign-desk preview <recipients.csv> --text <template> [--country CC] [--phone-column C]
        [--smartlink ID:VALIDITY]... [--api messaging|sms] [--data-dir DIR] [--json]
  campaign-desk resume <campaign-id> [--resend-unknown] [--grace SECONDS] [--api-url URL]
        [--api messaging|sms] [--without-plus] [--notify-url URL] [--rate N] [--batch N]
        [--wait SECONDS] [--report FILE] [--data-dir DIR] [--json]
  campaign-desk report <campaign-id> --out FILE [--data-dir DIR]
  campaign-desk simulator [--port N] [--key KEY]

send      Sends one message per row of the CSV. Without --api-url it goes to the built-in
          simulator; with --api-url (the service's base URL, such as https://api.us.webexconnect.io)
          the service key is read from CAMPAIGN_DESK_KEY. --api sms sends through the Send SMS API
          (one message a request, retried safely with an Idempotency-Key); --api messaging (the
          default) through Messaging API v1. Numbers go out as +E.164; --without-plus sends them
          without the plus, for accounts that need that.
          --smartlink ID:VALIDITY sets up {{link_ID}} with its validity and a unit: m (minutes),
          h (hours) or d (days), e.g. 5:30d.
          Request options, sent with every message:
          --expiry: after it (ISO 8601 with its zone, e.g. 2030-01-31T18:00:00Z; sent in UTC)
          the platform no longer tries to deliver. --priority 1 (low), 2 (medium) or 3 (high):
          Messaging API v1 only, not sent through the Send SMS API, which documents none.
          --template ID names a platform template, --template-param NAME=VALUE gives one of its
          parameters; VALUE may hold $(column) placeholders. Messaging API v1 only: the Send SMS
          API documents no field for a template ID, so such a campaign is refused there.
          --dlt-template ID: India's DLT template ID.
          --phone-column takes a column name or its 1-based position (default: detected).
          --notify-url is the public URL that forwards to this machine's receiver (a tunnel).
          Waits up to --wait seconds (default 30) for final delivery reports (then, on the Send SMS
          API, asks the status of the rows still without one), writes the report (default:
          <recipients>-report.csv) and prints a summary.
          --campaign-id names the campaign; otherwise an id is generated. Either way it is printed first.
          A progress bar with rate and time left shows on a terminal; --json prints JSON lines instead.
          Ctrl-C pauses: requests already sent are answered and recorded, then it exits.
preview   Prints every row as it would be sent: number (E.164), status, skip reason, message,
          encoding and segments, then a summary. --json prints one JSON object per row, then
          {"summary": …}. Exits 1 when the message has an unknown placeholder or smartlink, or
          when a ready row's message is longer than the API takes (--api: Messaging API v1, the
          default, takes 1,024 characters, the Send SMS API 4,000).
resume    Continues a paused, stopped or interrupted campaign with the rows never sent. Messages whose
          outcome is unknown (no readable answer, or in flight when the process died) are never sent
          again by themselves: --resend-unknown waits until their grace window (--grace, default 600 s)
          has passed without a delivery report, then sends those still unknown. On the Send SMS API,
          unknown rows first sent less than 30 minutes ago go again with their Idempotency-Key.
report    Writes a campaign's delivery report to --out.
simulator Runs the IMIconnect simulator on 127.0.0.1 (default port 4010), with both send APIs.

Exit codes of send and resume: 0 completed, 1 stopped by an error, 2 usage error, 3 paused.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'send':
        return await sendCommand(rest);
      case 'preview':
        return await previewCommand(rest);
      case 'resume':
        return await resumeCommand(rest);
      case 'report':
        return await reportCommand(rest);
      case 'simulator':
        return await simulatorCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (
      error instanceof DeskError ||
      (error instanceof Error && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    ) {
      console.error(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
