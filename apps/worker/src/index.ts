export * from './worker-server';
export * from './deliver-email';
export * from './process-send-job';
export * from './requeue-stuck-emails';
