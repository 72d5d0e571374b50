import type { I18n } from '../i18n/i18n';

/**
 * The document types the screens have names for (docTypeName.* in both languages). The API takes any
 * word (the domain only checks its shape), so these are the platform's usual ones, not a closed list.
 */
export const DOCUMENT_TYPES: readonly string[] = ['invoice', 'quote', 'order', 'delivery_note'];

/** "Invoice F-2026-0042" (the number when the platform gave one, else its id); an unknown type as the platform wrote it. */
export function DocumentLabel({ document, i18n }: { document: { type: string; id: string; number?: string }; i18n: I18n }) {
  return (
    <span class="doc">
      <span class="doc-type">{i18n.tOr(`docTypeName.${document.type}`, document.type)}</span> {document.number ?? document.id}
    </span>
  );
}

/** "Emails of invoice F-2026-0042": what a link to the document view leads to. */
export function documentEmailsLabel(i18n: I18n, document: { type: string; id: string; number?: string }): string {
  const number = document.number ?? document.id;
  // One sentence per known type ("del presupuesto", not "de el presupuesto"); a type we do not know as written.
  return i18n.tOr(`document.heading.${document.type}`, i18n.t('document.heading', { document: `${document.type} ${number}` }), { number });
}
