export * from './open-backends';
export * from './http-listener';
export * from './within-ms';
export * from './readiness';
export * from './health-routes';
