export * from './worker-server';
export * from './deliver-email';
