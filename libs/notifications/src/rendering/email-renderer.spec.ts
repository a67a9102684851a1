import { LOCALES, type Locale } from '@gemeng/core';
import type { EmailNotification } from '../notification';
import { EmailRenderer, EmailRenderError, formatDate, formatDateTime, type EmailBranding } from './email-renderer';

const esch: EmailBranding = {
  slug: 'esch',
  names: { lb: 'Esch-Uelzecht', fr: 'Esch-sur-Alzette', de: 'Esch an der Alzette', en: 'Esch-sur-Alzette' },
  defaultLocale: 'fr',
  theme: { primaryColor: '#b5121b', onPrimaryColor: '#ffffff', textColor: '#1a1a1a', backgroundColor: '#ffffff' },
  contact: {
    address: "Place de l'Hôtel de Ville, L-4138 Esch-sur-Alzette",
    phone: '2754 2533',
    email: 'info@villeesch.lu',
    website: 'https://www.esch.lu',
    openingHours: [{ days: 'Mon-Fri', hours: '08:00-12:00' }],
  },
};
const ORIGIN = 'http://esch.localhost:3000';

function received(locale: Locale, data: Record<string, unknown> = {}): EmailNotification {
  return {
    template: 'dossier-received',
    to: { email: 'marie@example.lu', name: 'Marie Muller', locale },
    data: {
      reference: 'ESCH-2026-00042',
      subject: 'Wedding at the town hall',
      typeName: 'Interview',
      departmentName: 'Population',
      dueOn: '2026-12-03',
      path: '/dossiers/7a1c',
      ...data,
    },
  };
}

function message(data: Record<string, unknown>): EmailNotification {
  return {
    template: 'dossier-message',
    to: { email: 'marie@example.lu', locale: 'en' },
    data: { reference: 'ESCH-2026-00042', subject: 'Wedding', path: '/dossiers/7a1c', ...data },
  };
}

