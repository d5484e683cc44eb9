/** One Jest run over the three test tiers: unit (*.spec.ts), medium (*.medium-spec.ts), e2e (*.e2e-spec.ts). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@myfsio/config$': '<rootDir>/config/src/index.ts',
    '^@myfsio/(.*)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testEnvironment: 'node',
  // Only these trees hold tests and sources; crawling data/ or benchmark scratch dirs would stall Jest.
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/config', '<rootDir>/migrations', '<rootDir>/test'],
  rootDir: __dirname,
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,config}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'medium',
      testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts'],
      setupFiles: ['<rootDir>/test/medium/detect-nesting.setup.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
