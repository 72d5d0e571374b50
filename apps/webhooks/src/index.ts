export * from './webhooks-server';
export { PIXEL_GIF } from './routes/pixel.routes';