describe('EmailRenderer', () => {
  const renderer = new EmailRenderer();

  it.each([
    ['lb', 'Mir hunn Är Ufro ESCH-2026-00042 kritt', 'Esch-Uelzecht', 'Moien Marie Muller', '3. Dezember 2026'],
    [
      'fr',
      'Nous avons bien reçu votre demande ESCH-2026-00042',
      'Esch-sur-Alzette',
      'Bonjour Marie Muller',
      '3 décembre 2026',
    ],
    [
      'de',
      'Ihre Anfrage ESCH-2026-00042 ist bei uns eingegangen',
      'Esch an der Alzette',
      'Guten Tag Marie Muller',
      '3. Dezember 2026',
    ],
    ['en', 'We have received your request ESCH-2026-00042', 'Esch-sur-Alzette', 'Dear Marie Muller', '3 December 2026'],
  ] as const)(
    'writes in the recipient language (%s), in the commune colours',
    (locale, subject, name, greeting, due) => {
      const email = renderer.render(received(locale), esch, ORIGIN);
      expect(email.subject).toBe(subject);
      expect(email.communeName).toBe(name);
      for (const part of [email.html, email.text]) {
        expect(part).toContain(name);
        expect(part).toContain(greeting);
        expect(part).toContain(due);
        expect(part).toContain('http://esch.localhost:3000/dossiers/7a1c');
        expect(part).toContain('2754 2533');
      }
      expect(email.html).toContain(`<html lang="${locale}">`);
      expect(email.html).toContain('background-color:#b5121b;color:#ffffff');
      expect(email.html).toContain('href="http://esch.localhost:3000/dossiers/7a1c"');
      expect(email.text).not.toMatch(/<[a-z]/);
    },
  );

  it('renders every e-mail in every language', () => {
    const emails: EmailNotification[] = [
      received('en'),
      {
        template: 'dossier-stage-changed',
        to: { email: 'marie@example.lu', locale: 'en' },
        data: { reference: 'R-1', subject: 'S', stageName: 'In progress', note: 'We are on it', path: '/d/1' },
      },
      message({ reason: 'note', message: 'Hello' }),
      message({ reason: 'documents-requested', documents: ['Passport', 'Birth certificate'] }),
      message({ reason: 'appointment-proposed', appointment: { startsAt: '2026-12-03T09:30:00Z', channel: 'video' } }),
      message({ reason: 'closed', result: 'accepted' }),
      message({ reason: 'closed', result: 'declined', message: 'Sorry' }),
      message({ reason: 'closed', result: 'redirected' }),
      {
        template: 'dossier-new',
        to: { email: 'population@villeesch.lu', locale: 'en' },
        data: {
          reference: 'R-1',
          subject: 'S',
          typeName: 'T',
          citizenName: 'Marie Muller',
          preferredChannel: 'phone',
          dueOn: '2026-12-03',
          forwardedFrom: 'Social office',
          path: '/admin/dossiers/1',
        },
      },
    ];
    const subjects = new Set<string>();
    for (const locale of LOCALES) {
      for (const email of emails) {
        const rendered = renderer.render({ ...email, to: { ...email.to, locale } }, esch, ORIGIN);
        expect(rendered.subject).toMatch(/R-1|ESCH-2026-00042/);
        expect(rendered.subject).not.toMatch(/\n|\{\{/);
        expect(rendered.html).not.toContain('{{');
        expect(rendered.text).not.toContain('{{');
        subjects.add(rendered.subject);
      }
    }
    // Each reason and each language has its own wording.
    expect(subjects.size).toBe(LOCALES.length * emails.length);
  });

  it('says what each message is about', () => {
    const documents = renderer.render(
      message({ reason: 'documents-requested', documents: ['Passport'] }),
      esch,
      ORIGIN,
    );
    expect(documents.subject).toBe('Documents needed for your request ESCH-2026-00042');
    expect(documents.html).toContain('<li>Passport</li>');
    expect(documents.text).toContain('  - Passport');
    const appointment = renderer.render(
      message({
        reason: 'appointment-proposed',
        appointment: { startsAt: '2026-07-03T09:30:00Z', channel: 'in_person' },
      }),
      esch,
      ORIGIN,
    );
    // 09:30 UTC is 11:30 in Luxembourg in summer.
    expect(appointment.text).toContain('Friday, 3 July 2026 at 11:30, in person');
    const declined = renderer.render(message({ reason: 'closed', result: 'declined' }), esch, ORIGIN);
    expect(declined.text).toContain('has been declined');
    const described = renderer.render(
      message({ reason: 'documents-requested', documents: [], message: 'Your last three payslips' }),
      esch,
      ORIGIN,
    );
    expect(described.text).toContain('we need further documents from you.\n\nYour last three payslips');
    expect(described.html).not.toContain('<ul>');
    expect(() => renderer.render(message({ reason: 'documents-requested', documents: [] }), esch, ORIGIN)).toThrow(
      /data.documents/,
    );
  });

  it('leaves out an optional text left empty', () => {
    const email = renderer.render(
      {
        template: 'dossier-stage-changed',
        to: { email: 'marie@example.lu', locale: 'en' },
        data: { reference: 'R-1', subject: 'S', stageName: 'In progress', note: '', path: '/d/1' },
      },
      esch,
      ORIGIN,
    );
    expect(email.text).not.toContain('Message from the commune');
  });

  it('escapes what people wrote in HTML, keeps it as written in plain text, and keeps their line breaks', () => {
    const email = renderer.render(
      message({
        reason: 'note',
        message: 'First line\n<script>alert("x")</script> & more',
        subject: '<b>Wedding</b> "2026"',
      }),
      { ...esch, names: { ...esch.names, en: 'Esch <Alzette>' } },
      ORIGIN,
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>Wedding');
    expect(email.html).toContain('First line<br>\n&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(email.html).toContain('&lt;b&gt;Wedding&lt;/b&gt; &quot;2026&quot;');
    expect(email.html).toContain('Esch &lt;Alzette&gt;');
    expect(email.text).toContain('First line\n<script>alert("x")</script> & more');
    expect(email.text).toContain('“<b>Wedding</b> "2026"”');
  });

  it('keeps the subject on one line whatever the data holds', () => {
    const email = renderer.render(received('en', { reference: 'R-1\r\nBcc: victim@example.lu' }), esch, ORIGIN);
    expect(email.subject).toBe('We have received your request R-1 Bcc: victim@example.lu');
  });

  it('links only to the commune portal, and to a website only when it is one', () => {
    expect(() => renderer.render(received('en', { path: '//evil.example/x' }), esch, ORIGIN)).toThrow(EmailRenderError);
    expect(() => renderer.render(received('en', { path: 'https://evil.example' }), esch, ORIGIN)).toThrow(/data.path/);
    const email = renderer.render(
      received('en'),
      { ...esch, contact: { ...esch.contact, website: 'javascript:alert(1)' } },
      ORIGIN,
    );
    expect(email.html).not.toContain('href="javascript:');
    expect(email.html).toContain('javascript:alert(1)');
  });

  it('refuses data it cannot render, naming what is wrong', () => {
    const broken = received('en', { dueOn: '03/12/2026', reference: '' });
    expect(() => renderer.render(broken, esch, ORIGIN)).toThrow(/data.reference .*data.dueOn must be a date/);
    expect(() =>
      renderer.render({ ...received('en'), to: { email: 'not an address', locale: 'en' } }, esch, ORIGIN),
    ).toThrow(/to.email/);
    expect(() => renderer.render(message({ reason: 'closed' }), esch, ORIGIN)).toThrow(/data.result/);
    expect(() => renderer.render(message({ reason: 'appointment-proposed' }), esch, ORIGIN)).toThrow(
      /data.appointment.startsAt/,
    );
  });

  it('falls back to safe colours rather than writing something else into a style attribute', () => {
    const email = renderer.render(
      received('en'),
      { ...esch, theme: { ...esch.theme, primaryColor: 'red;background:url(x)' } },
      ORIGIN,
    );
    expect(email.html).not.toContain('url(x)');
    expect(email.html).toContain('background-color:#1f2a44');
  });
});

describe('dates in e-mails', () => {
  it('writes calendar dates as the same day everywhere, in the language', () => {
    expect(formatDate('2026-01-01', 'fr')).toBe('1 janvier 2026');
    expect(formatDate('2026-12-31', 'de')).toBe('31. Dezember 2026');
  });

  it('writes instants in Luxembourg time', () => {
    expect(formatDateTime('2026-12-31T23:30:00Z', 'en')).toBe('Friday, 1 January 2027 at 00:30');
    expect(formatDateTime('2026-12-03T09:30:00Z', 'fr')).toBe('jeudi 3 décembre 2026 à 10:30');
  });
});
