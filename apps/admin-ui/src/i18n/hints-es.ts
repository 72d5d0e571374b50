import type { HintWords } from './hints-en';

/** Spanish: the same advice as hints-en.ts, in the words of es.ts («Enviar desde», «Reintentar»...). */
export const hintsEs: HintWords = {
  'smtp.gmailAppPassword':
    'Gmail rechazó el inicio de sesión. Usa una contraseña de aplicación de 16 caracteres (Cuenta de Google > Seguridad > Verificación en dos pasos > Contraseñas de aplicaciones; la verificación en dos pasos debe estar activada), no la contraseña de la cuenta, y la dirección de Gmail completa como usuario.',
  'smtp.microsoftSmtpAuthDisabled':
    'Microsoft 365 rechazó el inicio de sesión con contraseña: la autenticación básica (SMTP AUTH con contraseña) está desactivada para este buzón u organización, porque Microsoft la está retirando. Conecta el buzón con Microsoft en su lugar, eligiendo Microsoft Graph si la organización ha desactivado SMTP por completo; mientras tanto, un administrador también puede activar «SMTP autenticado» para el buzón.',
  'smtp.outlookLogin':
    'Microsoft 365 rechazó el inicio de sesión. Revisa el usuario (la dirección del buzón) y la contraseña; si son correctos, un administrador debe activar «SMTP autenticado» para este buzón.',
  'smtp.ionosSender':
    'IONOS no permite esta dirección de remitente: debe ser un buzón de un dominio de tu contrato de IONOS, normalmente la misma dirección con la que inicias sesión.',
  'smtp.senderRefused':
    'El servidor no permite enviar con esta dirección de remitente: usa el buzón con el que inicias sesión, o un alias que el servidor le permita.',
  'smtp.badLogin': 'El servidor rechazó el usuario o la contraseña: revisa los dos (el usuario suele ser la dirección de email completa).',
  'smtp.loginLater': 'El servidor no ha podido comprobar el inicio de sesión en este momento.',
  'smtp.loginRequired': 'El servidor exige iniciar sesión: rellena el usuario y la contraseña.',
  'smtp.noStartTls':
    'El servidor no ofrece STARTTLS en este puerto, así que no se ha enviado nada (la contraseña habría viajado sin cifrar). Usa el puerto 465 con «TLS desde el primer byte» activado.',
  'smtp.tlsMismatch':
    '«TLS desde el primer byte» está activado, pero este puerto empieza sin cifrar: desactívalo para el puerto 587 (STARTTLS es entonces obligatorio) o usa el puerto 465.',
  'smtp.untrustedCertificate':
    'El certificado TLS del servidor no es de confianza (nombre de servidor incorrecto, autofirmado o caducado). Comprueba que el servidor es exactamente el que indica tu proveedor; si lo es, su administrador debe instalar un certificado válido.',
  'smtp.recipientRefused': 'El servidor rechazó la dirección del destinatario: comprueba que está bien escrita.',
  'smtp.messageTooLarge': 'El mensaje es demasiado grande para este servidor: envía menos adjuntos o más pequeños.',
  'smtp.tryLater': 'El servidor está ocupado o limita las conexiones.',
  'smtp.connectionLost': 'La conexión se cerró antes de que el servidor confirmara el mensaje.',
  'smtp.stoppedAnswering':
    'El servidor dejó de responder antes de confirmar el mensaje. Si ya lo tenía completo puede entregarlo, así que el destinatario podría recibirlo dos veces.',
  'smtp.rateLimited': 'El servidor dice que esta cuenta está enviando demasiado deprisa.',
  'smtp.hostNotFound': 'No se encuentra el servidor «{host}»: comprueba que está bien escrito.',
  'smtp.port465NeedsTls':
    '{where} no ha respondido al saludo: el puerto 465 espera TLS desde el primer byte, así que activa «TLS desde el primer byte».',
  'smtp.noAnswer':
    '{where} no ha respondido a tiempo: revisa el servidor y el puerto, y que se permitan las conexiones salientes a ese puerto.',
  'smtp.connectionRefused':
    'Nada acepta conexiones en {where}: revisa el servidor y el puerto (465 con TLS activado, o 587 con TLS desactivado).',
  'smtp.unreachable': 'No se puede llegar a {where}: revisa el servidor y el puerto.',
  'smtp.hostNotAllowed':
    'Usa el nombre público de tu servidor de correo. Un servidor propio en una red privada solo puede usarse si la plataforma permite su dirección.',
  'smtp.hostUnresolvable': 'Revisa cómo está escrito el servidor SMTP: no tiene ninguna dirección (registro A o AAAA) en el DNS.',
  'smtp.oauthTokenRefused':
    'El servidor de correo rechazó el acceso incluso después de renovarlo. Vuelve a conectar el buzón en los ajustes de email; si sigue fallando, puede que la cuenta no tenga permiso para enviar por SMTP.',
  'smtp.gmailTokenRefused':
    'Gmail rechazó el acceso incluso después de renovarlo. Vuelve a conectar el buzón con Google aceptando el permiso «Leer, redactar, enviar y eliminar todo tu correo de Gmail»; también puede que un administrador de Workspace haya bloqueado el acceso SMTP de esta cuenta.',
  'smtp.microsoftSmtpDisabled':
    'Microsoft 365 rechazó el inicio de sesión: el SMTP autenticado está desactivado para este buzón u organización. Un administrador puede activarlo para el buzón, o vuelve a conectar el buzón eligiendo Microsoft Graph, que no necesita SMTP.',
  'smtp.microsoftTokenRefused':
    'Microsoft 365 rechazó el acceso incluso después de renovarlo. Vuelve a conectar el buzón con Microsoft; si sigue fallando, un administrador debe activar el SMTP autenticado para este buzón, o vuelve a conectarlo eligiendo Microsoft Graph.',

  'graph.tokenRefused':
    'Microsoft Graph rechazó el acceso incluso después de renovarlo. Vuelve a conectar el buzón con Microsoft (eligiendo Microsoft Graph) en los ajustes de email.',
  'graph.accessDenied':
    'Microsoft 365 no permite a esta aplicación enviar desde el buzón (falta el permiso «Enviar correo como usted» o un administrador lo ha bloqueado). Vuelve a conectar el buzón eligiendo Microsoft Graph y acepta el permiso, o pide a un administrador que lo permita.',
  'graph.sendAsDenied':
    'Microsoft 365 rechazó la dirección de remitente: con Microsoft Graph el email debe salir del buzón conectado (o de una dirección con la que pueda enviar).',
  'graph.recipients':
    'Microsoft 365 no encontró ningún destinatario válido en el email: comprueba que las direcciones están bien escritas.',
  'graph.tooLarge':
    'El email es más grande de lo que Microsoft Graph acepta de una vez (4 MB, adjuntos incluidos): envía menos adjuntos o más pequeños, o conéctate por SMTP.',
  'graph.invalid': 'Microsoft Graph rechazó el mensaje por no ser válido; su respuesta explica por qué.',
  'graph.throttled': 'Microsoft 365 está limitando la velocidad de envío de este buzón.',
  'graph.unavailable': 'Microsoft Graph ha tenido un problema temporal.',

  'oauth.reconnect':
    'El proveedor de correo ya no acepta el acceso de Mailroom a este buzón (se cambió la contraseña, se retiró el acceso o una política de inicio de sesión pide volver a entrar). Vuelve a conectar el buzón en los ajustes de email; hasta entonces no se envían emails.',
  'oauth.reconnectVendor':
    '{vendor} ya no acepta el acceso de Mailroom a este buzón (se cambió la contraseña, se retiró el acceso o una política de inicio de sesión pide volver a entrar). Vuelve a conectar el buzón con {vendor} en los ajustes de email; hasta entonces no se envían emails.',
  'oauth.clientRejected':
    'El proveedor de correo rechazó las credenciales de acceso de la propia plataforma. Deben corregirlas los responsables de la plataforma; tú no tienes que hacer nada.',
  'oauth.clientRejectedVendor':
    '{vendor} rechazó las credenciales de acceso de la propia plataforma. Deben corregirlas los responsables de la plataforma; tú no tienes que hacer nada.',
  'oauth.temporary': 'El proveedor de correo no ha podido renovar el acceso al buzón en este momento.',
  'oauth.refused':
    'El proveedor de correo se negó a renovar el acceso al buzón. Si sigue pasando, vuelve a conectar el buzón en los ajustes de email.',

  'sendgrid.keyRejected':
    'SendGrid rechazó la clave de la API: crea en SendGrid una clave con el permiso Mail Send (Settings > API Keys) y guárdala aquí.',
  'sendgrid.senderNotVerified':
    'La dirección de «Enviar desde» no es una identidad de remitente verificada en SendGrid: verifícala como Single Sender, o autentica su dominio, en SendGrid.',
  'sendgrid.forbidden':
    'SendGrid denegó el acceso: o la clave de la API no tiene el permiso Mail Send (compruébalo en SendGrid, Settings > API Keys), o SendGrid ha bloqueado la cuenta durante un tiempo.',
  'sendgrid.blocked':
    'SendGrid denegó el acceso aunque la clave de la API tiene el permiso Mail Send: SendGrid ha bloqueado la cuenta, quizá durante un tiempo. Comprueba el estado de la cuenta en SendGrid.',
  'sendgrid.missingScope': 'La clave de la API de SendGrid no tiene el permiso Mail Send: crea una clave con ese permiso y guárdala aquí.',
  'sendgrid.webhookPermission':
    'La clave de la API de SendGrid no tiene el permiso Mail Settings / Event Webhook: dale ese permiso, o pega a mano la clave de verificación del Event Webhook.',
  'sendgrid.webhookRefused':
    'SendGrid rechazó el Event Webhook (su mensaje explica por qué). Si la cuenta ya tiene tantos Event Webhooks como permite su plan, borra uno que ya no use, o pega la clave de verificación de un webhook que envíe a la dirección de Mailroom.',
  'sendgrid.webhookLimit':
    'La cuenta de SendGrid ya tiene {max} Event Webhooks, el máximo de su plan: borra uno que ya no use (Settings > Mail Settings > Event Webhooks) y vuelve a guardar, o pega la clave de verificación de un webhook que ya envíe a la dirección de Mailroom.',
  'sendgrid.noPublicKey':
    'SendGrid activó la firma pero no envió la clave de verificación: cópiala de SendGrid (Settings > Mail Settings > Event Webhooks > nuestro webhook > Signature Verification) y pégala aquí.',
  'sendgrid.tooLarge': 'SendGrid: el adjunto es demasiado grande. El email, con sus adjuntos, debe ocupar menos de 20 MB.',
  'sendgrid.invalid':
    'SendGrid considera que el email no es válido (su mensaje dice qué campo): revisa las direcciones, el asunto y los adjuntos.',
  'sendgrid.notFound': 'SendGrid respondió Not Found: probablemente la plataforma tiene mal configurada la dirección de SendGrid.',
  'sendgrid.refused': 'SendGrid rechazó la solicitud (HTTP {status}).',
  'sendgrid.rateLimited': 'Se ha alcanzado el límite de envíos de SendGrid para esta cuenta.',
  'sendgrid.unavailable': 'SendGrid ha tenido un problema temporal.',
  'sendgrid.apiUrlUnusable': 'La dirección de SendGrid configurada en la plataforma no se puede usar.',
  'sendgrid.timedOut': 'SendGrid no respondió en {ms} ms.',
  'sendgrid.unreachable': 'No se ha podido contactar con SendGrid.',
  'sendgrid.connectionFailed': 'Ha fallado la conexión con SendGrid.',
  'sendgrid.sdkRefused': 'No se ha podido convertir el email en una solicitud a SendGrid: revisa sus direcciones y adjuntos.',
  'sendgrid.emptyBody': 'El email necesita un texto o un cuerpo HTML: SendGrid rechaza los emails sin contenido.',

  'mailgun.keyRejected': 'Mailgun respondió 401: revisa la clave privada y si el dominio está en la región de la UE o de EE. UU.',
  'mailgun.domainNotFound':
    'Mailgun respondió 404: el dominio {domain} no está en esta cuenta o región de Mailgun: revisa el dominio de envío y si está en la región de la UE o de EE. UU.',
  'mailgun.webhookForbidden':
    'Mailgun respondió 403: esta clave no puede gestionar webhooks (una clave de envío de dominio solo sirve para enviar): usa la clave privada de la API de la cuenta.',
  'mailgun.webhookSlotsFull':
    'Mailgun admite {max} direcciones por webhook y el webhook «{webhook}» de {domain} ya no tiene sitio: quita una en Mailgun (Sending > Webhooks) y vuelve a guardar los ajustes.',
  'mailgun.noSigningKey':
    'Mailgun respondió sin su clave de firma de webhooks HTTP: vuelve a guardar los ajustes, o búscala en Mailgun (Settings > API Security).',
  'mailgun.forbidden':
    'Mailgun respondió 403: la clave no puede usar el dominio {domain}, o la cuenta de Mailgun está desactivada o sigue en modo sandbox.',
  'mailgun.tooLarge': 'Mailgun rechazó el email por ser demasiado grande (Mailgun acepta como máximo 25 MB, adjuntos incluidos).',
  'mailgun.invalid': 'Mailgun rechazó la solicitud por no ser válida: {reason}',
  'mailgun.refused': 'Mailgun rechazó la solicitud (HTTP {status}).',
  'mailgun.rateLimited': 'Se ha alcanzado el límite de envíos de Mailgun para esta cuenta.',
  'mailgun.unavailable': 'Mailgun ha tenido un problema temporal.',
  'mailgun.slow': 'Mailgun no respondió a tiempo.',
  'mailgun.apiUrlUnusable': 'La dirección de Mailgun configurada en la plataforma no se puede usar.',
  'mailgun.wrongUrl': 'La dirección de Mailgun configurada en la plataforma es incorrecta.',
  'mailgun.timedOut': 'Mailgun no respondió en {ms} ms.',
  'mailgun.unreachable': 'No se ha podido contactar con Mailgun.',
  'mailgun.connectionFailed': 'Ha fallado la conexión con Mailgun.',
  'mailgun.sdkRefused': 'No se ha podido convertir la solicitud en una llamada a la API de Mailgun: revisa las direcciones y los adjuntos.',

  'mailjet.auth': 'Mailjet rechazó las claves de la API: revisa la pareja de clave pública y clave privada.',
  'mailjet.sender': 'Mailjet rechazó el remitente: valida en Mailjet la dirección de «Enviar desde».',
  'mailjet.tooLarge': 'El email es demasiado grande para Mailjet (como máximo 15 MB de adjuntos): envía menos adjuntos o más pequeños.',
  'mailjet.invalid': 'Mailjet rechazó el email por no ser válido: mira lo que respondió Mailjet.',
  'mailjet.forbidden': 'Mailjet rechazó esta solicitud para la cuenta: mira lo que respondió Mailjet.',
  'mailjet.notFound': 'Mailjet respondió 404: probablemente la plataforma tiene mal configurada la dirección de Mailjet.',
  'mailjet.apiUrl': 'La dirección de Mailjet configurada en la plataforma no se puede usar.',
  'mailjet.rateLimited': 'Mailjet está limitando los envíos de esta cuenta.',
  'mailjet.unavailable': 'Mailjet está teniendo problemas.',
  'mailjet.unreachable': 'No se ha podido contactar con Mailjet.',
  'mailjet.timedOut': 'Mailjet no respondió a tiempo.',

  'mailjet.webhookCredentials':
    'El usuario y la contraseña de webhook que la plataforma generó para ti no pueden escribirse en una dirección: deben revisar cómo se generan sus responsables.',
  'mailjet.webhookNotNow':
    'No se ha podido contactar con Mailjet o está ocupado: vuelve a guardar los ajustes para reintentar el registro del webhook.',
  'mailjet.webhookRefused': 'Mailjet rechazó el registro del webhook: la respuesta del servidor, debajo, dice por qué.',

  'webhook.publicUrlInvalid':
    'La dirección pública de la plataforma (PUBLIC_BASE_URL) no es una dirección válida: sus responsables deben poner la dirección https pública de su aplicación de webhooks.',
  'webhook.publicUrlNotHttp':
    'La dirección pública de la plataforma (PUBLIC_BASE_URL) empieza por {protocol} en lugar de https: sus responsables deben poner una dirección https.',
  'webhook.unexpected':
    'El registro falló por un motivo inesperado (el log del servidor dice cuál): vuelve a guardar los ajustes, o pega la clave de verificación a mano.',

  'platform.outboxUnwritable': 'La plataforma no puede escribir en su bandeja de salida ({dir}): deben revisarla sus responsables.',

  'send.tenantGone': 'Tu empresa ya no está dada de alta en la plataforma: hay que darla de alta de nuevo antes de reintentar este email.',
  'send.contentGone': 'El contenido guardado de este email ya no existe: vuelve a enviar el documento desde la plataforma.',
  'send.settingsIncomplete': 'Los ajustes de email están incompletos: vuelve a guardarlos con todos los campos obligatorios.',
  'send.secretUnavailable':
    'La plataforma ya no puede leer una contraseña o clave guardada: vuelve a guardar los ajustes de email (con la contraseña o la clave), o pide a la plataforma que recupere su antigua clave de cifrado.',
  'send.timedOut': 'El servidor no respondió a tiempo: revisa el servidor y el puerto, y que se permitan las conexiones salientes.',
  'send.interrupted':
    'El envío se detuvo a mitad de este intento, antes de registrar la respuesta del servidor: puede que el servidor recibiera el email o no, así que el destinatario puede recibirlo dos veces (las dos copias se ven como una sola conversación). Se ha enviado de nuevo.',
  'send.interruptedNotSentAgain':
    'El envío se detuvo a mitad de este intento, antes de registrar la respuesta del servidor: puede que el servidor recibiera el email o no. No se ha vuelto a enviar: antes de enviarlo de nuevo, comprueba si el destinatario lo recibió, o puede recibirlo dos veces.',
  'send.interruptedTestEmail':
    'El envío de este email de prueba se detuvo a mitad, antes de registrar la respuesta del servidor: puede que el servidor lo recibiera o no. Nada vuelve a enviar un email de prueba: revisa la bandeja a la que se envió y, si no llegó, envía otra prueba.',
  'settings.planFallback':
    'Tu plan ya no incluye tu propio servidor SMTP: tus emails salen por la plataforma hasta que el plan lo permita de nuevo o cambien los ajustes.',

  'then.retry': 'Se volverá a intentar el envío.',
  'then.lastAttempt':
    'Intentos realizados: {attempts}, ninguno con éxito; ya no se reintentará solo: pulsa «Reintentar» cuando el servidor o el proveedor vuelvan a aceptar correo.',
  'then.testEmail': 'Nada reintenta un email de prueba: vuelve a enviarlo más tarde.',
  'then.saveAgain': 'Nada reintenta el registro: vuelve a guardar los ajustes de email cuando {provider} responda.',
  'then.checkAgain': 'Nada reintenta esta comprobación: vuelve a intentarlo cuando {provider} responda.',
};
