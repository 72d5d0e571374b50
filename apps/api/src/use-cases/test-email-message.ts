import type { TestEmailRoute } from '@mailroom/transports';
import { z } from 'zod';

/** The languages the test email is written in: the admin screens' own. */
export const TEST_EMAIL_LANGUAGES = ['en', 'es'] as const;
export type TestEmailLanguage = (typeof TEST_EMAIL_LANGUAGES)[number];

/** POST .../email-settings/test's query: the language the test email is written in (default English). */
export const testEmailQuerySchema = z.strictObject({
  language: z
    .enum(TEST_EMAIL_LANGUAGES, { error: `language must be one of ${TEST_EMAIL_LANGUAGES.join(', ')}` })
    .optional()
    .meta({ description: 'The language of the test email (`en` or `es`). Default: `en`.' }),
});

interface Words {
  subject(tenant: string): string;
  sentence(tenant: string, route: string): string;
  route(r: TestEmailRoute): string;
}

const WORDS: Record<TestEmailLanguage, Words> = {
  en: {
    subject: (tenant) => `Mailroom test email for ${tenant}`,
    sentence: (tenant, route) => `This is a test from Mailroom. If you can read it, ${tenant}'s documents can be emailed through ${route}.`,
    route: (r) =>
      r.kind === 'platform'
        ? "the platform's servers"
        : r.kind === 'smtpServer'
          ? `your SMTP server ${r.host}`
          : r.kind === 'mailbox'
            ? `your ${r.vendor} mailbox`
            : `your ${r.provider} account`,
  },
  es: {
    subject: (tenant) => `Email de prueba de Mailroom para ${tenant}`,
    sentence: (tenant, route) =>
      `Esto es una prueba de Mailroom. Si puedes leerla, los documentos de ${tenant} se pueden enviar por email a través de ${route}.`,
    route: (r) =>
      r.kind === 'platform'
        ? 'los servidores de la plataforma'
        : r.kind === 'smtpServer'
          ? `tu servidor SMTP ${r.host}`
          : r.kind === 'mailbox'
            ? `tu buzón de ${r.vendor}`
            : `tu cuenta de ${r.provider}`,
  },
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The test email's subject and body (text and HTML) in `language`, naming the way it was sent. */
export function testEmailMessage(
  tenantName: string,
  route: TestEmailRoute,
  language: TestEmailLanguage = 'en',
): { subject: string; text: string; html: string } {
  const w = WORDS[language];
  const text = w.sentence(tenantName, w.route(route));
  return {
    subject: w.subject(tenantName),
    text,
    html: `<!doctype html><html lang="${language}"><body><p>${escapeHtml(text)}</p></body></html>`,
  };
}
