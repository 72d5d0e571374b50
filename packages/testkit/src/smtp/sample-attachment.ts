/**
 * A small "PDF" that holds every byte value and every awkward line ending (CR, LF, CRLF, dots at
 * line starts), so any re-encoding on the way (quoted-printable, newline conversion, dot-stuffing
 * left in) shows when the received attachment is compared byte for byte.
 */
export function samplePdfBytes(): Buffer {
  const header = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const lineEndings = Buffer.from('\r\n\n\r.\r\n..\r\n.\n', 'latin1');
  return Buffer.concat([header, allBytes, lineEndings, Buffer.from(allBytes).reverse(), Buffer.from('\n%%EOF\n')]);
}
