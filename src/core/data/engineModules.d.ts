// The npm engines that ship no type definitions (dynalite, s3rver): their shapes are typed where they are used.
declare module 'dynalite';
declare module 's3rver';
