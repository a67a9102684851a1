import { isLocale, type InputProblem, type Locale } from '@gemeng/core';

/** The e-mails the platform sends; each has a Handlebars template per language. */
export type EmailTemplate = 'dossier-received' | 'dossier-stage-changed' | 'dossier-message' | 'dossier-new';

export const EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  'dossier-received',
  'dossier-stage-changed',
  'dossier-message',
  'dossier-new',
];

/**
 * An e-mail to send, as written to the outbox. Texts in `data` are already in the recipient's
 * language; the commune's name, theme and contact are added when the message is rendered.
 */
export interface EmailNotification {
  template: EmailTemplate;
  to: { email: string; name?: string; locale: Locale };
  data: Record<string, unknown>;
}

export type ContactChannel = 'in_person' | 'phone' | 'video';
export type DossierResult = 'accepted' | 'declined' | 'redirected';
export type DossierMessageReason = 'note' | 'documents-requested' | 'appointment-proposed' | 'closed';

/** `data` of each template. `path` is relative to the commune's portal; dates are `YYYY-MM-DD`. */
export interface EmailData {
  'dossier-received': {
    reference: string;
    subject: string;
    typeName: string;
    departmentName: string;
    dueOn: string;
    path: string;
  };
  'dossier-stage-changed': { reference: string; subject: string; stageName: string; note?: string; path: string };
  'dossier-message': {
    reference: string;
    subject: string;
    reason: DossierMessageReason;
    message?: string;
    documents?: string[];
    appointment?: { startsAt: string; channel: ContactChannel };
    result?: DossierResult;
    path: string;
  };
  'dossier-new': {
    reference: string;
    subject: string;
    typeName: string;
    citizenName: string;
    preferredChannel: ContactChannel;
    dueOn: string;
    forwardedFrom?: string;
    path: string;
  };
}

const CHANNELS: readonly string[] = ['in_person', 'phone', 'video'];
const RESULTS: readonly string[] = ['accepted', 'declined', 'redirected'];
const REASONS: readonly string[] = ['note', 'documents-requested', 'appointment-proposed', 'closed'];
/** Deliberately loose: the SMTP server is the judge of an address; this catches what is plainly not one. */
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type FieldRule = 'text' | 'date' | 'instant' | 'path' | 'texts' | readonly string[];

/** Each template's fields: required ones, then optional ones (absent, null, or an empty text). */
const FIELDS: Record<EmailTemplate, { required: Record<string, FieldRule>; optional: Record<string, FieldRule> }> = {
  'dossier-received': {
    required: {
      reference: 'text',
      subject: 'text',
      typeName: 'text',
      departmentName: 'text',
      dueOn: 'date',
      path: 'path',
    },
    optional: {},
  },
  'dossier-stage-changed': {
    required: { reference: 'text', subject: 'text', stageName: 'text', path: 'path' },
    optional: { note: 'text' },
  },
  'dossier-message': {
    required: { reference: 'text', subject: 'text', reason: REASONS, path: 'path' },
    optional: { message: 'text', documents: 'texts', result: RESULTS },
  },
  'dossier-new': {
    required: {
      reference: 'text',
      subject: 'text',
      typeName: 'text',
      citizenName: 'text',
      preferredChannel: CHANNELS,
      dueOn: 'date',
      path: 'path',
    },
    optional: { forwardedFrom: 'text' },
  },
};

/**
 * A path on the commune's portal: starts with one slash, so that it can never name another host
 * (`//evil.example`) or scheme once put behind the portal's origin.
 */
export function isPortalPath(value: unknown): value is string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value);
}

function fieldProblem(value: unknown, rule: FieldRule): string | undefined {
  if (Array.isArray(rule)) return rule.includes(value as string) ? undefined : `must be one of ${rule.join(', ')}`;
  switch (rule) {
    case 'text':
      return typeof value === 'string' && value.trim() ? undefined : 'must be a non-empty text';
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
        ? undefined
        : 'must be a date as YYYY-MM-DD';
    case 'instant':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'must be an ISO date and time';
    case 'path':
      return isPortalPath(value) ? undefined : 'must be a path on the portal, starting with a single /';
    default:
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim())
        ? undefined
        : 'must be a list of non-empty texts';
  }
}

/**
 * What is wrong with an e-mail before it is written to the outbox or rendered: unknown template,
 * recipient without a plausible address or a supported language, missing or malformed data.
 */
export function emailProblems(email: EmailNotification): InputProblem[] {
  const problems: InputProblem[] = [];
  const rules = FIELDS[email?.template];
  if (!rules) return [{ path: 'template', message: `must be one of ${EMAIL_TEMPLATES.join(', ')}` }];
  if (typeof email.to?.email !== 'string' || !EMAIL.test(email.to.email)) {
    problems.push({ path: 'to.email', message: 'must be an e-mail address' });
  }
  if (!isLocale(email.to?.locale)) problems.push({ path: 'to.locale', message: 'must be one of lb, fr, de, en' });
  if (email.to?.name !== undefined && email.to.name !== null && typeof email.to.name !== 'string') {
    problems.push({ path: 'to.name', message: 'must be a text' });
  }
  const data = email.data ?? {};
  for (const [field, rule] of Object.entries(rules.required)) {
    const problem = fieldProblem(data[field], rule);
    if (problem) problems.push({ path: `data.${field}`, message: problem });
  }
  for (const [field, rule] of Object.entries(rules.optional)) {
    // An empty optional text (a note left blank) is no text: the template leaves it out.
    if (data[field] === undefined || data[field] === null || (rule === 'text' && data[field] === '')) continue;
    const problem = fieldProblem(data[field], rule);
    if (problem) problems.push({ path: `data.${field}`, message: problem });
  }
  if (email.template === 'dossier-message') problems.push(...messageProblems(data));
  return problems;
}

/** What each reason of a `dossier-message` needs besides the common fields. */
function messageProblems(data: Record<string, unknown>): InputProblem[] {
  switch (data.reason) {
    case 'note':
      return fieldProblem(data.message, 'text') ? [{ path: 'data.message', message: 'a note needs its text' }] : [];
    case 'documents-requested':
      // The agent names documents of the type's list, or describes what is missing in the message.
      return (fieldProblem(data.documents, 'texts') || !(data.documents as string[]).length) &&
        fieldProblem(data.message, 'text')
        ? [{ path: 'data.documents', message: 'a request for documents needs the documents named or described' }]
        : [];
    case 'appointment-proposed': {
      const appointment = data.appointment as { startsAt?: unknown; channel?: unknown } | undefined;
      const problems: InputProblem[] = [];
      if (fieldProblem(appointment?.startsAt, 'instant')) {
        problems.push({ path: 'data.appointment.startsAt', message: 'must be an ISO date and time' });
      }
      const channel = fieldProblem(appointment?.channel, CHANNELS);
      if (channel) problems.push({ path: 'data.appointment.channel', message: channel });
      return problems;
    }
    case 'closed':
      return fieldProblem(data.result, RESULTS)
        ? [{ path: 'data.result', message: `a closed dossier needs its result: ${RESULTS.join(', ')}` }]
        : [];
    default:
      return [];
  }
}
