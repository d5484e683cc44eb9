export * from './xml-codec';
export * from './xml-entities';
