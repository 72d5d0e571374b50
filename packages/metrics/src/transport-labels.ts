import { PROVIDER_NAMES, ProviderName, SendingMode } from '@mailroom/domain';

/** The two labels that say which path an email took: few and fixed values, never a tenant's anything. */
export interface TransportLabels {
  mode: SendingMode;
  /** The provider in `provider` mode; `none` for the platform relay and tenant SMTP. */
  provider: ProviderName | 'none';
}

/** Every path there is: counters start at zero on each, so rate() and increase() see the first event. */
export const ALL_TRANSPORT_LABELS: readonly TransportLabels[] = [
  { mode: 'platform', provider: 'none' },
  { mode: 'smtp', provider: 'none' },
  ...PROVIDER_NAMES.map((provider) => ({ mode: 'provider' as const, provider })),
];

/** From settings (`provider` is the provider's settings) or an email's record (`provider` is its name). */
export function transportLabels(t: { mode: SendingMode; provider?: ProviderName | { name: ProviderName } }): TransportLabels {
  if (t.mode !== 'provider') return { mode: t.mode, provider: 'none' };
  const name = typeof t.provider === 'string' ? t.provider : t.provider?.name;
  return { mode: 'provider', provider: name ?? 'none' };
}

/** From a transport's kind, as the transport contract names it. */
export function labelsOfTransportKind(kind: 'platform' | 'smtp' | ProviderName): TransportLabels {
  return kind === 'platform' || kind === 'smtp' ? { mode: kind, provider: 'none' } : { mode: 'provider', provider: kind };
}
