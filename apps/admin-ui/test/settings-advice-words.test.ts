import { warningText, webhookFailure } from '../src/i18n/api-words';
import { en as enWords } from '../src/i18n/en';
import { es as esWords } from '../src/i18n/es';
import { hintsEs } from '../src/i18n/hints-es';
import { createI18n } from '../src/i18n/i18n';

const es = createI18n('es', ['es-ES']);
const en = createI18n('en', ['en-GB']);
const AT = '2026-03-04T09:30:00.000Z';

const mailgun = (webhook: object) =>
  ({
    mode: 'provider',
    senderName: 'ACME',
    provider: { name: 'mailgun', fromAddress: 'billing@mg.acme.example', hasPrivateApiKey: true, privateApiKeyLast4: '1a2b' },
    webhook: { url: 'https://hooks.example/webhooks/mailgun/acme', registered: false, lastEventAt: null, ...webhook },
    warnings: [],
  }) as any;

const slotsFull = {
  error: 'Mailgun\'s "delivered" webhook of mg.acme.example already has 3 URLs: Mailgun allows 3 URLs per webhook...',
  hintKey: 'mailgun.webhookSlotsFull',
  hintParams: { max: 3, webhook: 'delivered', domain: 'mg.acme.example' },
};
const notRegistered = { code: 'webhook_not_registered', message: 'the mailgun webhook is not registered (...)' };

describe("the settings screen's advice in the admin's language", () => {
  it('has the warnings with a reason and a hint in both languages, with the same values to fill in', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const keys = Object.keys(enWords).filter((k) => k.startsWith('warning.')) as (keyof typeof enWords)[];
    expect(keys).toEqual(expect.arrayContaining(['warning.webhook_not_registered.because', 'warning.last_send_failed.hint']));
    for (const k of keys) expect([k, names(esWords[k])]).toEqual([k, names(enWords[k])]);
  });

  it('says why the webhook registration failed and what to do, from its key and values', () => {
    expect(webhookFailure(es, slotsFull)).toBe(
      'Mailgun admite 3 direcciones por webhook y el webhook «delivered» de mg.acme.example ya no tiene sitio: quita una en Mailgun (Sending > Webhooks) y vuelve a guardar los ajustes.',
    );
    const busy = {
      error: 'Mailgun is having trouble. ...',
      hintKey: 'mailgun.unavailable',
      hintThen: 'saveAgain',
      hintParams: { provider: 'Mailgun' },
    };
    expect(webhookFailure(en, busy)).toMatch(/Nothing retries the registration: save the email settings again once Mailgun answers\.$/);
    expect(warningText(es, notRegistered, mailgun(slotsFull))).toBe(
      'El webhook de Mailgun no está registrado: Mailgun admite 3 direcciones por webhook y el webhook «delivered» de mg.acme.example ya no tiene sitio: quita una en Mailgun (Sending > Webhooks) y vuelve a guardar los ajustes. Hasta que lo esté, las entregas, aperturas y rebotes no aparecerán en el historial; también puedes añadir https://hooks.example/webhooks/mailgun/acme como webhook en tu cuenta de Mailgun y pegar abajo su clave de verificación.',
    );
  });

  it('a registration failure with no key (an older record) or one this screen does not know: the warning without a reason', () => {
    const older = { error: 'Mailgun refused: check the key' };
    expect(webhookFailure(es, older)).toBeUndefined();
    expect(webhookFailure(es, { ...older, hintKey: 'mailgun.somethingNew' })).toBeUndefined();
    expect(warningText(es, notRegistered, mailgun(older))).toMatch(/^El webhook de Mailgun no está registrado: las entregas/);
  });

  it("words the last failure from its values: the date in the admin's locale, the code, the hint from its key", () => {
    const failure = { at: AT, code: 'http_401', hint: 'Mailgun rejected the API key...', hintKey: 'mailgun.keyRejected' };
    const w = { code: 'last_send_failed', message: `the last send failed on ${AT} (http_401): ...`, failure };
    expect(warningText(es, w, null)).toBe(`El último envío falló el ${es.date(AT)} (http_401). ${hintsEs['mailgun.keyRejected']}`);
    expect(es.date(AT)).not.toContain('2026-03-04');
  });

  it("keeps the server's English hint for a key this screen does not know, and the API's sentence for an older answer", () => {
    const failure = { at: AT, code: 'EWEIRD', hint: 'Something new happened.', hintKey: 'smtp.somethingNew' };
    const w = { code: 'last_send_failed', message: 'the last send failed on ...', failure };
    expect(warningText(es, w, null)).toBe(`El último envío falló el ${es.date(AT)} (EWEIRD). Something new happened.`);
    expect(warningText(en, { ...w, failure: { at: AT, code: 'EWEIRD' } }, null)).toBe(
      `The last send failed on ${en.date(AT)} (EWEIRD). The history shows what the server said.`,
    );
    expect(warningText(es, { code: 'last_send_failed', message: 'the last send failed on 2026-03-04 (x)' }, null)).toBe(
      'the last send failed on 2026-03-04 (x)',
    );
  });
});

