import { ApiError } from '../src/api/api-client';
import { apiProblem, fieldList, fieldProblem, oauthFailure, warningText } from '../src/i18n/api-words';
import { createI18n } from '../src/i18n/i18n';

const es = createI18n('es', ['es-ES']);
const en = createI18n('en', ['en-GB']);

describe("the API's words in the admin's language", () => {
  it('translates the common field problems by case, naming the field by its label, never by its API name', () => {
    expect(fieldProblem(es, 'senderName', 'senderName is required')).toBe('Rellena «Nombre del email».');
    // Said the same way whatever the label's gender: never "«Contraseña SMTP» es obligatorio".
    expect(fieldProblem(es, 'smtp.password', 'smtp.password is required')).toBe('Rellena «Contraseña SMTP».');
    expect(fieldProblem(es, 'smtp.port', 'Too big: expected number to be <=65535')).toBe('Como máximo 65535.');
    // The API's own words for a size out of bounds (apps/api/src/http/validate.ts), and zod's, from an API before them.
    expect(fieldProblem(es, 'smtp.port', 'must be at most 65535')).toBe('Como máximo 65535.');
    expect(fieldProblem(es, 'smtp.port', 'must be at least 1')).toBe('Como mínimo 1.');
    expect(fieldProblem(es, 'senderName', 'must not be empty')).toBe('Rellena «Nombre del email».');
    expect(fieldProblem(en, 'senderName', 'must be at most 100 characters')).toBe(
      fieldProblem(en, 'senderName', 'Too big: expected string to have <=100 characters'),
    );
    expect(fieldProblem(es, 'cc.1.email', 'is not a valid email address')).toBe('No es una dirección de email válida.');
    expect(
      fieldProblem(
        es,
        'limits.perDay',
        "limits.perDay may be at most 2000: Gmail's published sending limit (https://x). Set it to 2000 or lower, or leave it out for the default of 500.",
      ),
    ).toBe(
      'Como máximo 2000: es el límite de envío que publica Gmail. Pon 2000 o menos, o deja la casilla vacía para usar el valor por defecto (500).',
    );
    // A case we do not know keeps the API's sentence, with the field's label for its name.
    expect(fieldProblem(en, 'limits.perDay', 'limits.perDay clashes with something new')).toBe(
      '"Per day (24 hours)" clashes with something new',
    );
    expect(fieldList(es, ['senderName', 'replyTo', 'senderName'])).toBe('«Nombre del email» y «Responder a»');
    // English quotes its labels the English way, not with Spanish guillemets.
    expect(fieldList(en, ['senderName', 'replyTo'])).toBe('"Sender name" and "Reply to"');
  });

  it("says in the reader's language that the SMTP host was not found or may not be used, naming the host", () => {
    const unresolvable = 'SMTP host smtp.no-existe.example could not be resolved (no A or AAAA record): check the host name';
    expect(fieldProblem(es, 'smtp.host', unresolvable)).toBe(
      'No se encuentra ningún servidor llamado smtp.no-existe.example: revisa el nombre que te da tu proveedor de email (por ejemplo smtp.tuproveedor.com).',
    );
    expect(fieldProblem(en, 'smtp.host', unresolvable)).toMatch(/^No server called smtp\.no-existe\.example was found: check the name/);
    const internal =
      "10.0.0.1 resolves to a loopback, private or otherwise non-public address, which tenants' SMTP settings may not use: give your mail server's public host name, or ask the platform operator to allow its address";
    expect(fieldProblem(es, 'smtp.host', internal)).toBe(
      '10.0.0.1 es una dirección interna que tus ajustes SMTP no pueden usar: pon el nombre público de tu servidor de correo o pide a la plataforma que la permita.',
    );
  });

  it("writes a preset's sending limit in the reader's locale", () => {
    const message =
      "limits.perDay may be at most 10000: Office 365's published sending limit (https://x). Set it to 10000 or lower, or leave it out for the default of 10000.";
    expect(fieldProblem(es, 'limits.perDay', message)).toMatch(/^Como máximo 10\.000: .* \(10\.000\)\.$/);
    expect(fieldProblem(en, 'limits.perDay', message)).toMatch(/^This may be at most 10,000: .*Set 10,000 or lower/);
  });

  it('words warnings from their code and the settings; an unknown code keeps the API sentence', () => {
    const answer = { mode: 'smtp', senderName: 'ACME', plan: 'basic', smtpPlans: ['advanced', 'premium'], warnings: [] } as any;
    expect(warningText(es, { code: 'plan_fallback', message: 'the basic plan...' }, answer)).toMatch(
      /^Tu plan Básico no permite enviar desde tu propio servidor SMTP \(hace falta el plan Avanzado o Premium\)/,
    );
    expect(warningText(es, { code: 'something_new', message: 'as the API said' }, answer)).toBe('as the API said');
  });

  it('says why a mailbox was not connected; the raw code only when it is new', () => {
    expect(oauthFailure(en, 'access_denied')).toBe('The mailbox was not connected: you refused access. Try again.');
    expect(oauthFailure(es, 'weird_code')).toBe('El buzón no se ha conectado (weird_code). Inténtalo de nuevo.');
  });

  it('pluralises counts', () => {
    expect(es.plural('history.count', 1)).toBe('Se muestra 1 email.');
    expect(es.plural('history.count', 3)).toBe('Se muestran 3 emails.');
    expect(en.plural('history.loadedMore', 1)).toBe('1 more email shown.');
  });
});

describe("a failed request (removing an address, showing more) in the reader's words", () => {
  it("says the known codes, an unreachable API and a gateway in the language; the API's text only for a code it does not know", () => {
    expect(apiProblem(es, new ApiError(400, 'invalid_cursor', 'cursor: not a cursor this API handed out; start again without it'))).toBe(
      'La lista ha cambiado mientras tanto. Vuelve a buscar para empezar desde el principio.',
    );
    expect(apiProblem(es, new ApiError(503, 'queue_unavailable', 'the queue did not answer'))).toBe(
      'Mailroom no está disponible ahora mismo. Vuelve a intentarlo en unos minutos.',
    );
    expect(apiProblem(es, new ApiError(502, 'http_502', 'Bad Gateway'))).toBe(
      'Mailroom no está disponible ahora mismo. Vuelve a intentarlo en unos minutos.',
    );
    expect(apiProblem(es, new ApiError(500, 'internal', 'something went wrong on our side; it has been logged'))).toBe(
      'Algo ha fallado en Mailroom. Vuelve a intentarlo; si vuelve a pasar, avisa a tu plataforma.',
    );
    expect(apiProblem(es, new TypeError('Failed to fetch'))).toBe(
      'No se ha podido contactar con Mailroom. Comprueba tu conexión y vuelve a intentarlo.',
    );
    expect(apiProblem(en, new ApiError(403, 'forbidden', 'this token is for another tenant'))).toBe(
      'This access link is for another company.',
    );
    expect(apiProblem(es, new ApiError(409, 'something_new', 'a new refusal, in English'))).toBe('a new refusal, in English');
    expect(
      es.t('suppressions.notRemoved', { address: 'a@b.example', message: apiProblem(es, new ApiError(429, 'rate_limited', 'slow down')) }),
    ).toBe('No se ha quitado a@b.example: Demasiadas peticiones por ahora. Espera un minuto y vuelve a intentarlo.');
  });
});
