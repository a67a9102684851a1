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

Billing (the operator's invoices to communes; amounts in EUR)
  billing run <period> [--preview]
                                   Invoice every active commune for a year (2026), a quarter (2026-Q2)
                                   or a month (2026-03), once: running it again issues nothing new.
                                   --preview shows what would be invoiced and issues nothing.
  billing list [--commune <slug>] [--year YYYY] [--status draft|issued|paid|credited]
               [--kind invoice|credit-note] [--json]
                                   Invoices and credit notes; --year is the year of issue.
  billing show <number>            One invoice or credit note (INV-2026-000001, CN-2026-000001).
  billing pay <number> --date YYYY-MM-DD --reference "<text>"
                                   Record the payment of an invoice.
  billing credit <number> --reason "<text>"
                                   Issue a credit note for the whole invoice.
  billing price --commune <slug> | --default --from YYYY-MM-DD --cents N
                [--vat S:17 | --vat Z | --vat E --vatex VATEX-EU-... [--vatex-reason "<text>"]]
                                   Price per inhabitant per year from a date on, in cents, with its
                                   VAT (left out: the VAT treatment in force at that date).
  billing prices [--commune <slug>]
                                   Prices by date: the commune's and the platform default.
  billing overview <year> [--csv]  Per commune and period: inhabitants, price, invoiced, paid, and
                                   the totals; --csv as RFC 4180 CSV.
  billing pdf <number> --out <file.pdf>
  billing xml <number> --out <file.xml>
                                   Write the PDF, or the UBL 2.1 e-invoice (Peppol BIS Billing 3.0).

Platform
  platform migrate                 Apply pending platform migrations.

Environment: DATABASE_URL (unset: the embedded PostgreSQL under .data/), MIGRATION_CONCURRENCY.
Exit status: 0 done, 1 failed, 2 wrong usage.
`;

/** A mistake in how the command was called: the usage is shown and the exit status is 2. */
export class UsageError extends Error {}
