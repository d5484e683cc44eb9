/** The one place the product's version lives; `package.json` is kept in step by `npm version`. */
export const APP_VERSION = '0.1.0';
export const APP_NAME = 'MyFSIO';
