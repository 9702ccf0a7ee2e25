export * from './app-config';
export * from './config.errors';
export * from './config.loader';
export * from './config.module';
export * from './process-config';
export * from './units';
