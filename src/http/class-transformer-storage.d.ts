// class-transformer 0.5 keeps its metadata storage in cjs/storage.js and its type in types/.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
