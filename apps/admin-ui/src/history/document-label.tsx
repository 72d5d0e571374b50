/** "invoice F-2026-0042" (the number when the platform gave one, else its id). */
export function DocumentLabel({ document }: { document: { type: string; id: string; number?: string } }) {
  return (
    <span class="doc">
      <span class="doc-type">{document.type}</span> {document.number ?? document.id}
    </span>
  );
}
