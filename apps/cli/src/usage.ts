export const USAGE = `Gemeng operator command line

Usage: npm run cli -- <command> [options]

Communes
  tenants list [--status active|suspended|provisioning] [--json]
                                   List communes with their status and hosts.
  tenants onboard <file.yaml>...   Onboard communes from their definition files. Completes an
                                   onboarding that was interrupted; refuses a slug already onboarded.
  tenants update <file.yaml>       Apply a definition file's names, languages, theme, contact,
                                   custom domains and price to an existing commune.
  tenants migrate --all | <slug>...
                                   Apply pending tenant migrations. [--concurrency N]
  tenants suspend <slug> --reason "<text>"
                                   Take a commune's portal offline (its hosts answer 503).
  tenants resume <slug>            Bring a suspended commune back.
  tenants population <slug> --date YYYY-MM-DD --inhabitants N --source "<text>"
                                   Record the number of inhabitants at a date.

Notifications
  notifications status [--commune <slug>] [--json]
                                   Per commune, e-mails waiting for the relay, in the queue, sent and
                                   failed; each failed one with its error.
  notifications retry --commune <slug> [<outbox id>...]
                                   Send a commune's failed e-mails again (all, or those given).

Platform
  platform migrate                 Apply pending platform migrations.

Environment: DATABASE_URL (unset: the embedded PostgreSQL under .data/), MIGRATION_CONCURRENCY.
Exit status: 0 done, 1 failed, 2 wrong usage.
`;

/** A mistake in how the command was called: the usage is shown and the exit status is 2. */
export class UsageError extends Error {}
