// A variable as the apps read it (README, Configuration): set to the empty string (`API_PORT=` in a
// .env file, `${VAR:-}` in compose) it counts as unset and takes its default.
export function envValue(name, fallback) {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}
