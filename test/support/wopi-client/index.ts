export * from './discovery-document';
export * from './editor-simulator';
export * from './keys';
export * from './signer';
export * from './wopi-client';
