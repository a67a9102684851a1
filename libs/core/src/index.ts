export * from './config';
export * from './errors';
export * from './graphql/access';
export * from './redact';
export * from './request-context';
export * from './validation';
