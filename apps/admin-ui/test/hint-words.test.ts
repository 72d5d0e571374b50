import { HINT_KEYS, HINT_THENS } from '@mailroom/domain/src/hint-keys';
import { hintText } from '../src/i18n/api-words';
import { hintsEn } from '../src/i18n/hints-en';
import { hintsEs } from '../src/i18n/hints-es';
import { createI18n } from '../src/i18n/i18n';

const es = createI18n('es', ['es-ES']);
const en = createI18n('en', ['en-GB']);

describe("a failure's hint in the admin's language", () => {
  it('has English and Spanish words for every key the server can record, and for every follow-up', () => {
    const keys = [...HINT_KEYS, ...HINT_THENS.map((t) => `then.${t}`)];
    for (const words of [hintsEn, hintsEs] as Record<string, string | undefined>[]) {
      expect(keys.filter((k) => !words[k]?.trim())).toEqual([]);
      expect(Object.keys(words).filter((k) => !keys.includes(k))).toEqual([]);
    }
  });

  it('fills in the same values in both languages (a value one language names the other must name too)', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(hintsEn) as (keyof typeof hintsEn)[]) expect([k, names(hintsEs[k])]).toEqual([k, names(hintsEn[k])]);
  });

  it('says the advice and what followed it, with the values the server recorded', () => {
    const lastAttempt = {
      hint: 'The server is busy or limiting connections. Tried 3 times without success; ...',
      hintKey: 'smtp.tryLater',
      hintParams: { attempts: 3, retryPath: '/v1/tenants/t/emails/em_1/retry' },
      hintThen: 'lastAttempt',
    };
    expect(hintText(es, lastAttempt)).toBe(
      'El servidor está ocupado o limita las conexiones. Intentos realizados: 3, ninguno con éxito; ya no se reintentará solo: pulsa «Reintentar» cuando el servidor o el proveedor vuelvan a aceptar correo.',
    );
    expect(hintText(en, { hint: 'x', hintKey: 'smtp.hostNotFound', hintParams: { host: 'smtp.acme.example' } })).toBe(
      'The host name "smtp.acme.example" could not be found: check it for typos.',
    );
    expect(hintText(es, { hint: 'x', hintKey: 'mailjet.unreachable', hintThen: 'retry' })).toBe(
      'No se ha podido contactar con Mailjet. Se volverá a intentar el envío.',
    );
    expect(hintText(es, { hint: 'x', hintThen: 'testEmail' })).toBe('Nada reintenta un email de prueba: vuelve a enviarlo más tarde.');
  });

  it("keeps the API's words for a record without a key, or with a key or follow-up this screen does not know", () => {
    expect(hintText(es, { hint: 'Check the password.' })).toBe('Check the password.');
    expect(hintText(es, { hint: 'New advice.', hintKey: 'smtp.somethingNew' })).toBe('New advice.');
    expect(hintText(es, { hint: 'New advice.', hintKey: 'smtp.badLogin', hintThen: 'somethingNew' })).toBe('New advice.');
    expect(hintText(es, {})).toBeUndefined();
  });
});
