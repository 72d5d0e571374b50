import type { EmailSettings } from '@mailroom/domain';
import { testEmailRoute } from '@mailroom/transports';
import { testEmailMessage } from './test-email-message';

const base: EmailSettings = {
  tenantId: 't',
  version: 1,
  mode: 'platform',
  senderName: 'T',
  cc: [],
  bcc: [],
  updatedAt: '2026-12-01T00:00:00.000Z',
};
const smtp = (over: Record<string, unknown>): EmailSettings => ({
  ...base,
  mode: 'smtp',
  smtp: { fromAddress: 'a@t.example', preset: 'other', host: 'mail.t.example', ...over },
});
const label = (name: string) => ({ sendgrid: 'SendGrid', mailgun: 'Mailgun' })[name] ?? name;

describe('the test email names the way it was sent in words a tenant knows', () => {
  it.each([
    [base, "the platform's servers", 'los servidores de la plataforma'],
    [smtp({ auth: 'password' }), 'your SMTP server mail.t.example', 'tu servidor SMTP mail.t.example'],
    [smtp({ preset: 'gmail', host: 'smtp.gmail.com', auth: 'oauth2' }), 'your Gmail mailbox', 'tu buzón de Gmail'],
    [smtp({ preset: 'outlook', host: 'smtp.office365.com', auth: 'oauth2' }), 'your Microsoft 365 mailbox', 'tu buzón de Microsoft 365'],
    [
      smtp({ preset: 'gmail', host: 'smtp.gmail.com', auth: 'password' }),
      'your SMTP server smtp.gmail.com',
      'tu servidor SMTP smtp.gmail.com',
    ],
    [
      { ...base, mode: 'provider', provider: { name: 'sendgrid', fromAddress: 'a@t.example' } } as EmailSettings,
      'your SendGrid account',
      'tu cuenta de SendGrid',
    ],
  ])('%#', (settings, en, es) => {
    const route = testEmailRoute(settings, label);
    expect(testEmailMessage('Acme', route, 'en').text).toMatch(new RegExp(`through ${en}\\.$`));
    expect(testEmailMessage('Acme', route, 'es').text).toMatch(new RegExp(`a través de ${es}\\.$`));
  });

  it('writes the subject and both bodies in the language asked for, English by default, the tenant name escaped in HTML', () => {
    const route = testEmailRoute(base, label);
    expect(testEmailMessage('A & <B>', route).subject).toBe('Mailroom test email for A & <B>');
    const es = testEmailMessage('A & <B>', route, 'es');
    expect(es.subject).toBe('Email de prueba de Mailroom para A & <B>');
    expect(es.html).toBe(
      '<!doctype html><html lang="es"><body><p>Esto es una prueba de Mailroom. Si puedes leerla, los documentos de A &amp; &lt;B&gt; se pueden enviar por email a través de los servidores de la plataforma.</p></body></html>',
    );
  });
});
