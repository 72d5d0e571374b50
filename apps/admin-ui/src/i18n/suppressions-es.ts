/** Spanish strings of the suppression list screen (suppressions-en.ts has the same keys; es.ts takes them in). */
export const suppressionsEs = {
  'suppressions.heading': 'Lista de supresión',
  'suppressions.intro':
    'Tus emails no se envían a estas direcciones: rebotaron definitivamente, el servidor rechazó el buzón, su dueño marcó un email como spam o alguien las añadió. Los rebotes y rechazos salen de la lista solos pasado un tiempo. Quita una dirección cuando el cliente la haya arreglado y los próximos emails a ella sí se enviarán.',
  'suppressions.search': 'Buscar en la lista de supresión',
  'suppressions.address': 'Dirección',
  'suppressions.address.help': 'Basta con el principio de la dirección, por ejemplo "cliente@".',
  'suppressions.reason': 'Motivo',
  'suppressions.anyReason': 'Cualquier motivo',
  'suppressions.caption': 'Direcciones a las que no se envía, las más recientes primero',
  'suppressions.col.address': 'Dirección',
  'suppressions.col.reason': 'Motivo',
  'suppressions.col.since': 'Desde',
  'suppressions.col.until': 'Hasta',
  'suppressions.col.detail': 'Detalles',
  'suppressions.col.actions': 'Acciones',
  'suppressions.untilRemoved': 'Hasta que se quite',
  'suppressions.sourceEmail': 'El email que la causó',
  'suppressions.empty': 'Ninguna dirección de la lista coincide.',
  'suppressions.remove': 'Quitar',
  'suppressions.remove.label': 'Quitar {address} de la lista',
  'suppressions.remove.confirm':
    '¿Quitar {address} de la lista de supresión? Los próximos emails a esta dirección sí se enviarán; los que ya no se enviaron no salen solos.',
  'suppressions.removed':
    'Se ha quitado {address} de la lista: los próximos emails a esta dirección sí se enviarán. Los que ya no se enviaron no salen solos: vuelve a enviarlos desde su documento.',
  'suppressions.notRemoved': 'No se ha quitado {address}: {message}',
  'suppression.reason.hard_bounce': 'Rebotó definitivamente',
  'suppression.reason.smtp_rejected': 'El servidor rechazó el buzón',
  'suppression.reason.complaint': 'Marcó un email como spam',
  'suppression.reason.manual': 'Añadida a mano',
  'suppressions.alreadyRemoved': '{address} ya no estaba en la lista (alguien la había quitado): los emails a esta dirección se envían.',
};