describe('a provider that refused the saved key, region or domain', () => {
  const refused = { code: 'provider_credentials_refused', message: 'Mailgun refused the saved settings (...)' };
  const withProvider = (name: string, webhook: object) => {
    const s = mailgun(webhook);
    return { ...s, provider: { ...s.provider, name } };
  };

  it('says what the provider refused and what to check, in Spanish and in English, without the paste-the-key advice', () => {
    const region = { error: 'Mailgun did not register the webhooks: HTTP 401...', hintKey: 'mailgun.keyRejected' };
    expect(warningText(es, refused, mailgun(region))).toBe(
      'Mailgun rechazó los ajustes guardados: Mailgun respondió 401: revisa la clave privada y si el dominio está en la región de la UE o de EE. UU. Hasta que estén bien, no se podrá enviar ningún email por Mailgun ni registrar su webhook: revisa la clave privada de la API y la región (UE o EE. UU.) del dominio de envío y vuelve a guardar.',
    );
    expect(warningText(en, refused, mailgun(region))).toBe(
      'Mailgun refused the saved settings: Mailgun answered 401: check the private key, and whether the domain is in the EU or US region. Until they are right, no email can be sent through Mailgun, and its webhook cannot be registered: check the private API key, and the region (EU or US) of the sending domain, then save again.',
    );
    const cases: [string, object, RegExp, RegExp][] = [
      [
        'sendgrid',
        { error: 'x', hintKey: 'sendgrid.keyRejected' },
        /revisa la clave de la API \(en SendGrid/,
        /check the API key \(in SendGrid/,
      ],
      [
        'mailgun',
        { error: 'x', hintKey: 'mailgun.domainNotFound', hintParams: { domain: 'mg.typo.example' } },
        /revisa el dominio de envío y su región/,
        /check the sending domain, and its region/,
      ],
      [
        'mailjet',
        { error: 'x', hintKey: 'mailjet.auth' },
        /revisa que la clave pública y la clave privada/,
        /check that the public and private API keys/,
      ],
    ];
    for (const [name, webhook, inSpanish, inEnglish] of cases) {
      const s = withProvider(name, webhook);
      expect(warningText(es, refused, s)).toMatch(inSpanish);
      expect(warningText(en, refused, s)).toMatch(inEnglish);
      for (const words of [warningText(es, refused, s), warningText(en, refused, s)]) {
        expect(words).not.toMatch(/pega|paste|clave de verificación|verification key/i);
        expect(words).not.toBe(refused.message);
      }
    }
  });

  it("a hint key this screen does not know: the API's sentence", () => {
    expect(warningText(es, refused, mailgun({ error: 'x', hintKey: 'mailgun.somethingNew' }))).toBe(refused.message);
  });
});
