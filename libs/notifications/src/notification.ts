import type { Locale } from '@gemeng/core';

/** The e-mails the platform sends; each has a Handlebars template per language. */
export type EmailTemplate = 'dossier-received' | 'dossier-stage-changed' | 'dossier-message' | 'dossier-new';

/**
 * An e-mail to send, as written to the outbox. Texts in `data` are already in the recipient's
 * language; the commune's name, theme and contact are added when the message is rendered.
 */
export interface EmailNotification {
  template: EmailTemplate;
  to: { email: string; name?: string; locale: Locale };
  data: Record<string, unknown>;
}
