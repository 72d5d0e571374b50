import type { ProviderName, SendingMode } from '@mailroom/domain';

/** The two labels that say which path an email took: few and fixed values, never a tenant's anything. */
export interface TransportLabels {
  mode: SendingMode;
  /** The provider in `provider` mode; `none` for the platform relay and tenant SMTP. */
  provider: ProviderName | 'none';
}

/** Every path there is (the providers from the transport registry): counters start at zero on each, so rate() and increase() see the first event. */
export function allTransportLabels(providerNames: readonly ProviderName[]): TransportLabels[] {
  return [
    { mode: 'platform', provider: 'none' },
    { mode: 'smtp', provider: 'none' },
    ...providerNames.map((provider) => ({ mode: 'provider' as const, provider })),
  ];
}

/** From settings (`provider` is the provider's settings) or an email's record (`provider` is its name). */
export function transportLabels(t: { mode: SendingMode; provider?: ProviderName | { name: ProviderName } }): TransportLabels {
  if (t.mode !== 'provider') return { mode: t.mode, provider: 'none' };
  const name = typeof t.provider === 'string' ? t.provider : t.provider?.name;
  return { mode: 'provider', provider: name ?? 'none' };
}
