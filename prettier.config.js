/**
 * The one formatting of the repository (`pnpm format` writes it, `pnpm format:check` is part of
 * scripts/test.sh). Chosen to fit the code as it was written: single quotes, long lines, trailing commas.
 */
module.exports = {
  singleQuote: true,
  printWidth: 140,
  trailingComma: 'all',
};
